"""Every calendar URL, for every kind of visitor: the exact status, and nobody's dates in
anyone else's answer.

Signed-in pages send anonymous visitors to sign in (302) and people with an unconfirmed
address to confirm it (302). A commitment's file is its owner's alone and a cohort's is for
its members: anyone else, lead and site admin included, gets "not found" (404), as for an id
that is nobody's. The feed needs no sign-in: its secret is the key, whoever asks.
"""

import pytest
from django.urls import reverse

from notifications.models import Preferences
from tests.factories import UserFactory

from .conftest_calendars import build_world, feed_token

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "unconfirmed address",
    "owner",
    "fellow set member",
    "learner of another cohort",
    "lead of the cohort",
    "lead of another cohort",
    "course editor",
    "site admin",
]
PAGES = ["calendar page", "commitment ics", "cohort ics", "feed", "open feed", "reset feed"]
POSTS = {"open feed", "reset feed"}
OWN_ONLY = {"commitment ics"}
MEMBERS_ONLY = {"cohort ics"}  # the owner and the fellow member are in the cohort


@pytest.fixture(scope="module")
def expected():
    table = {}
    for role in ROLES:
        for page in PAGES:
            if page == "feed":
                status = 200
            elif role in {"anonymous", "unconfirmed address"}:
                status = 302
            elif page in POSTS:
                status = 302  # done, back to the page
            elif page in OWN_ONLY:
                status = 200 if role == "owner" else 404
            elif page in MEMBERS_ONLY:
                status = 200 if role in {"owner", "fellow set member"} else 404
            else:
                status = 200
            table[role, page] = status
    return table


@pytest.fixture
def world(db):
    world = build_world()
    world.token = feed_token(world.owner)
    world.people = {
        "anonymous": None,
        "unconfirmed address": UserFactory(verified=False),
        "owner": world.owner,
        "fellow set member": world.fellow,
        "learner of another cohort": world.outsider,
        "lead of the cohort": world.lead,
        "lead of another cohort": world.other_lead,
        "course editor": world.editor,
        "site admin": world.admin,
    }
    return world


def request(client, world, page):
    urls = {
        "calendar page": reverse("notifications:calendar"),
        "commitment ics": reverse("notifications:commitment_ics", args=[world.mine.pk]),
        "cohort ics": reverse("notifications:cohort_ics", args=[world.cohort.pk]),
        "feed": reverse("notifications:calendar_feed", args=[world.token]),
        "open feed": reverse("notifications:calendar_feed_open"),
        "reset feed": reverse("notifications:calendar_feed_reset"),
    }
    if page in POSTS:
        # The owner's secret: only the owner's own reset may act on it.
        return client.post(urls[page], {"current": world.token})
    return client.get(urls[page])


@pytest.mark.parametrize("role", ROLES)
def test_every_calendar_url_for_every_role(client, world, expected, role):
    person = world.people[role]
    if person is not None:
        client.force_login(person)
    failures = []
    for page in PAGES:
        response = request(client, world, page)
        if response.status_code != expected[role, page]:
            failures.append(f"{page}: {response.status_code}, expected {expected[role, page]}")
        if response.status_code == 200 and page != "calendar page":
            body = response.content
            # Nobody's name, and never a commitment's words, in any calendar.
            for text in ("Amira", "Okafor", "Khan", "Ben's private plan", world.mine.text):
                if text.encode() in body:
                    failures.append(f"{page}: shows {text!r}")
    assert not failures, "\n".join(failures)
    # Only the owner's own reset replaces the owner's secret.
    still = Preferences.objects.get(person=world.owner).calendar_token
    assert (still != world.token) == (role == "owner")


@pytest.mark.parametrize("role", ["anonymous", "owner", "fellow set member", "site admin"])
def test_an_ics_of_an_id_that_is_nobodys_is_not_found_for_signed_in_people(client, world, role):
    person = world.people[role]
    if person is not None:
        client.force_login(person)
    for name in ("commitment_ics", "cohort_ics"):
        response = client.get(reverse(f"notifications:{name}", args=[987654321]))
        assert response.status_code == (302 if person is None else 404)
