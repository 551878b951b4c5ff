from urllib.parse import urldefrag

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed static files that keep JavaScript module imports working.

    Some packages ship minified files whose `sourceMappingURL` comment names a `.map` file
    they do not ship (wagtail-nhsuk-frontend's `nhsuk-frontend-*.min.css` and `.min.js`).
    The manifest storage would refuse to collect them (`MissingFileError`); instead such
    a comment is dropped, so that browsers do not ask for a file that does not exist. A
    missing file named anywhere else (a `url(...)` in CSS, an `import` in JavaScript) still
    fails collectstatic, as it should.
    """

    support_js_module_import_aggregation = True

    def url_converter(self, name, hashed_files, template=None):
        convert = super().url_converter(name, hashed_files, template)

        def converter(matchobj):
            try:
                return convert(matchobj)
            except ValueError:
                if is_source_map_reference(matchobj["matched"], matchobj["url"]):
                    return ""
                raise

        return converter


def is_source_map_reference(matched: str, url: str) -> bool:
    path, _fragment = urldefrag(url.strip())
    return "sourceMappingURL=" in matched and path.endswith(".map")
