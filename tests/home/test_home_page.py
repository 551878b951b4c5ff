import importlib

import pytest
from django.apps import apps as django_apps
from wagtail.models import Page, Site

from home.models import HomePage
from home.services import site_ensure_home


@pytest.mark.django_db
def test_site_ensure_home_is_idempotent_and_serves_the_home_page(client):
    first = site_ensure_home(title="Lead and learn together")
    second = site_ensure_home(title="A different title")

    assert first.pk == second.pk
    assert HomePage.objects.count() == 1
    assert Site.objects.get(is_default_site=True).root_page_id == first.pk
    response = client.get("/")
    assert response.status_code == 200
    assert b"Lead and learn together" in response.content


# home/migrations/0003_home_page.py ---------------------------------------------------

replace_the_placeholder = importlib.import_module(
    "home.migrations.0003_home_page"
).replace_the_placeholder


@pytest.mark.django_db
def test_a_migrated_database_serves_a_home_page_not_wagtails_placeholder(client):
    root = Page.get_first_root_node()

    home = HomePage.objects.get()
    site = Site.objects.get(is_default_site=True)
    assert site.root_page_id == home.pk
    assert (site.hostname, site.port, site.site_name) == ("localhost", 80, "Leading Together")
    assert [page.specific_class for page in root.get_children()] == [HomePage]
    assert home.live and home.url_path == "/home/" and home.locale_id == root.locale_id
    response = client.get("/")
    assert response.status_code == 200
    assert b"Lead and learn together" in response.content
    assert b"Welcome to your new Wagtail site" not in response.content


def placeholder_site(hostname: str = "learning.example.org") -> Page:
    """A database as Wagtail's own migrations leave it: the welcome page, served by the
    default site."""
    HomePage.objects.all().delete()
    Site.objects.all().delete()
    placeholder = Page.get_first_root_node().add_child(
        instance=Page(title="Welcome to your new Wagtail site!", slug="home")
    )
    Site.objects.create(
        hostname=hostname, port=443, root_page=placeholder, is_default_site=True, site_name=""
    )
    return placeholder


@pytest.mark.django_db
def test_the_placeholder_is_replaced_in_its_place_keeping_the_sites_address():
    placeholder = placeholder_site()

    replace_the_placeholder(django_apps, None)

    assert not Page.objects.filter(pk=placeholder.pk).exists()
    home = HomePage.objects.get()
    assert home.path == placeholder.path
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port, site.root_page_id) == ("learning.example.org", 443, home.pk)
    assert site.site_name == "Leading Together"
    assert site_ensure_home(title="Another title").pk == home.pk


@pytest.mark.django_db
@pytest.mark.parametrize("built", ["a child page", "a second page", "a home page"])
def test_a_database_where_anything_was_built_is_left_alone(built):
    placeholder = placeholder_site()
    root = Page.get_first_root_node()
    if built == "a child page":
        placeholder.add_child(instance=Page(title="About", slug="about"))
    elif built == "a second page":
        root.add_child(instance=Page(title="Intranet", slug="intranet"))
    else:
        root.add_child(instance=HomePage(title="Ours", slug="ours"))
    pages = sorted(Page.objects.values_list("pk", "content_type_id", "path"))
    sites = sorted(Site.objects.values_list("pk", "root_page_id", "hostname"))

    replace_the_placeholder(django_apps, None)

    assert sorted(Page.objects.values_list("pk", "content_type_id", "path")) == pages
    assert sorted(Site.objects.values_list("pk", "root_page_id", "hostname")) == sites
