"""Whether a signed-in person may use the Wagtail admin, remembered across requests.

The site header shows an Admin link, and every page Wagtail's user bar, to people with
the `wagtailadmin.access_admin` permission. Asking Django costs two queries on every
page (the person's own permissions and their groups'), so the answer is kept in Django's
cache, per person, under two version tokens (`core.cache_versions`):

- the person's own, changed when their groups or their own permissions change (from
  either side of the relation: `user.groups.add(group)` or `group.user_set.add(user)`) and
  when the person is saved or deleted;
- everyone's, changed when a group's permissions change, a group's members are cleared
  from the group's side, or any group, permission or content type is saved or deleted.

`is_active` and `is_superuser` are read from the request's user, never from the cache, so
a change to either shows on the next request even before any signal. The answer only
decides what the public layout shows: the admin itself asks Django every time.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save

from .cache_versions import cache_version_bump, cache_versions

ACCESS_ADMIN = "wagtailadmin.access_admin"
CACHE_SECONDS = 24 * 60 * 60
_EVERYONE_KEY = "core:admin-access-version"
# Where the answer is kept on the request's user object, so that the header and the user
# bar ask the cache once per request.
_ON_USER = "_core_may_access_admin"


def _person_key(user_id) -> str:
    return f"core:admin-access-version:{user_id}"


def may_access_admin(user) -> bool:
    """`user.has_perm("wagtailadmin.access_admin")`, from the cache when it can be."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    known = getattr(user, _ON_USER, None)
    if known is not None:
        return known
    key = f"core:admin-access:{cache_versions(_EVERYONE_KEY, _person_key(user.pk))}:{user.pk}"
    allowed = cache.get(key)
    if allowed is None:
        allowed = user.has_perm(ACCESS_ADMIN)
        cache.set(key, allowed, timeout=CACHE_SECONDS)
    setattr(user, _ON_USER, allowed)
    return allowed


def person_changed(user_id) -> None:
    cache_version_bump(_person_key(user_id))


def everyone_changed() -> None:
    cache_version_bump(_EVERYONE_KEY)


# Signal handlers ---------------------------------------------------------------------


def on_membership_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """A person's groups or own permissions changed, from either side of the relation:
    `user.groups.add(group)` (the person is `instance`) or `group.user_set.add(user)` (the
    people are `pk_set`, or unknown when the group's side is cleared)."""
    if not action.startswith("post_"):
        return
    if not reverse:
        person_changed(instance.pk)
    elif pk_set is None:
        everyone_changed()
    else:
        for user_id in pk_set:
            person_changed(user_id)


def on_group_permissions_changed(sender, action, **kwargs):
    if action.startswith("post_"):
        everyone_changed()


def on_person_saved_or_deleted(sender, instance, **kwargs):
    person_changed(instance.pk)


def on_everyone_changed(sender, **kwargs):
    everyone_changed()


def connect() -> None:
    user_model = get_user_model()
    for through in (user_model.groups.through, user_model.user_permissions.through):
        m2m_changed.connect(on_membership_changed, sender=through)
    m2m_changed.connect(on_group_permissions_changed, sender=Group.permissions.through)
    for signal in (post_save, post_delete):
        signal.connect(on_person_saved_or_deleted, sender=user_model)
        for model in (Group, Permission, ContentType):
            signal.connect(on_everyone_changed, sender=model)
