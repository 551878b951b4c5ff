"""The demo home page and site settings for `manage.py seed_demo`."""

from wagtail.models import Site

from .models import SiteSettings
from .services import privacy_notice_ensure, site_ensure_home

ORDER = 20

INTRODUCTION = (
    "Short, practical modules for anyone who works in health and care, whichever "
    "organisation pays your salary. Learn at your own pace, reflect as you go, and see how "
    "you and your team change over time."
)


def _body():
    return [
        (
            "rich_text",
            "<h2>Who this is for</h2>"
            "<p>Nurses, social workers, housing officers, GP practice teams, charity staff and "
            "volunteers all register here on equal terms. Your programme lead may invite you "
            "to a cohort, or you can start on your own.</p>",
        ),
        (
            "inset_text",
            {
                "body": "<p>What you write in your reflections is yours alone. Programme leads "
                "see who has started and finished, never what you wrote.</p>"
            },
        ),
    ]


def seed(*, password: str, log) -> list[tuple[str, str]]:
    home = site_ensure_home(title="Lead and learn together", introduction=INTRODUCTION)
    if not home.body:
        home.body = _body()
        home.save_revision().publish()
        log("home page content")
    site = Site.objects.get(is_default_site=True)
    settings = SiteSettings.for_site(site)
    if not settings.footer_text:
        settings.footer_text = (
            "<p>Leading Together is an open-source learning service for health and care "
            "partnerships.</p>"
        )
        settings.contact_email = "learning@example.org"
        settings.save()
    if settings.privacy_notice_id is None:
        privacy_notice_ensure(home=home)
        log("privacy notice")
    return []
