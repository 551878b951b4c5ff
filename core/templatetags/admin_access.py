"""`{% may_access_admin as allowed %}`: whether the signed-in person may use the Wagtail
admin (`core.admin_access`), for the header's Admin link and the user bar."""

from django import template

from core.admin_access import may_access_admin as _may_access_admin

register = template.Library()


@register.simple_tag(takes_context=True)
def may_access_admin(context) -> bool:
    # A request that failed before the authentication middleware ran has no user.
    user = getattr(context.get("request"), "user", None)
    return user is not None and _may_access_admin(user)
