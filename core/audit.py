"""Narrow what Wagtail's audit log shows to the rows of a model a user may see.

Wagtail decides who reads which log entries in one place: the log entry managers'
`viewable_by_user(user)`. The site history report, its CSV and XLSX export and its
filters (the users, types and actions offered) all start from it. For a generic model's
entries (`ModelLogEntry`) it asks only "has the user any permission on this model?", so
anyone who may change one object of a model reads the history of every object of it.

An app whose objects are visible row by row registers that rule here:

    restrict_log_entries(Cohort, lambda user: visible_cohorts(user))

and a user then reads the entries about a registered model's objects only where the
callable's queryset holds the object. The callable returns None for "every object"
(site admins), which also keeps entries about deleted objects.

Wagtail offers no hook for this, so `install()` wraps
`ModelLogEntryManager.viewable_by_user` once: the single patch point, applied on the
first registration. The per-object history views list entries for one object and load
that object through the app's own visibility rule, so they need nothing from here.
"""

from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Model, Q, QuerySet
from django.db.models.functions import Cast
from wagtail.models.audit_log import ModelLogEntryManager

VisibleRows = Callable[[object], QuerySet | None]

_restrictions: dict[type[Model], VisibleRows] = {}
_wagtail_viewable_by_user = ModelLogEntryManager.viewable_by_user


def restrict_log_entries(model: type[Model], visible: VisibleRows) -> None:
    """Show a user the log entries about `model`'s objects in `visible(user)` only."""
    _restrictions[model] = visible
    install()


def restricted_log_entries(entries: QuerySet, user) -> QuerySet:
    """`entries` without those about registered objects that `user` may not see."""
    for model, visible in _restrictions.items():
        rows = visible(user)
        if rows is None:
            continue
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        # ModelLogEntry keeps the object's id as text.
        ids = (
            rows.order_by().annotate(log_object_id=Cast("pk", CharField())).values("log_object_id")
        )
        entries = entries.filter(~Q(content_type=content_type) | Q(object_id__in=ids))
    return entries


def _viewable_by_user(manager, user):
    return restricted_log_entries(_wagtail_viewable_by_user(manager, user), user)


def install() -> None:
    """Wrap Wagtail's `ModelLogEntryManager.viewable_by_user` (idempotent)."""
    ModelLogEntryManager.viewable_by_user = _viewable_by_user


# People who erased their accounts ------------------------------------------------------
#
# Wagtail shows a log entry's user by looking the user up; once the account is erased that
# would read "user 42 (deleted)". Erasure (accounts.privacy) instead clears the entry's
# user and stores how to name them, such as "Former lead 1a2b3c4d5e", under this key of
# the entry's data; Wagtail's display name then shows that.
FORMER_USER_KEY = "former_user"


def install_former_user_names() -> None:
    """Make `BaseLogEntry.user_display_name` show the stored former-user name (idempotent)."""
    from django.utils.functional import cached_property
    from wagtail.models.audit_log import BaseLogEntry

    original = BaseLogEntry.__dict__["user_display_name"]
    if getattr(original, "former_user_names", False):
        return
    original_function = original.func if isinstance(original, cached_property) else original

    def user_display_name(self):
        data = self.data if isinstance(self.data, dict) else {}
        if self.user_id is None and data.get(FORMER_USER_KEY):
            return data[FORMER_USER_KEY]
        return original_function(self)

    patched = cached_property(user_display_name)
    patched.former_user_names = True
    patched.__set_name__(BaseLogEntry, "user_display_name")
    BaseLogEntry.user_display_name = patched
