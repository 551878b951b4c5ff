"""Forget the cached site settings (`SiteSettings.for_request`) when they or a site change."""

from django.db.models.signals import post_delete, post_save
from wagtail.models import Site

from .models import SiteSettings, site_settings_changed


def on_settings_changed(sender, instance, **kwargs):
    site_settings_changed()


def connect() -> None:
    for model in (SiteSettings, Site):
        for signal in (post_save, post_delete):
            signal.connect(on_settings_changed, sender=model)
