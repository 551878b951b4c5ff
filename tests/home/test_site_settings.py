import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Site
from wagtail.test.utils import WagtailPageTestCase

from home.models import HomePage, SiteSettings
from home.services import site_ensure_home


@pytest.mark.django_db
def test_header_shows_service_name_without_nhs_logo_by_default(client, home_page):
    html = client.get("/").content.decode()

    assert '<a class="nhsuk-header__service-name" href="/">Leading Together</a>' in html
    assert 'class="nhsuk-header__logo"' not in html
    assert "skip-link" in html


@pytest.mark.django_db
def test_service_name_and_nhs_logo_come_from_site_settings(client, home_page):
    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.service_name = "Northfield Leadership Academy"
    settings.show_nhs_logo = True
    settings.contact_email = "academy@example.org"
    settings.save()

    html = client.get("/").content.decode()

    assert "Northfield Leadership Academy</a>" in html
    assert 'class="nhsuk-header__logo"' in html
    assert 'href="mailto:academy@example.org"' in html
    assert "<title>Lead and learn together – Northfield Leadership Academy</title>" in html


@pytest.mark.django_db
def test_breadcrumbs_list_ancestors_below_the_home_page(home_page):
    child = home_page.add_child(instance=Page(title="Systems leadership", slug="systems"))
    grandchild = child.add_child(instance=Page(title="Seeing the system", slug="seeing"))
    request = RequestFactory().get(grandchild.url)

    html = render_to_string("components/breadcrumbs.html", {"page": grandchild, "request": request})

    assert 'aria-label="Breadcrumb"' in html
    assert "Lead and learn together" in html and "Systems leadership" in html
    assert "Seeing the system" not in html


class HomePageTreeTests(WagtailPageTestCase):
    def test_home_page_lives_only_at_the_root(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})

    def test_home_page_renders(self):
        home = site_ensure_home(title="Welcome")
        self.assertPageIsRenderable(home)


@pytest.mark.django_db
def test_organisation_logo_replaces_the_nhs_logo(client, home_page):
    from wagtail_factories import ImageFactory

    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.logo = ImageFactory(title="Northfield Academy logo")
    settings.logo_alt_text = "Northfield Leadership Academy"
    settings.save()

    html = client.get("/").content.decode()

    assert 'class="lms-header__logo-image"' in html
    assert 'alt="Northfield Leadership Academy"' in html
    assert 'class="nhsuk-header__logo"' not in html


@pytest.mark.django_db
def test_home_page_lists_live_programmes(client, home_page):
    from modules.models import ProgrammePage

    for title, live in [("Compassionate cultures", True), ("Unfinished programme", False)]:
        programme = ProgrammePage(title=title, summary=f"About {title}.", live=live)
        home_page.add_child(instance=programme)

    html = client.get("/").content.decode()

    assert "Compassionate cultures" in html and "About Compassionate cultures." in html
    assert "Unfinished programme" not in html


# The settings are cached between requests ----------------------------------------------


def settings_queries(client, path="/") -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return [
        query["sql"] for query in captured.captured_queries if "home_sitesettings" in query["sql"]
    ]


@pytest.mark.django_db
def test_the_settings_are_read_once_then_from_the_cache(client, home_page):
    assert len(settings_queries(client)) == 1

    assert settings_queries(client) == []
    assert settings_queries(client, "/accounts/login/") == []


@pytest.mark.django_db
def test_an_edit_to_the_settings_shows_on_the_next_request(client, home_page):
    assert "Leading Together</a>" in client.get("/").content.decode()

    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.service_name = "Northfield Leadership Academy"
    settings.contact_email = "academy@example.org"
    settings.footer_text = "<p>Run by <b>Northfield</b>.</p>"
    settings.save()
    html = client.get("/").content.decode()

    assert "Northfield Leadership Academy</a>" in html
    assert 'href="mailto:academy@example.org"' in html
    assert "Run by <b>Northfield</b>." in html


@pytest.mark.django_db
def test_a_new_logo_shows_on_the_next_request(client, home_page):
    from wagtail_factories import ImageFactory

    assert "lms-header__logo-image" not in client.get("/").content.decode()

    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.logo = ImageFactory(title="Northfield Academy logo")
    settings.logo_alt_text = "Northfield Leadership Academy"
    settings.save()
    html = client.get("/").content.decode()

    assert 'class="lms-header__logo-image"' in html
    assert 'alt="Northfield Leadership Academy"' in html

    settings.logo.delete()
    assert "lms-header__logo-image" not in client.get("/").content.decode()


@pytest.mark.django_db
def test_deleted_settings_fall_back_to_the_defaults_on_the_next_request(client, home_page):
    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.service_name = "Northfield Leadership Academy"
    settings.save()
    assert "Northfield Leadership Academy</a>" in client.get("/").content.decode()

    SiteSettings.objects.all().delete()

    assert "Leading Together</a>" in client.get("/").content.decode()


@pytest.mark.django_db
def test_each_site_shows_its_own_settings(client, home_page):
    other_home = Page.get_first_root_node().add_child(
        instance=HomePage(title="Other home", slug="other-home")
    )
    other = Site.objects.create(hostname="other.example.org", port=80, root_page=other_home)
    SiteSettings.objects.filter(site__is_default_site=True).delete()
    SiteSettings.objects.create(site=Site.objects.get(is_default_site=True), service_name="Ours")
    SiteSettings.objects.create(site=other, service_name="Theirs")

    for _round in range(2):
        assert "Ours</a>" in client.get("/").content.decode()
        html = client.get("/", HTTP_HOST="other.example.org").content.decode()
        assert "Theirs</a>" in html


@pytest.mark.django_db
def test_a_site_moved_to_another_home_page_shows_at_once(client, home_page):
    from django.core.cache import cache

    from home.services import privacy_notice_ensure

    privacy_notice_ensure(home=home_page)
    other_home = Page.get_first_root_node().add_child(
        instance=HomePage(title="Other home", slug="other-home")
    )
    assert 'href="/privacy/">Privacy notice</a>' in client.get("/").content.decode()

    site = Site.objects.get(is_default_site=True)
    site.root_page = other_home
    site.save()
    html = client.get("/").content.decode()
    cache.clear()

    assert 'href="/privacy/"' not in html
    assert html == client.get("/").content.decode()
