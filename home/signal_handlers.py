"""Forget the cached site settings (`SiteSettings.for_request`) when they or a site change."""

from django.db.models.signals import post_delete, post_save
from wagtail.models import Site

from .models import SiteSettings, site_settings_changed


def on_settings_changed(sender, instance, created=False, **kwargs):
    if sender is SiteSettings and created:
        # Wagtail creates a site's settings row, with the defaults, the first time anything
        # reads them (`for_site`): nothing cached can differ from a row that did not exist.
        return
    site_settings_changed()


def connect() -> None:
    for model in (SiteSettings, Site):
        for signal in (post_save, post_delete):
            signal.connect(on_settings_changed, sender=model)
