"""The `<id:...>` URL converter (core/converters.py) is registered by loading the apps."""

from django.conf import settings
from django.urls.converters import get_converters

from core.converters import IdConverter


def test_loading_the_apps_registers_the_id_converter():
    assert isinstance(get_converters()["id"], IdConverter)


def test_core_is_ready_before_wagtail_loads_the_admin_s_url_modules():
    # wagtail.snippets' ready() imports every app's wagtail_hooks, and with them URL
    # modules that use <id:...>; CoreConfig.ready() registers it, so it must run first.
    apps = list(settings.INSTALLED_APPS)
    first_wagtail = min(i for i, name in enumerate(apps) if name.startswith("wagtail"))

    assert apps.index("core") < first_wagtail
