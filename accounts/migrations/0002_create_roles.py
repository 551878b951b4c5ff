"""Create the five roles as groups, with the permissions each role needs today.

Later issues add to these (the moderation workflow, the programme lead's menu). Wagtail's
default "Editors" and "Moderators" groups are removed: these roles replace them.
"""

from django.db import migrations

LEARNER = "Learner"
COURSE_EDITOR = "Course editor"
CONTENT_APPROVER = "Content approver"
PROGRAMME_LEAD = "Programme lead"
SITE_ADMIN = "Site admin"

EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "lock_page", "unlock_page"]
APPROVER_PAGE_PERMISSIONS = [*EDITOR_PAGE_PERMISSIONS, "publish_page"]
ADMIN_PAGE_PERMISSIONS = [*APPROVER_PAGE_PERMISSIONS, "bulk_delete_page"]

EDITOR_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "image", ["add_image", "change_image", "choose_image"]),
    ("wagtaildocs", "document", ["add_document", "change_document", "choose_document"]),
]
ADMIN_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "image", ["add_image", "change_image", "choose_image", "delete_image"]),
    (
        "wagtaildocs",
        "document",
        ["add_document", "change_document", "choose_document", "delete_document"],
    ),
]
ADMIN_MODEL_PERMISSIONS = [
    ("accounts", "organisation", ["add", "change", "delete", "view"]),
    ("accounts", "user", ["add", "change", "delete", "view"]),
    ("auth", "group", ["add", "change", "delete", "view"]),
    ("wagtailcore", "site", ["change"]),
    ("home", "sitesettings", ["change"]),
]


def _permission(apps, app_label, model, codename):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename=codename,
        defaults={"name": codename.replace("_", " ").capitalize()},
    )
    return permission


def _grant_pages(apps, group, codenames):
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    root = Page.objects.filter(depth=1).first()
    if root is None:
        return
    for codename in codenames:
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=root,
            permission=_permission(apps, "wagtailcore", "page", codename),
        )


def _grant_collections(apps, group, spec):
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    root = Collection.objects.filter(depth=1).first()
    if root is None:
        return
    for app_label, model, codenames in spec:
        for codename in codenames:
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=root,
                permission=_permission(apps, app_label, model, codename),
            )


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    access_admin = _permission(apps, "wagtailadmin", "admin", "access_admin")

    Group.objects.get_or_create(name=LEARNER)
    Group.objects.get_or_create(name=PROGRAMME_LEAD)

    editor, _ = Group.objects.get_or_create(name=COURSE_EDITOR)
    editor.permissions.add(access_admin)
    _grant_pages(apps, editor, EDITOR_PAGE_PERMISSIONS)
    _grant_collections(apps, editor, EDITOR_COLLECTION_PERMISSIONS)

    approver, _ = Group.objects.get_or_create(name=CONTENT_APPROVER)
    approver.permissions.add(access_admin)
    _grant_pages(apps, approver, APPROVER_PAGE_PERMISSIONS)
    _grant_collections(apps, approver, EDITOR_COLLECTION_PERMISSIONS)

    site_admin, _ = Group.objects.get_or_create(name=SITE_ADMIN)
    site_admin.permissions.add(access_admin)
    for app_label, model, actions in ADMIN_MODEL_PERMISSIONS:
        for action in actions:
            site_admin.permissions.add(
                _permission(apps, app_label, model, f"{action}_{model}")
            )
    _grant_pages(apps, site_admin, ADMIN_PAGE_PERMISSIONS)
    _grant_collections(apps, site_admin, ADMIN_COLLECTION_PERMISSIONS)

    Group.objects.filter(name__in=["Editors", "Moderators"]).delete()


def remove_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(
        name__in=[LEARNER, COURSE_EDITOR, CONTENT_APPROVER, PROGRAMME_LEAD, SITE_ADMIN]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("home", "0001_homepage_and_site_settings"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
