"""The links to a learner's sets, for My learning, and to the facilitator guides.

`modules` never imports `learning_sets`; its template loads this library instead, so My
learning shows the link while the imports still point from learning_sets to modules.
"""

from django import template

from ..guide_access import may_read_guides
from ..guides import FacilitatorGuideIndexPage
from ..selectors import in_any_set

register = template.Library()


@register.inclusion_tag("learning_sets/member/my_sets_link.html", takes_context=True)
def my_sets_link(context):
    """A link to My sets, only for someone in a set or facilitating one (one query)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"show": user is not None and in_any_set(user)}


@register.inclusion_tag("learning_sets/guides/guides_link.html", takes_context=True)
def facilitator_guides_link(context):
    """A link to the facilitator guides, for those who may read them and only once a guide
    index is live (at most three queries; none for people who cannot read them)."""
    request = context.get("request")
    if request is None or not may_read_guides(request):
        return {"url": None}
    index = FacilitatorGuideIndexPage.objects.live().specific(defer=True).first()
    return {"url": index.get_url(request) if index is not None else None}
