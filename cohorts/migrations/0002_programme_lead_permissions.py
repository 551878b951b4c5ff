"""Let programme leads (and site admins) into the admin to run cohorts.

Both roles get access to the Wagtail admin and add, change, view and delete on
`cohorts.Cohort`. Which cohorts each lead may open is decided by `cohorts.permissions`,
not by these model permissions: they only let the Cohorts menu appear. Django creates the
permissions after all migrations have run, so this creates any that do not exist yet,
with the same codenames and names.
"""

from django.db import migrations

PROGRAMME_LEAD = "Programme lead"
SITE_ADMIN = "Site admin"
ACTIONS = ["add", "change", "view", "delete"]


def _permissions(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label="cohorts", model="cohort")
    admin_type, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    access_admin, _ = Permission.objects.get_or_create(
        content_type=admin_type,
        codename="access_admin",
        defaults={"name": "Can access Wagtail admin"},
    )
    return [access_admin] + [
        Permission.objects.get_or_create(
            content_type=content_type,
            codename=f"{action}_cohort",
            defaults={"name": f"Can {action} cohort"},
        )[0]
        for action in ACTIONS
    ]


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    permissions = _permissions(apps)
    for name in (PROGRAMME_LEAD, SITE_ADMIN):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    cohort_permissions = Permission.objects.filter(
        content_type__app_label="cohorts",
        codename__in=[f"{action}_cohort" for action in ACTIONS],
    )
    for group in Group.objects.filter(name__in=[PROGRAMME_LEAD, SITE_ADMIN]):
        group.permissions.remove(*cohort_permissions)
    lead = Group.objects.filter(name=PROGRAMME_LEAD).first()
    if lead is not None:
        lead.permissions.remove(*Permission.objects.filter(codename="access_admin"))


class Migration(migrations.Migration):
    dependencies = [
        ("cohorts", "0001_cohorts_memberships_invitations_exports"),
        ("accounts", "0002_create_roles"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
