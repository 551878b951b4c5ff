"""Who may read the facilitator guides and print their worksheets: the one rule.

Guides are for the people who run sessions: programme leads, site admins, course editors
(who write them) and anyone who facilitates an action-learning set. An anonymous visitor
is sent to sign in, as Wagtail does for a restricted page; a signed-in person who may not
read them is told the page is not found, so nobody learns which guides exist.

The guide pages (`guides.py`) and the worksheet view (`guide_views.py`) both ask
`guide_denial`, so the index, every guide and every worksheet answer the same way.
"""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse

from accounts.roles import COURSE_EDITOR, PROGRAMME_LEAD, SITE_ADMIN

from .models import LearningSet

GUIDE_ROLES = (PROGRAMME_LEAD, SITE_ADMIN, COURSE_EDITOR)
_CACHE_ATTRIBUTE = "_learning_sets_may_read_guides"


def can_read_guides(user) -> bool:
    """Whether `user` may read the guides: a lead, site admin or course editor, or the
    facilitator of at least one set. At most two queries."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if user.groups.filter(name__in=GUIDE_ROLES).exists():
        return True
    return LearningSet.objects.filter(facilitator=user).exists()


def may_read_guides(request: HttpRequest) -> bool:
    """`can_read_guides` for the request's user, asked once per request."""
    cached = getattr(request, _CACHE_ATTRIBUTE, None)
    if cached is None:
        cached = can_read_guides(request.user)
        setattr(request, _CACHE_ATTRIBUTE, cached)
    return cached


def guide_denial(request: HttpRequest) -> HttpResponse | None:
    """None if the request may see guides; otherwise the answer to give instead.

    Anonymous: a redirect to sign in that comes back here. Signed in without the role:
    404 (raised).
    """
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not may_read_guides(request):
        raise Http404
    return None
