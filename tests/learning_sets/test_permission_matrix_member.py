"""Every member- and facilitator-facing set URL, for every kind of visitor: the exact
status, and nothing of another set, nor any shared text for those who may only count it.

The rules under test are `learning_sets/access.py`: members open their own set (once they
accept the ground rules); the set's facilitator and the leads of its cohort (through the
cohorts' visibility rule, which also lets site admins in) open its facilitator pages and a
text-free view of it; everyone else signed in gets "not found" (404), whether the set
exists or not; anonymous visitors are asked to sign in (302). The calendar feed needs no
sign-in: its secret is the key.
"""

import copy

import pytest
from django.urls import resolve, reverse

from learning_sets import member_urls
from learning_sets.models import Meeting, SharedCommitment
from tests.worlds import module_world

from .conftest_member import ROLES, build_world

pytestmark = pytest.mark.django_db

MEMBER_PAGES = {
    "ground rules",
    "challenge",
    "leave",
    "new commitment",
    "from lessons",
    "withdraw",
    "check in",
}
FACILITATOR_PAGES = {"new meeting", "edit meeting", "cancel meeting", "attendance", "feed reset"}
SHARED_PAGES = {"set", "ics"}
# Pages about one of the set member's own commitments: nobody else's.
OWN_COMMITMENT_PAGES = {"withdraw", "check in"}
PAGES = ["my sets", *sorted(MEMBER_PAGES | FACILITATOR_PAGES | SHARED_PAGES), "feed"]
POSTED = {"feed reset"}


def expected_status(role: str, page: str) -> int:
    if page == "feed":
        return 200
    if role == "anonymous":
        return 302
    if page == "my sets":
        return 200
    if page == "feed reset":
        may = role in {"facilitator", "lead of the cohort", "site admin"}
        return 302 if may else 404
    if role == "set member":
        return 404 if page in FACILITATOR_PAGES else 200
    if role == "facilitator":
        return 404 if page in OWN_COMMITMENT_PAGES else 200
    if role in {"lead of the cohort", "site admin"}:
        return 404 if page in MEMBER_PAGES else 200
    return 404


def build_matrix_world():
    world = build_world()
    amira = world.people["set member"]
    world.own = SharedCommitment.objects.create(
        learning_set=world.learning_set, learner=amira, text="Amira's shared words"
    )
    return world


# Built once for the module's 180 tests (tests/worlds.py); each test gets its own copy.
matrix_world = module_world(build_matrix_world)


@pytest.fixture
def world(matrix_world, db):
    return copy.deepcopy(matrix_world)


def urls(world, set_id=None) -> dict[str, str]:
    pk = set_id if set_id is not None else world.learning_set.pk

    def at(name, *args):
        return reverse(f"learning_sets:{name}", args=[pk, *args])

    return {
        "my sets": reverse("learning_sets:my_sets"),
        "set": at("set"),
        "ground rules": at("ground_rules"),
        "challenge": at("challenge"),
        "leave": at("leave"),
        "new commitment": at("commitment_create"),
        "from lessons": at("commitments_from_lessons"),
        "withdraw": at("commitment_withdraw", world.own.pk),
        "check in": at("check_in", world.own.pk, world.past.pk),
        "new meeting": at("meeting_create"),
        "edit meeting": at("meeting_edit", world.upcoming.pk),
        "cancel meeting": at("meeting_cancel", world.upcoming.pk),
        "attendance": at("attendance", world.past.pk),
        "ics": at("meeting_ics", world.past.pk),
        "feed reset": at("feed_reset"),
        "feed": reverse("learning_sets:feed", args=[world.learning_set.feed_token]),
    }


def fetch(client, page: str, url: str):
    return client.post(url) if page in POSTED else client.get(url)


def sign_in(client, world, role):
    user = world.people[role]
    if user is not None:
        client.force_login(user)
    return user


def test_the_matrix_covers_every_member_url(world):
    named = {pattern.name for pattern in member_urls.urlpatterns}
    assert {resolve(url).url_name for url in urls(world).values()} == named
    assert sorted(urls(world)) == sorted(PAGES)


# Not "page": pytest-playwright would take that for its fixture, run these under Chromium
# and move them among the browser tests, after which the database is empty.
@pytest.mark.parametrize("url_name", PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_what_it_may(client, world, role, url_name):
    sign_in(client, world, role)

    response = fetch(client, url_name, urls(world)[url_name])

    assert response.status_code == expected_status(role, url_name), (role, url_name)
    if response.status_code == 200 and not getattr(response, "streaming", False):
        body = response.content.decode()
        assert "Zainab" not in body  # another cohort's set
        if role != "member of another set":  # whose own name is in the header
            assert "Dev Patel" not in body  # another set of the same cohort
        assert "Zainab&#x27;s secret plan" not in body
        if role in {"lead of the cohort", "site admin"} or url_name in {"feed", "ics"}:
            assert "discharge pathway" not in body
            assert "Amira&#x27;s shared words" not in body


@pytest.mark.parametrize("role", ROLES)
def test_a_guessed_set_id_is_not_found_for_everyone_signed_in(client, world, role):
    sign_in(client, world, role)
    missing = max(world.far_set.pk, world.other_set.pk) + 1000
    for page, url in urls(world, set_id=missing).items():
        if page in {"my sets", "feed"}:
            continue
        status = fetch(client, page, url).status_code
        assert status == (302 if role == "anonymous" else 404), (role, page)


@pytest.mark.parametrize("role", ["set member", "facilitator", "lead of the cohort"])
def test_another_sets_id_is_not_found(client, world, role):
    sign_in(client, world, role)
    for page, url in urls(world, set_id=world.far_set.pk).items():
        if page in {"my sets", "feed"}:
            continue
        assert fetch(client, page, url).status_code == 404, (role, page)


@pytest.mark.parametrize("role", ["set member", "site admin"])
def test_a_twenty_digit_id_is_not_found(client, world, role):
    sign_in(client, world, role)
    twenty = "9" * 20
    for path in (
        f"/sets/{twenty}/",
        f"/sets/{world.learning_set.pk}/meetings/{twenty}.ics",
        f"/sets/{world.learning_set.pk}/commitments/{twenty}/withdraw/",
        f"/sets/{world.learning_set.pk}/commitments/{world.own.pk}/meetings/{twenty}/check-in/",
        f"/sets/{world.learning_set.pk}/meetings/{twenty}/attendance/",
    ):
        assert client.get(path).status_code == 404, path
        assert client.post(path).status_code == 404, path


def test_another_persons_commitment_id_is_not_found(client, world):
    sign_in(client, world, "fellow member")
    for url in (
        reverse("learning_sets:commitment_withdraw", args=[world.learning_set.pk, world.own.pk]),
        reverse(
            "learning_sets:check_in", args=[world.learning_set.pk, world.own.pk, world.past.pk]
        ),
    ):
        assert client.get(url).status_code == 404
        assert client.post(url, {"status": "done"}).status_code == 404
    assert SharedCommitment.objects.filter(pk=world.own.pk).exists()
    assert not world.own.check_ins.exists()


def test_refused_posts_change_nothing(client, world):
    token = world.learning_set.feed_token
    for role in ("member of another set", "lead of another cohort", "course editor"):
        sign_in(client, world, role)
        for page, url in urls(world).items():
            if page not in {"my sets", "feed"}:
                client.post(url, {"challenge": "Hijack", "status": "done", "time": "2pm"})
    world.learning_set.refresh_from_db()
    assert world.learning_set.feed_token == token
    assert Meeting.objects.filter(pk=world.upcoming.pk).exists()
    assert SharedCommitment.objects.filter(pk=world.own.pk).exists()
    assert not world.learning_set.members.filter(challenge="Hijack").exists()
