"""Names of the roles, each a Django group created by a data migration."""

LEARNER = "Learner"
COURSE_EDITOR = "Course editor"
CONTENT_APPROVER = "Content approver"
PROGRAMME_LEAD = "Programme lead"
SITE_ADMIN = "Site admin"

ALL_ROLES = (LEARNER, COURSE_EDITOR, CONTENT_APPROVER, PROGRAMME_LEAD, SITE_ADMIN)
# Roles that reach the admin or other people's data, and so must use a second factor
# where STAFF_MFA_REQUIRED is on.
STAFF_ROLES = (COURSE_EDITOR, CONTENT_APPROVER, PROGRAMME_LEAD, SITE_ADMIN)


def is_staff_role(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff:
        return True
    return user.groups.filter(name__in=STAFF_ROLES).exists()


def is_site_admin(user) -> bool:
    """A superuser, or an active account in the Site admin role."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name=SITE_ADMIN).exists()
