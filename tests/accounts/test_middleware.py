"""A signed-in person without admin access who opens the admin (accounts/middleware.py):
a styled "the admin is for staff" page, never a loop through the sign-in page."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts import roles
from tests.cohorts.factories import make_cohort, make_lead

pytestmark = pytest.mark.django_db

HEADING = "The admin is for staff"


@pytest.fixture
def learner_client(client, learner):
    learner.groups.add(Group.objects.get(name=roles.LEARNER))
    client.force_login(learner)
    return client


@pytest.fixture
def cohort(home_page):
    return make_cohort(lead=make_lead())


def admin_urls(cohort) -> list[str]:
    return [
        "/admin/",
        "/admin/pages/",
        "/admin/cohorts/",
        reverse("cohorts_admin:grid", args=[cohort.pk]) + "?export=csv",
        reverse("wagtailadmin_reports:site_history"),
        "/admin/no-such-screen/",
    ]


def test_a_learner_is_told_the_admin_is_for_staff_on_every_admin_url(learner_client, cohort):
    for url in admin_urls(cohort):
        response = learner_client.get(url)

        assert response.status_code == 403, url
        assert "Location" not in response, url
        assert [t.name for t in response.templates][:2] == [
            "accounts/admin_for_staff.html",
            "base.html",
        ], url
        page = response.content.decode()
        assert f'<h1 class="nhsuk-heading-xl">{HEADING}</h1>' in page, url
        assert f'<a href="{reverse("modules:my_learning")}">Go to My learning</a>' in page, url


def test_a_learners_post_to_the_admin_is_refused_the_same_way(learner_client, cohort):
    response = learner_client.post("/admin/cohorts/add/", {"name": "Mine now"})

    assert response.status_code == 403
    assert HEADING in response.content.decode()


def test_following_redirects_from_the_admin_or_the_sign_in_page_never_loops(learner_client, cohort):
    # Django's test client raises RedirectCycleError on a loop.
    response = learner_client.get("/admin/", follow=True)
    assert response.redirect_chain == []
    assert response.status_code == 403

    response = learner_client.get("/accounts/login/?next=/admin/pages/", follow=True)
    assert response.redirect_chain == [("/admin/pages/", 302)]
    assert response.status_code == 403
    assert HEADING in response.content.decode()


def test_anonymous_visitors_are_still_sent_to_sign_in(client, cohort):
    for url in admin_urls(cohort)[:-1]:
        response = client.get(url)

        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next=/admin/"), url


def test_staff_reach_the_admin(client, home_page):
    client.force_login(make_lead())

    response = client.get("/admin/")

    assert response.status_code == 200
    assert HEADING not in response.content.decode()
