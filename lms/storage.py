from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed static files that keep JavaScript module imports working."""

    support_js_module_import_aggregation = True
