"""Let course editors and site admins define, publish and delete self-assessments.

Both roles get add, change, delete and publish on `assessments.Instrument`. Django creates
the add/change/delete permissions, and Wagtail the publish one (for snippets with drafts),
only after all migrations have run, so this creates any that do not exist yet, with the
same codenames and names; those later steps then find them and add nothing.
"""

from django.db import migrations

COURSE_EDITOR = "Course editor"
SITE_ADMIN = "Site admin"
ACTIONS = ["add", "change", "delete", "publish"]
VERBOSE_NAME = "self-assessment"


def _permissions(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label="assessments", model="instrument")
    return [
        Permission.objects.get_or_create(
            content_type=content_type,
            codename=f"{action}_instrument",
            defaults={"name": f"Can {action} {VERBOSE_NAME}"},
        )[0]
        for action in ACTIONS
    ]


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    permissions = _permissions(apps)
    for name in (COURSE_EDITOR, SITE_ADMIN):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="assessments",
        codename__in=[f"{action}_instrument" for action in ACTIONS],
    )
    for group in Group.objects.filter(name__in=[COURSE_EDITOR, SITE_ADMIN]):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0001_instruments_responses_and_teams"),
        ("accounts", "0002_create_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
