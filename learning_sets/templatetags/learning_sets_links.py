"""The link to a learner's sets, for My learning.

`modules` never imports `learning_sets`; its template loads this library instead, so My
learning shows the link while the imports still point from learning_sets to modules.
"""

from django import template

from ..selectors import in_any_set

register = template.Library()


@register.inclusion_tag("learning_sets/member/my_sets_link.html", takes_context=True)
def my_sets_link(context):
    """A link to My sets, only for someone in a set or facilitating one (one query)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"show": user is not None and in_any_set(user)}
