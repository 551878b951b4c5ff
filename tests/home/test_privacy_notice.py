"""The privacy notice: a page site admins write, linked from every page and from sign-up."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Site
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text

from home.cookies import site_cookies
from home.models import HomePage, PrivacyNoticePage, SiteSettings
from home.privacy_notice import default_body
from home.services import privacy_notice_ensure, site_ensure_home
from tests.factories import UserFactory

FOOTER_LINK = re.compile(r'<a class="nhsuk-footer__list-item-link" href="/privacy/">')


@pytest.fixture
def notice(home_page):
    return privacy_notice_ensure(home=home_page)


def site_settings() -> SiteSettings:
    return SiteSettings.for_site(Site.objects.get(is_default_site=True))


@pytest.mark.django_db
def test_the_notice_renders_for_anonymous_visitors(client, notice):
    response = client.get("/privacy/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="nhsuk-heading-xl">Privacy notice</h1>' in html
    assert "Last updated" in html
    # The template text, with the parts only the controller can fill in left in brackets.
    assert "<h2>Who can see your information</h2>" in html
    assert "[Name of your organisation]" in html
    assert "Nobody else ever reads your reflections" in html
    # The cookie statement comes from the code, one row per cookie.
    assert '<h2 id="cookies">Cookies</h2>' in html
    for cookie in site_cookies():
        assert f'<code class="lms-cookie-name">{cookie.name}</code></th>' in (html)


@pytest.mark.django_db
def test_the_default_text_follows_the_settings(settings):
    settings.MIN_GROUP_SIZE = 5
    settings.COHORT_INVITATION_DAYS = 14

    body = default_body()

    assert "averages of at least 5 people" in body
    assert "expire after 14 days" in body
    assert "at least 3" not in body


@pytest.mark.django_db
def test_the_footer_links_to_the_notice_on_public_pages(client, notice):
    for path in ["/", "/privacy/", "/accounts/login/", "/accounts/signup/", "/no-such-page/"]:
        html = client.get(path).content.decode()
        assert FOOTER_LINK.search(html), path
        assert 'href="/privacy/#cookies">Cookies</a>' in html, path


@pytest.mark.django_db
def test_the_footer_links_to_the_notice_for_signed_in_learners(client, notice, learner):
    client.force_login(learner)

    html = client.get("/learn/").content.decode()

    assert FOOTER_LINK.search(html)


@pytest.mark.django_db
def test_the_sign_up_form_points_to_the_notice(client, notice):
    html = client.get("/accounts/signup/").content.decode()

    form = html[html.index('<form method="post" action="/accounts/signup/"') :]
    form = form[: form.index("</form>")]
    assert 'Our <a href="/privacy/">privacy notice</a> explains' in form


@pytest.mark.django_db
def test_no_link_without_a_live_notice(client, home_page):
    html = client.get("/accounts/signup/").content.decode()
    assert "privacy notice" not in html.lower()

    notice = privacy_notice_ensure(home=home_page)
    notice.unpublish()

    html = client.get("/accounts/signup/").content.decode()
    assert "privacy notice" not in html.lower()
    assert not FOOTER_LINK.search(html)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/accounts/login/"])
def test_the_footer_link_costs_no_query(client, home_page, path):
    def queries() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    without = queries()
    privacy_notice_ensure(home=home_page)
    with_notice = queries()

    assert with_notice == without


@pytest.mark.django_db
def test_ensuring_the_notice_is_idempotent_and_keeps_a_chosen_notice(home_page):
    first = privacy_notice_ensure(home=home_page)
    again = privacy_notice_ensure(home=home_page)

    assert again.pk == first.pk
    assert PrivacyNoticePage.objects.count() == 1
    assert site_settings().privacy_notice_id == first.pk

    first.body = "<h2>Our own notice</h2><p>Written by us.</p>"
    first.save_revision().publish()
    privacy_notice_ensure(home=home_page)
    first.refresh_from_db()
    assert first.body == "<h2>Our own notice</h2><p>Written by us.</p>"


@pytest.mark.django_db
def test_a_site_admin_edits_and_publishes_the_notice(client, notice):
    admin = UserFactory(organisation=None)
    admin.groups.add(Group.objects.get(name="Site admin"))
    client.force_login(admin)

    assert client.get(f"/admin/pages/{notice.pk}/edit/").status_code == 200
    response = client.post(
        f"/admin/pages/{notice.pk}/edit/",
        nested_form_data(
            {
                "title": "Privacy notice",
                "slug": "privacy",
                "introduction": "How Northfield uses your information.",
                "body": rich_text(
                    "<h2>Who we are</h2><p>Northfield Health Partnership runs this service.</p>"
                ),
                "action-publish": "action-publish",
            }
        ),
    )

    assert response.status_code == 302
    html = client.get("/privacy/").content.decode()
    assert "Northfield Health Partnership runs this service." in html
    assert "[Name of your organisation]" not in html
    assert notice.revisions.count() == 2


@pytest.mark.django_db
def test_a_site_admin_chooses_the_notice_in_the_site_settings(client, notice):
    admin = UserFactory(organisation=None)
    admin.groups.add(Group.objects.get(name="Site admin"))
    client.force_login(admin)
    site = Site.objects.get(is_default_site=True)

    response = client.get(f"/admin/settings/home/sitesettings/{site.pk}/")

    assert response.status_code == 200
    assert 'name="privacy_notice"' in response.content.decode()


@pytest.mark.django_db
def test_a_new_notice_starts_with_the_template_text():
    assert PrivacyNoticePage().body == default_body()


class PrivacyNoticeTreeTests(WagtailPageTestCase):
    def test_the_notice_lives_under_the_home_page_and_has_no_children(self):
        self.assertAllowedParentPageTypes(PrivacyNoticePage, {HomePage})
        self.assertAllowedSubpageTypes(PrivacyNoticePage, set())

    def test_one_notice_per_home_page(self):
        home = site_ensure_home(title="Welcome")
        self.assertCanCreateAt(HomePage, PrivacyNoticePage)
        privacy_notice_ensure(home=home)
        self.assertFalse(PrivacyNoticePage.can_create_at(home))

    def test_the_notice_renders(self):
        home = site_ensure_home(title="Welcome")
        self.assertPageIsRenderable(privacy_notice_ensure(home=home))

    def test_the_notice_is_not_a_child_of_anything_else(self):
        self.assertCanNotCreateAt(Page, PrivacyNoticePage)


@pytest.mark.django_db
def test_unpublishing_or_moving_the_notice_shows_in_the_footer_at_once(client, notice, home_page):
    assert FOOTER_LINK.search(client.get("/").content.decode())

    notice.slug = "privacy-and-cookies"
    notice.save_revision().publish()
    html = client.get("/").content.decode()
    assert 'href="/privacy-and-cookies/">Privacy notice</a>' in html

    notice.unpublish()
    html = client.get("/").content.decode()
    assert "Privacy notice</a>" not in html
