"""Every URL of the lead's set pages, for every kind of visitor: the exact status, and no
change made by anyone who may not make it.

Admin pages refuse anonymous visitors with Wagtail's redirect to sign in (302) and
signed-in people without admin access (learners, set members and member facilitators)
with the "admin is for staff" page (403). Pages of a cohort the visitor may not see (a
lead of another cohort, a course editor) are "not found" (404), as is another cohort's
set or a guessed id, whether it exists or not. Leads of the cohort and site admins may
use them all.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from wagtail.models import ModelLogEntry

from core.audit import restricted_log_entries
from learning_sets import services
from learning_sets.models import LearningSet, SetMember
from tests.cohorts.factories import add_members, with_role
from tests.factories import UserFactory, mentions

from .factories import make_people, make_set

ROLES = [
    "anonymous",
    "learner not in the cohort",
    "cohort member not in a set",
    "set member",
    "member of another set",
    "facilitator",
    "lead",
    "lead of another cohort",
    "course editor",
    "site admin",
]
ALLOWED = {"lead", "site admin"}
NO_ADMIN_ACCESS = {
    "learner not in the cohort",
    "cohort member not in a set",
    "set member",
    "member of another set",
    "facilitator",
}
PAGES = ["overview", "suggest", "add", "move", "rename", "facilitator", "delete"]
SET_PAGES = {"rename", "facilitator", "delete"}


def expected_status(role: str) -> int:
    if role == "anonymous":
        return 302
    if role in NO_ADMIN_ACCESS:
        return 403
    if role in ALLOWED:
        return 200
    return 404  # lead of another cohort, course editor


@pytest.fixture
def world(cohort, lead, other_cohort, site_admin):
    people = make_people(8, organisations=4)
    ours = make_set(cohort, lead=lead, name="Set 1", members=people[:4])
    second = make_set(cohort, lead=lead, name="Set 2", members=people[4:])
    services.set_facilitator_choose(learning_set=ours, user=lead, facilitator=people[0])
    theirs = make_set(other_cohort, lead=other_cohort.leads.get(), name="Harbour set")
    unplaced = UserFactory(first_name="Unplaced", last_name="Member")
    add_members(cohort, [unplaced])
    return {
        "cohort": cohort,
        "set": ours,
        "second": second,
        "theirs": theirs,
        "other": other_cohort,
        "people": people,
        "anonymous": None,
        "learner not in the cohort": with_role(UserFactory()),
        "cohort member not in a set": with_role(unplaced),
        "set member": with_role(people[1]),
        "member of another set": with_role(people[5]),
        "facilitator": with_role(people[0]),
        "lead": lead,
        "lead of another cohort": other_cohort.leads.get(),
        "course editor": with_role(UserFactory(), "Course editor"),
        "site admin": site_admin,
    }


def page_url(page: str, cohort_id, set_id) -> str:
    args = [cohort_id, set_id] if page in SET_PAGES else [cohort_id]
    return reverse(f"learning_sets_admin:{page}", args=args)


def state():
    return (
        sorted(LearningSet.objects.values_list("pk", "name", "facilitator_id")),
        sorted(SetMember.objects.values_list("learning_set_id", "learner_id")),
    )


@pytest.mark.parametrize("role", ROLES)
def test_every_set_page_answers_each_role_exactly(client, world, role):
    user = world[role]
    if user is not None:
        client.force_login(user)
    hidden = world["other"].members.get()
    before = state()

    for page in PAGES:
        response = client.get(page_url(page, world["cohort"].pk, world["set"].pk))

        assert response.status_code == expected_status(role), (role, page)
        if response.status_code == 200 and role != "site admin":
            assert not mentions(response.content.decode(), hidden.get_full_name())
    assert state() == before


@pytest.mark.parametrize("role", sorted(set(ROLES) - ALLOWED))
def test_nobody_else_can_change_a_set(client, world, role):
    user = world[role]
    if user is not None:
        client.force_login(user)
    cohort, ours, second = world["cohort"], world["set"], world["second"]
    mover = world["people"][1]
    before = state()

    posts = [
        (page_url("add", cohort.pk, None), {"name": "Taken over"}),
        (page_url("move", cohort.pk, None), {"person": mover.pk, "destination": second.pk}),
        (page_url("rename", cohort.pk, ours.pk), {"name": "Taken over"}),
        (page_url("facilitator", cohort.pk, ours.pk), {"facilitator": ""}),
        (page_url("delete", cohort.pk, ours.pk), {}),
        (page_url("suggest", cohort.pk, None), {"fingerprint": "a" * 64}),
    ]
    for address, data in posts:
        assert client.post(address, data).status_code == expected_status(role), (role, address)
    assert state() == before


@pytest.mark.parametrize("role", sorted(ALLOWED))
def test_another_cohorts_set_and_guessed_ids_are_not_found(client, world, role):
    client.force_login(world[role] if role != "lead" else world["lead"])
    cohort, theirs = world["cohort"], world["theirs"]
    missing = LearningSet.objects.order_by("-pk").first().pk + 100
    before = state()

    for page in SET_PAGES:
        for set_id in (theirs.pk, missing, "9" * 18):
            address = page_url(page, cohort.pk, set_id)
            assert client.get(address).status_code == 404, (page, set_id)
            assert client.post(address, {"name": "Taken"}).status_code == 404, (page, set_id)
        # Their set under their own cohort: for the lead, a cohort they may not see.
        address = page_url(page, theirs.cohort_id, theirs.pk)
        assert client.get(address).status_code == (200 if role == "site admin" else 404)
    for page in PAGES:
        too_big = "9" * 20
        path = page_url(page, cohort.pk, world["set"].pk).replace(
            f"/cohorts/{cohort.pk}/", f"/cohorts/{too_big}/"
        )
        assert client.get(path).status_code == 404, page
        assert client.get(page_url(page, missing, world["set"].pk)).status_code == 404, page
    assert state() == before


def test_a_lead_cannot_move_someone_into_another_cohorts_set(client, world):
    client.force_login(world["lead"])

    response = client.post(
        page_url("move", world["cohort"].pk, None),
        {"person": world["people"][1].pk, "destination": world["theirs"].pk},
    )

    assert response.status_code == 200
    assert "destination" in response.context["form"].errors
    assert SetMember.objects.get(learner=world["people"][1]).learning_set == world["set"]


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("lead", {"Set 1", "Set 2"}),
        ("lead of another cohort", {"Harbour set"}),
        ("site admin", {"Set 1", "Set 2", "Harbour set"}),
        ("course editor", set()),
    ],
)
def test_the_audit_log_shows_each_lead_only_their_cohorts_sets(world, role, sees):
    entries = restricted_log_entries(
        ModelLogEntry.objects.filter(content_type=ContentType.objects.get_for_model(LearningSet)),
        world[role],
    )

    assert set(entries.values_list("label", flat=True)) == sees


@pytest.mark.django_db
def test_hostile_input_on_the_set_pages_never_gives_a_server_error():
    """The hostile walk of tests/test_hostile_input.py over just these routes, with a real
    set behind `set_id` so that hostile values reach the forms (the full walk, sharded,
    fills `set_id` with 1)."""
    from tests import test_hostile_input as hostile

    class SetWorld(hostile.World):
        def __init__(self):
            super().__init__()
            people = make_people(8, organisations=4)
            self.learning_set = make_set(self.cohort, lead=self.lead, members=people[:4])
            add_members(self.cohort, people[4:])

        def value_for(self, route, name):
            if name == "set_id":
                return str(self.learning_set.pk)
            return super().value_for(route, name)

    world = SetWorld()
    routes = [
        (route, found)
        for route, found in hostile.ROUTES
        if route.startswith("admin/cohorts/<id:pk>/sets/")
    ]
    assert len(routes) == len(PAGES)
    visited: set[str] = set()
    failures = []
    for route, (name, segments) in routes:
        failures += hostile.probe(world, route, name, segments, visited)

    assert visited == {route for route, _ in routes}
    assert not failures, "\n".join(text for _key, text in failures)
