"""The "Coming up" panel on My learning: commitments due soon or lately overdue, set
meetings soon, and teams waiting for the learner's answer; three queries at any size."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from assessments import services as assessment_services
from assessments.models import Instrument
from assessments.team_reports import team_progress
from learning_sets.models import LearningSet
from notifications.coming_up import coming_up, teams_waiting_for
from notifications.models import Preferences, Reminder
from tests.assessments.factories import AGREEMENT, build_instrument, dimension, submit
from tests.factories import UserFactory
from tests.learning_sets.conftest_member import add_to_set

from .conftest_calendars import PRIVATE_WORDS, build_world, commitment, meeting_at, reflection

pytestmark = pytest.mark.django_db
MY_LEARNING = "/learn/"


@pytest.fixture
def world(db):
    return build_world()


def team_instrument(slug="team-safety") -> Instrument:
    return build_instrument(
        slug=slug,
        title="Team safety",
        kind=Instrument.Kind.TEAM,
        scale=AGREEMENT,
        dimensions=[dimension("Safety", bands=[(1, 5, "Any")])],
        sections=[("Your team", [("It is safe to take a risk here.", "Safety")])],
    )


def team_of(people, instrument, name="Ward 7"):
    team = assessment_services.team_create(learner=people[0], instrument=instrument, name=name)
    for person in people[1:]:
        assessment_services.team_join(learner=person, code=team.join_code)
    return team


def test_commitments_due_in_the_next_two_weeks_and_lately_overdue(world):
    owner = world.owner
    today = commitment(owner, due_in_days=0)
    fortnight = commitment(owner, due_in_days=14)
    overdue = commitment(owner, due_in_days=-3)
    commitment(owner, due_in_days=15)  # too far ahead
    commitment(owner, due_in_days=-31)  # overdue too long ago
    commitment(owner, due_in_days=None)  # no date
    reflection(owner)

    found = coming_up(owner).commitments

    assert [(item.entry, item.days) for item in found] == [
        (overdue, -3),
        (today, 0),
        (world.mine, 5),
        (fortnight, 14),
    ]
    assert [item.overdue for item in found] == [True, False, False, False]
    assert world.theirs not in [item.entry for item in found]


def test_meetings_of_the_persons_sets_in_the_next_two_weeks(world):
    now = timezone.now()
    later = meeting_at(world.learning_set, now + datetime.timedelta(days=13))
    meeting_at(world.learning_set, now + datetime.timedelta(days=15))
    meeting_at(world.learning_set, now - datetime.timedelta(hours=1))
    other = LearningSet.objects.create(cohort=world.cohort, name="Harbour set")
    add_to_set(other, UserFactory())
    meeting_at(other, now + datetime.timedelta(days=2))

    assert coming_up(world.owner).meetings == [world.meeting, later]

    world.learning_set.members.filter(learner=world.owner).update(ground_rules_accepted_at=None)
    assert coming_up(world.owner).meetings == []


def test_a_facilitator_sees_their_sets_meetings(world):
    facilitator = UserFactory()
    world.learning_set.facilitator = facilitator
    world.learning_set.save()

    assert coming_up(facilitator).meetings == [world.meeting]


def test_teams_waiting_for_the_persons_answer_follow_the_team_reports_rule(world):
    instrument = team_instrument()
    others = [UserFactory() for _ in range(settings.MIN_GROUP_SIZE)]
    waiting = team_of([world.owner, others[0]], instrument, name="Ward 7")
    answered = team_of([world.owner, others[1]], instrument, name="Ward 8")
    submit(world.owner, instrument, team=answered)
    opened = team_of([world.owner, *others], instrument, name="Ward 9")
    for person in others:
        submit(person, instrument, team=opened)
    not_mine = team_of([others[2]], instrument, name="Ward 10")

    found = teams_waiting_for(world.owner)

    assert found == [waiting]
    assert not team_progress(waiting).report_ready
    assert team_progress(opened).report_ready
    assert not_mine not in found
    # A draft is not an answer: the team still waits.
    assessment_services.response_start(learner=world.owner, instrument=instrument, team=waiting)
    assert teams_waiting_for(world.owner) == [waiting]


def test_coming_up_costs_three_queries_at_any_size(world, django_assert_num_queries):
    instrument = team_instrument()
    for size in (1, 12):
        person = UserFactory()
        learning_set = LearningSet.objects.create(cohort=world.cohort, name=f"Set {size}")
        add_to_set(learning_set, person)
        for number in range(size):
            commitment(person, due_in_days=number % 14)
            meeting_at(learning_set, timezone.now() + datetime.timedelta(days=1 + number % 10))
            team_of([person, UserFactory()], instrument, name=f"Team {size}-{number}")
        with django_assert_num_queries(3):
            found = coming_up(person)
        assert len(found.commitments) == len(found.meetings) == len(found.teams) == min(size, 10)


def test_my_learning_shows_the_panel_with_links(client, world):
    instrument = team_instrument()
    team = team_of([world.owner, world.fellow], instrument)
    overdue = commitment(world.owner, due_in_days=-2)
    client.force_login(world.owner)
    before = (Preferences.objects.count(), Reminder.objects.count())

    response = client.get(MY_LEARNING)

    html = response.content.decode()
    assert response.status_code == 200
    panel = html[html.index('id="coming-up-heading"') :]
    panel = panel[: panel.index("</section>")]
    assert "Coming up" in panel
    assert "Overdue" in panel and f'datetime="{overdue.due_on:%Y-%m-%d}"' in panel
    assert "/learn/journal/" in panel
    assert f'href="{reverse("learning_sets:set", args=[world.learning_set.pk])}"' in panel
    assert f'href="/assessments/teams/{team.pk}/"' in panel
    assert "/notifications/calendar/" in panel
    assert PRIVATE_WORDS not in html  # the commitment's words stay in the journal
    assert (Preferences.objects.count(), Reminder.objects.count()) == before  # GET writes nothing


def test_the_panel_says_when_nothing_is_coming_up(client, db):
    client.force_login(UserFactory())

    html = client.get(MY_LEARNING).content.decode()

    assert "Nothing is due in the next 2 weeks." in html
