"""Hostile input on every member-side set URL, with real ids and as the people who may use
each page (a member, the member-facilitator and a lead), so that the forms behind the
"not found" answers are reached too. The requests are the site-wide walk's
(`tests/test_hostile_input.py`): NUL bytes, 100 KB values, bytes that are not UTF-8, years
9999 and 0, 20-digit and negative ids, empty, JSON and duplicated bodies. None may answer
with a server error, and none may change what a refused request should leave alone."""

import pytest
from django.test import Client
from django.urls import reverse

from learning_sets.models import Meeting, SetMember, SharedCommitment
from tests.test_hostile_input import field_names, requests_for, send

from .conftest_member import build_world
from .test_permission_matrix_member import POSTED, urls

pytestmark = pytest.mark.django_db

ROLES = ["set member", "facilitator", "lead of the cohort"]


@pytest.fixture
def world(db):
    world = build_world()
    world.own = SharedCommitment.objects.create(
        learning_set=world.learning_set, learner=world.people["set member"], text="Own words"
    )
    return world


@pytest.mark.parametrize("role", ROLES)
def test_no_member_url_answers_hostile_input_with_a_server_error(world, role):
    client = Client(raise_request_exception=False)
    client.force_login(world.people[role])
    failures = []
    for page, url in urls(world).items():
        if page in POSTED:
            first = send(client, "POST", url, b"", "application/x-www-form-urlencoded")
        else:
            first = send(client, "GET", url, b"", None)
        fields = field_names(first) or ["q", "id", "pk", "name", "date"]
        for description, method, target, body, content_type in requests_for(url, fields):
            response = send(client, method, target, body, content_type)
            if response.status_code >= 500:
                failures.append(f"{page} as {role}: {description} -> {response.status_code}")
    assert not failures, "\n".join(failures)


def test_hostile_posts_leave_the_set_as_it_was(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.people["facilitator"])
    before = list(Meeting.objects.order_by("pk").values_list("pk", "starts_at", "sequence"))
    edit = reverse("learning_sets:meeting_edit", args=[world.learning_set.pk, world.upcoming.pk])
    fields = field_names(client.get(edit))
    assert {"day", "month", "year", "time", "duration_minutes"} <= set(fields)
    for _description, method, target, body, content_type in requests_for(edit, fields):
        if method == "POST":
            client.generic(method, target, data=body, content_type=content_type)
    assert list(Meeting.objects.order_by("pk").values_list("pk", "starts_at", "sequence")) == before
    assert SetMember.objects.filter(learning_set=world.learning_set).count() == 3
