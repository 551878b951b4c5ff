"""The cookies this site sets, for the cookie statement on the privacy notice.

The list is code, not page content: which cookies exist is decided by the code and the
settings, so an editor cannot make the statement untrue by editing the page. Names and
lifetimes are read from the settings that decide them.
`tests/home/test_cookie_statement.py` signs in, walks the site (and, in the browser test,
the admin) and fails if a cookie turns up that is not listed here.

Every cookie here is strictly necessary (or, for the admin's menu, a session-long
interface preference the person chose), so the site asks no consent and shows no banner.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


@dataclass(frozen=True)
class Cookie:
    name: str
    purpose: str
    lifetime: str


def duration(seconds: int) -> str:
    """'2 weeks', '1 year', '3 days': the largest whole unit, for the statement's table."""
    days = int(timedelta(seconds=seconds).total_seconds() // 86400)
    if days and days % 364 == 0:
        years = days // 364
        return ngettext("%(count)d year", "%(count)d years", years) % {"count": years}
    if days and days % 7 == 0:
        weeks = days // 7
        return ngettext("%(count)d week", "%(count)d weeks", weeks) % {"count": weeks}
    if days:
        return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}
    hours = max(1, seconds // 3600)
    return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}


def site_cookies() -> list[Cookie]:
    """Every cookie the site, allauth, Wagtail or Django may set in a visitor's browser."""
    age = duration(settings.SESSION_COOKIE_AGE)
    if getattr(settings, "SESSION_EXPIRE_AT_BROWSER_CLOSE", False):
        session_lifetime = _("Until you close your browser")
    else:
        session_lifetime = _(
            "%(age)s. If you sign in without ticking “Keep me signed in on this "
            "device”, until you close your browser."
        ) % {"age": age}
    cookies = [
        Cookie(
            name=settings.SESSION_COOKIE_NAME,
            purpose=_(
                "Keeps you signed in as you move from page to page, and remembers a form "
                "you are part-way through (such as signing in with two steps)."
            ),
            lifetime=session_lifetime,
        ),
        Cookie(
            name=settings.CSRF_COOKIE_NAME,
            purpose=_("Protects the forms you send us from being forged by another website."),
            lifetime=duration(settings.CSRF_COOKIE_AGE),
        ),
        Cookie(
            name=CookieStorage.cookie_name,
            purpose=_(
                "Carries a short message (such as “You have signed in”) to the next page you see."
            ),
            lifetime=_("Until the message has been shown, or you close your browser"),
        ),
        Cookie(
            name="wagtail_sidebar_collapsed",
            purpose=_(
                "Staff only: remembers whether you made the admin's menu smaller. Set "
                "only when you do."
            ),
            lifetime=_("Until you close your browser"),
        ),
    ]
    if getattr(settings, "MFA_TRUST_ENABLED", False):
        cookies.append(
            Cookie(
                name=getattr(settings, "MFA_TRUST_COOKIE_NAME", "mfa_trusted"),
                purpose=_(
                    "Remembers that you chose to trust this browser, so that it does not "
                    "ask for your authenticator code every time."
                ),
                lifetime=duration(
                    int(
                        getattr(
                            settings, "MFA_TRUST_COOKIE_AGE", timedelta(days=14)
                        ).total_seconds()
                    )
                ),
            )
        )
    return cookies
