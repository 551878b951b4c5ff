"""Helpers for the facilitator guide tests: the guide pages and a cohort whose people hold
every role the guides' rule distinguishes.

Plain functions, not fixtures, so that each test file builds only what it needs (and so
that nothing here collides with the other learning_sets test helpers)."""

from __future__ import annotations

from django.utils import timezone

from accounts.roles import CONTENT_APPROVER, COURSE_EDITOR
from learning_sets.guides import FacilitatorGuideIndexPage, FacilitatorGuidePage
from learning_sets.models import LearningSet, SetMember
from tests.cohorts.factories import add_members, make_cohort, make_lead, make_site_admin, with_role
from tests.factories import UserFactory, publish

# Who may read guides, by role name in `guide_people`.
MAY_READ = {"facilitator", "lead", "lead of another cohort", "course editor", "site admin"}
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
    "content approver",
    "former facilitator",
    "site admin",
]


def step(title: str = "Welcome", minutes: int = 10, **value) -> tuple[str, dict]:
    return (
        "step",
        {
            "title": title,
            "minutes": minutes,
            "instructions": value.get("instructions", f"<p>How to run {title.lower()}.</p>"),
            "materials": value.get("materials", ""),
        },
    )


def part(heading: str, introduction: str = "") -> tuple[str, dict]:
    return ("part", {"heading": heading, "introduction": introduction})


def make_index(home_page) -> FacilitatorGuideIndexPage:
    return FacilitatorGuideIndexPage.objects.child_of(home_page).first() or publish(
        home_page,
        FacilitatorGuideIndexPage(
            title="Facilitator guides",
            slug="facilitator-guides",
            introduction="Session plans for the methods we use.",
        ),
    )


def make_guide(
    index,
    *,
    slug: str = "cafe-conversation",
    title: str = "Café conversation",
    plan=None,
    worksheets=("learning-cycle-log", "partnership-check"),
    live: bool = True,
) -> FacilitatorGuidePage:
    page = FacilitatorGuidePage(
        title=title,
        slug=slug,
        summary="Small groups talk at tables and move between rounds.",
        group_size="12 to 60 people",
        purpose="<p>Helps a large group think together about tablecloth questions.</p>",
        plan=plan if plan is not None else [step("Welcome", 10), step("Round one", 20)],
        room_and_materials="<ul><li>Paper tablecloths</li></ul>",
        online_variation="<p>Use breakout rooms and a shared whiteboard.</p>",
        worksheets=[("worksheet", {"worksheet": key, "note": ""}) for key in worksheets],
    )
    if live:
        return publish(index, page)
    page.live = False
    index.add_child(instance=page)
    page.save_revision()
    return page


def guide_people() -> dict:
    """One person for every role in ROLES (None for anonymous), around one cohort with two
    sets, one of them facilitated by a member."""
    lead = make_lead(first_name="Cohort", last_name="Lead")
    cohort = make_cohort(lead=lead, name="Leading across Northfield")
    other_lead = make_lead(first_name="Other", last_name="Lead")
    make_cohort(lead=other_lead, name="Harbour compassionate leaders")
    member, other_member, facilitator, outsider = (with_role(UserFactory()) for _person in range(4))
    former = with_role(UserFactory())
    add_members(cohort, [member, other_member, facilitator, outsider, former])
    first = LearningSet.objects.create(cohort=cohort, name="Set A", facilitator=facilitator)
    second = LearningSet.objects.create(cohort=cohort, name="Set B", facilitator=None)
    now = timezone.now()
    for learning_set, learner in ((first, member), (first, facilitator), (second, other_member)):
        SetMember.objects.create(
            learning_set=learning_set, cohort=cohort, learner=learner, joined_at=now
        )
    # Facilitated a set that has since been handed to someone else.
    SetMember.objects.create(learning_set=second, cohort=cohort, learner=former, joined_at=now)
    return {
        "anonymous": None,
        "learner not in the cohort": with_role(UserFactory()),
        "cohort member not in a set": outsider,
        "set member": member,
        "member of another set": other_member,
        "facilitator": facilitator,
        "lead": lead,
        "lead of another cohort": other_lead,
        "course editor": with_role(UserFactory(), COURSE_EDITOR),
        "content approver": with_role(UserFactory(), CONTENT_APPROVER),
        "former facilitator": former,
        "site admin": make_site_admin(),
    }
