"""The "Coming up" panel for My learning, and the calendar feed box.

`modules` never imports `notifications`; My learning's template loads this library instead,
so the panel appears while the imports still point from notifications down to modules.
Both tags only read.
"""

from django import template
from django.urls import reverse

from ..coming_up import coming_up
from ..models import Preferences

register = template.Library()


def _person(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    return request, user


@register.inclusion_tag("notifications/coming_up.html", takes_context=True)
def coming_up_panel(context):
    """What is due soon, for the signed-in learner (three queries)."""
    _request, user = _person(context)
    if user is None or not user.is_authenticated:
        return {"coming_up": None}
    return {"coming_up": coming_up(user)}


@register.simple_tag(takes_context=True)
def calendar_feed(context) -> dict:
    """The signed-in person's feed: its secret and its address, or None for both if they
    have not asked for one yet (one query; it never creates anything)."""
    request, user = _person(context)
    if user is None or not user.is_authenticated:
        return {"token": None, "url": None}
    token = Preferences.objects.filter(person=user).values_list("calendar_token", flat=True).first()
    if token is None:
        return {"token": None, "url": None}
    path = reverse("notifications:calendar_feed", args=[token])
    return {"token": token, "url": request.build_absolute_uri(path)}
