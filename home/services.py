"""Writes for the site itself: its home page and settings."""

from django.db import transaction
from wagtail.models import Page, Site

from .models import HomePage, PrivacyNoticePage, SiteSettings
from .privacy_notice import DEFAULT_INTRODUCTION, default_body


@transaction.atomic
def site_ensure_home(
    *,
    title: str,
    introduction: str = "",
    hostname: str = "localhost",
    port: int = 80,
    site_name: str = "Leading Together",
) -> HomePage:
    """Make sure the default site is served by a HomePage, creating both if missing.

    Idempotent: a HomePage that exists already is returned unchanged. Wagtail's own
    placeholder root page is removed once nothing points at it.
    """
    root = Page.get_first_root_node()
    home = HomePage.objects.child_of(root).first()
    if home is None:
        home = HomePage(title=title, slug="home", introduction=introduction)
        placeholder = Page.objects.child_of(root).filter(slug="home").first()
        if placeholder is not None:
            # Wagtail's initial "Welcome to your new Wagtail site!" page owns the slug.
            placeholder.slug = f"wagtail-welcome-{placeholder.pk}"
            placeholder.save(update_fields=["slug"])
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site.objects.create(
            hostname=hostname,
            port=port,
            root_page=home,
            is_default_site=True,
            site_name=site_name,
        )
    elif site.root_page_id != home.pk:
        old_root = site.root_page
        site.root_page = home
        site.site_name = site.site_name or site_name
        site.save()
        if old_root.specific_class is Page and not old_root.get_children().exists():
            old_root.delete()
    SiteSettings.for_site(site)
    return home


@transaction.atomic
def privacy_notice_ensure(*, home: HomePage, title: str = "Privacy notice") -> PrivacyNoticePage:
    """Make sure `home` has a published privacy notice, linked from its site's settings.

    A new notice gets the template text of `home.privacy_notice`, to be completed by a site
    admin. Idempotent: an existing notice is left as it is, and a notice the settings
    already link to is never replaced.
    """
    notice = PrivacyNoticePage.objects.child_of(home).first()
    if notice is None:
        notice = PrivacyNoticePage(
            title=title,
            slug="privacy",
            introduction=DEFAULT_INTRODUCTION,
            body=default_body(),
        )
        home.add_child(instance=notice)
        notice.save_revision().publish()
    for site in Site.objects.filter(root_page=home):
        settings = SiteSettings.for_site(site)
        if settings.privacy_notice_id is None:
            settings.privacy_notice = notice
            settings.save(update_fields=["privacy_notice"])
    return notice
