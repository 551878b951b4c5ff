"""Let site admins read the failed background tasks report (Reports › Failed tasks),
which checks django-tasks-db's "view" permission on its task results."""

from django.db import migrations

SITE_ADMIN = "Site admin"


def _view_permission(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="django_tasks_database", model="dbtaskresult"
    )
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="view_dbtaskresult",
        defaults={"name": "Can view Task Result"},
    )
    return permission


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=SITE_ADMIN).first()
    if group is not None:
        group.permissions.add(_view_permission(apps))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=SITE_ADMIN).first()
    if group is not None:
        group.permissions.remove(_view_permission(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_user_exclude_from_reports"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
