"""Invitations waiting for the signed-in learner, for My learning.

`modules` never imports `cohorts`; its template loads this library instead, so My learning
shows cohort invitations while the imports still point from cohorts to modules.
"""

from django import template

from ..selectors import invitations_pending_for

register = template.Library()


@register.inclusion_tag("cohorts/includes/pending_invitations.html", takes_context=True)
def pending_invitations(context):
    """The learner's pending invitations with Accept and Decline (one query, however many)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    invitations = list(invitations_pending_for(user)) if user is not None else []
    return {"invitations": invitations, "csrf_token": context.get("csrf_token")}
