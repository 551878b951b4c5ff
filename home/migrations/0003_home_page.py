"""Serve a fresh database's site from a HomePage rather than Wagtail's welcome page.

Wagtail's own migrations create a placeholder page ("Welcome to your new Wagtail site!")
and a default site that serves it. A new installation then showed Wagtail's placeholder,
under which the admin offers no place for programmes or the privacy notice. This replaces
the placeholder with the project's home page, in the same place in the tree, and points
the default site at it.

It changes nothing on a database where anything else was built: the placeholder must be
the only page under the root, a plain page with no children, and no HomePage may exist.
`home.services.site_ensure_home` does the same work for a database built otherwise.
"""

from django.db import migrations
from django.utils import timezone

TITLE = "Lead and learn together"
INTRODUCTION = (
    "Short, practical modules for anyone who works in health and care, whichever "
    "organisation pays your salary. Learn at your own pace, reflect as you go, and see how "
    "you and your team change over time."
)
SITE_NAME = "Leading Together"


def replace_the_placeholder(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    HomePage = apps.get_model("home", "HomePage")

    root = Page.objects.filter(depth=1).order_by("path").first()
    if root is None or HomePage.objects.exists():
        return
    under_root = list(Page.objects.filter(depth=2, path__startswith=root.path))
    if len(under_root) != 1:
        return
    placeholder = under_root[0]
    plain_page = ContentType.objects.get_for_model(Page)
    if placeholder.content_type_id != plain_page.pk or placeholder.numchild:
        return

    site = Site.objects.filter(root_page=placeholder, is_default_site=True).first()
    hostname, port = (site.hostname, site.port) if site else ("localhost", 80)
    site_name = (site.site_name if site else "") or SITE_NAME
    path, locale_id = placeholder.path, placeholder.locale_id
    placeholder.delete()  # and, by cascade, the site that served it

    now = timezone.now()
    home = HomePage.objects.create(
        title=TITLE,
        draft_title=TITLE,
        slug="home",
        content_type=ContentType.objects.get_for_model(HomePage),
        path=path,
        depth=2,
        numchild=0,
        url_path="/home/",
        locale_id=locale_id,
        live=True,
        first_published_at=now,
        last_published_at=now,
        introduction=INTRODUCTION,
    )
    Site.objects.create(
        hostname=hostname,
        port=port,
        root_page=home,
        is_default_site=True,
        site_name=site_name,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0002_privacy_notice"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(replace_the_placeholder, migrations.RunPython.noop),
    ]
