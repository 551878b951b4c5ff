"""collectstatic with the production static files storage (`lms.storage`)."""

import gzip
import json

import pytest
from django.core.management import call_command
from django.test import override_settings

from lms.settings.base import STORAGES
from lms.storage import is_source_map_reference

NHSUK_CSS = "wagtailnhsukfrontend/css/nhsuk-frontend-10.4.2.min.css"
NHSUK_JS = "wagtailnhsukfrontend/js/nhsuk-frontend-10.4.2.min.js"


@pytest.fixture
def collected(tmp_path):
    """Run collectstatic as production does, into a temporary STATIC_ROOT."""
    storages = {**STORAGES, "staticfiles": {"BACKEND": "lms.storage.StaticFilesStorage"}}
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=storages):
        call_command("collectstatic", "--noinput", verbosity=0)
    return tmp_path


def test_collectstatic_hashes_and_compresses_the_nhsuk_css(collected):
    manifest = json.loads((collected / "staticfiles.json").read_text())
    hashed = manifest["paths"][NHSUK_CSS]
    assert hashed != NHSUK_CSS
    assert hashed.startswith("wagtailnhsukfrontend/css/nhsuk-frontend-10.4.2.min.")
    assert hashed.endswith(".css")
    css = (collected / hashed).read_bytes()
    assert b".nhsuk-header" in css
    assert gzip.decompress((collected / f"{hashed}.gz").read_bytes()) == css


def test_missing_source_maps_are_dropped_from_the_hashed_files(collected):
    manifest = json.loads((collected / "staticfiles.json").read_text())
    for name in (NHSUK_CSS, NHSUK_JS):
        text = (collected / manifest["paths"][name]).read_text()
        assert "sourceMappingURL" not in text, name


@pytest.mark.parametrize(
    ("matched", "url", "expected"),
    [
        ("/*# sourceMappingURL=a.min.css.map */", "a.min.css.map", True),
        ("//# sourceMappingURL=a.min.js.map", "a.min.js.map ", True),
        ('url("missing.png")', "missing.png", False),
        ("//# sourceMappingURL=a.js", "a.js", False),
    ],
)
def test_only_source_map_comments_are_tolerated(matched, url, expected):
    assert is_source_map_reference(matched, url) is expected
