"""Deleting a user never leaves a cohort without a lead: Wagtail's user delete view and
its bulk delete both refuse, naming the cohorts, until each has another lead."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils.http import urlencode

from accounts.models import User
from cohorts.models import Cohort
from cohorts.selectors import cohorts_left_without_a_lead
from tests.factories import UserFactory

from .factories import make_cohort, make_lead


@pytest.fixture
def superuser_client(client, db):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def delete_url(user) -> str:
    return reverse("wagtailusers_users:delete", args=[user.pk])


def bulk_delete_url(*users) -> str:
    query = urlencode([("id", user.pk) for user in users])
    return reverse("wagtail_bulk_action", args=["accounts", "user", "delete"]) + f"?{query}"


def said(response) -> str:
    return " ".join(str(message) for message in get_messages(response.wsgi_request))


@pytest.mark.django_db
def test_deleting_a_cohorts_only_lead_is_refused_with_the_cohorts_named(
    superuser_client, lead, cohort
):
    for method in (superuser_client.get, superuser_client.post):
        response = method(delete_url(lead))

        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailusers_users:edit", args=[lead.pk])
        assert f"'{cohort.name}'" in said(response)
    assert User.objects.filter(pk=lead.pk).exists()
    assert list(Cohort.objects.get(pk=cohort.pk).leads.all()) == [lead]


@pytest.mark.django_db
def test_a_lead_with_a_co_lead_on_every_cohort_can_be_deleted(superuser_client, lead, cohort):
    co_lead = make_lead(email="co.lead@example.org")
    cohort.leads.add(co_lead)

    response = superuser_client.post(delete_url(lead))

    assert response.status_code == 302
    assert not User.objects.filter(pk=lead.pk).exists()
    assert list(Cohort.objects.get(pk=cohort.pk).leads.all()) == [co_lead]


@pytest.mark.django_db
def test_bulk_deleting_every_lead_of_a_cohort_is_refused(superuser_client, lead, cohort):
    co_lead = make_lead(email="co.lead@example.org")
    cohort.leads.add(co_lead)
    # Each alone could go; both together would leave the cohort with nobody.
    response = superuser_client.post(bulk_delete_url(lead, co_lead))

    assert response.status_code == 302
    assert f"'{cohort.name}'" in said(response)
    assert User.objects.filter(pk__in=[lead.pk, co_lead.pk]).count() == 2


@pytest.mark.django_db
def test_bulk_deleting_learners_is_not_held_up(superuser_client, cohort):
    learner = cohort.members.first()

    response = superuser_client.post(bulk_delete_url(learner))

    assert response.status_code == 302
    assert not User.objects.filter(pk=learner.pk).exists()


@pytest.mark.django_db
def test_only_cohorts_with_no_other_lead_are_named(lead, cohort):
    shared = make_cohort(lead=lead, name="Shared cohort")
    shared.leads.add(make_lead(email="another.lead@example.org"))
    untouched = make_cohort(lead=make_lead(email="third@example.org"), name="Not theirs")

    orphaned = set(cohorts_left_without_a_lead([lead]))

    assert orphaned == {cohort}
    assert shared not in orphaned and untouched not in orphaned
