"""The admin home lists the cohorts a lead may see, and nothing for anyone else."""

from django.urls import reverse

from tests.factories import UserFactory

from .factories import make_lead, with_role


def test_a_lead_sees_their_cohorts_on_the_admin_home(client, lead, cohort, other_cohort):
    client.force_login(lead)

    page = client.get(reverse("wagtailadmin_home")).content.decode()

    assert "Your cohorts" in page
    assert f'href="{reverse("cohorts_admin:dashboard", args=[cohort.pk])}"' in page
    assert cohort.name in page
    assert other_cohort.name not in page


def test_a_lead_without_cohorts_is_offered_to_create_one(client, db):
    client.force_login(make_lead())

    page = client.get(reverse("wagtailadmin_home")).content.decode()

    assert "You do not lead any cohorts yet." in page
    assert reverse("cohort:add") in page


def test_a_site_admin_sees_every_cohort(client, site_admin, cohort, other_cohort):
    client.force_login(site_admin)

    page = client.get(reverse("wagtailadmin_home")).content.decode()

    assert cohort.name in page and other_cohort.name in page


def test_a_course_editor_gets_no_cohorts_panel(client, cohort):
    client.force_login(with_role(UserFactory(), "Course editor"))

    page = client.get(reverse("wagtailadmin_home")).content.decode()

    assert "Your cohorts" not in page
    assert cohort.name not in page


def test_the_panel_costs_the_same_queries_for_more_cohorts(
    client, lead, cohort_modules, django_assert_max_num_queries
):
    from .factories import make_cohort

    client.force_login(lead)
    make_cohort(lead=lead, name="First", modules=cohort_modules)
    client.get(reverse("wagtailadmin_home"))
    with django_assert_max_num_queries(60) as few:
        client.get(reverse("wagtailadmin_home"))
    for number in range(12):
        make_cohort(lead=lead, name=f"Cohort {number}", modules=cohort_modules)

    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("wagtailadmin_home")).content.decode()

    assert "See all your cohorts" in page
