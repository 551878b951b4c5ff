"""Teams: creating one, joining by link or code, the team page, starting as a member, and
the team report, which shows only aggregates and only once enough members have answered.

The report tests choose every member's answers so that the means, ranges and counts can
be worked out by hand. The team fixture's instrument has one dimension (Safety, the mean
of four agreement questions from 1 to 5, the second reverse-keyed) with the bands Low
(1 to 2.99), Moderate (3 to 3.99) and High (4 to 5).
"""

import datetime
import re
from html import unescape

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import COURSE_EDITOR
from assessments import scoring, services
from assessments.models import Answer, DimensionScore, Response, Team, TeamMembership
from assessments.team_reports import (
    band_of_mean,
    counted_answers,
    counted_responses,
    team_report,
)
from tests.factories import UserFactory, mentions

from .factories import keys_of, submit

JOIN_URL = "/assessments/teams/join/"
NOT_RIGHT = "That join code is not right. Check it and try again."


def team_url(team) -> str:
    return f"/assessments/teams/{team.pk}/"


def report_url(team) -> str:
    return f"/assessments/teams/{team.pk}/report/"


def start_url(team) -> str:
    return f"/assessments/teams/{team.pk}/start/"


def create_url(instrument) -> str:
    return f"/assessments/{instrument.slug}/teams/new/"


def main_text(response) -> str:
    """The page's <main>, without tags or extra spaces (the header names the viewer)."""
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", main)).split())


def main_html(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def team(team_instrument, learner):
    return services.team_create(learner=learner, instrument=team_instrument, name="Ward 7 team")


def member(team, **kwargs) -> User:
    person = UserFactory(**kwargs)
    services.team_join(learner=person, code=team.join_code)
    return person


def pattern(*values):
    """Answers to the four questions in order, as `submit` takes them."""
    return lambda index, _key: values[index]


# Creating a team --------------------------------------------------------------------------


@pytest.mark.django_db
def test_creating_a_team_makes_the_creator_a_member(client, learner, team_instrument):
    client.force_login(learner)

    page = client.get(create_url(team_instrument))
    assert page.status_code == 200
    assert "Create a team" in main_text(page)
    response = client.post(create_url(team_instrument), {"name": "  Ward   7 team "})

    team = Team.objects.get()
    assert response.status_code == 302
    assert response["Location"] == team_url(team)
    assert team.name == "Ward 7 team"
    assert team.instrument == team_instrument
    assert team.created_by == learner
    assert list(team.members.all()) == [learner]
    assert team.code_expires_at is None
    assert team.capacity is None


@pytest.mark.django_db
def test_a_team_can_have_an_expiry_date_and_a_most_members(client, learner, team_instrument):
    client.force_login(learner)
    day = timezone.localdate() + datetime.timedelta(days=10)

    client.post(
        create_url(team_instrument),
        {
            "name": "Ward 7 team",
            "expires_day": str(day.day),
            "expires_month": str(day.month),
            "expires_year": str(day.year),
            "capacity": "8",
        },
    )

    team = Team.objects.get()
    # The link works to the end of the chosen day, UK time.
    assert timezone.localtime(team.code_expires_at).date() == day + datetime.timedelta(days=1)
    assert timezone.localtime(team.code_expires_at).time() == datetime.time.min
    assert team.capacity == 8
    page = main_text(signed_in(learner).get(team_url(team)))
    assert f"Until the end of {day.day} {day:%B %Y}" in page
    assert "7 places left of 8" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "   "}, "Enter a name for the team."),
        ({"name": "x" * 81}, "Team name must be 80 characters or fewer."),
        (
            {"name": "Ward 7", "expires_day": "3", "expires_year": "2099"},
            "Enter the date the join link expires as a day, month and year, or leave it empty.",
        ),
        (
            {"name": "Ward 7", "expires_day": "31", "expires_month": "2", "expires_year": "2099"},
            "The date the join link expires must be a real date, like 27 3 2027.",
        ),
        (
            {"name": "Ward 7", "expires_day": "1st", "expires_month": "2", "expires_year": "2099"},
            "The date the join link expires must be numbers, like 27 3 2027.",
        ),
        (
            {"name": "Ward 7", "expires_day": "1", "expires_month": "1", "expires_year": "2020"},
            "The date the join link expires must be in the future.",
        ),
        (
            {"name": "Ward 7", "capacity": "2"},
            "Most members must be 3 or more, so the team can see a report.",
        ),
        ({"name": "Ward 7", "capacity": "lots"}, "Most members must be a whole number, like 8."),
        ({"name": "Ward 7", "capacity": "501"}, "Most members must be 500 or fewer."),
        (
            {"name": "Ward 7", "expires_day": "1", "expires_month": "1", "expires_year": "99999"},
            "The date the join link expires must be a real date, like 27 3 2027.",
        ),
    ],
    ids=[
        "no name",
        "long name",
        "part of a date",
        "not a date",
        "not numbers",
        "past date",
        "too few members",
        "not a number",
        "too many members",
        "huge year",
    ],
)
def test_bad_team_details_are_refused_by_the_field(client, learner, team_instrument, data, message):
    client.force_login(learner)

    response = client.post(create_url(team_instrument), data)

    assert response.status_code == 200
    html = main_html(response)
    assert "nhsuk-error-summary" in html
    assert html.count(message) == 2  # in the summary and by the field
    assert "Error:" in response.content.decode().split("<title>")[1]
    assert not Team.objects.exists()
    assert not TeamMembership.objects.exists()


@pytest.mark.django_db
def test_today_is_not_a_future_expiry_date(client, learner, team_instrument):
    client.force_login(learner)
    today = timezone.localdate()

    response = client.post(
        create_url(team_instrument),
        {
            "name": "Ward 7",
            "expires_day": today.day,
            "expires_month": today.month,
            "expires_year": today.year,
        },
    )

    assert "The date the join link expires must be in the future." in main_text(response)
    assert not Team.objects.exists()


@pytest.mark.django_db
def test_teams_are_only_for_live_team_instruments(client, learner, instrument, team_instrument):
    client.force_login(learner)
    team_instrument.unpublish()

    assert client.get(create_url(instrument)).status_code == 404  # an individual instrument
    assert client.get(create_url(team_instrument)).status_code == 404  # not live
    assert client.post(create_url(team_instrument), {"name": "Ward 7"}).status_code == 404
    assert client.get("/assessments/no-such-thing/teams/new/").status_code == 404
    assert not Team.objects.exists()


@pytest.mark.django_db
def test_creating_a_team_needs_signing_in(client, team_instrument):
    response = client.get(create_url(team_instrument))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert client.post(create_url(team_instrument), {"name": "Ward 7"}).status_code == 302
    assert not Team.objects.exists()


# Joining --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_joining_by_link(team, other_learner):
    client = signed_in(other_learner)
    link = f"/assessments/teams/join/{team.join_code}/"

    page = client.get(link)
    assert page.status_code == 200
    text = main_text(page)
    assert "Ward 7 team" in text
    assert "Team safety" in text
    assert "Join team" in text
    assert not TeamMembership.objects.filter(learner=other_learner).exists()  # GET writes nothing

    response = client.post(link, {"code": team.join_code})

    assert response.status_code == 302
    assert response["Location"] == team_url(team)
    assert team.members.filter(pk=other_learner.pk).exists()
    assert "You are a member of Ward 7 team." in main_text(client.get(team_url(team)))


@pytest.mark.django_db
def test_joining_by_typing_the_code(team, other_learner):
    client = signed_in(other_learner)

    page = client.get(JOIN_URL)
    assert "Join code" in main_text(page)
    spaced = f"{team.join_code[:4].lower()} {team.join_code[4:].lower()}"
    response = client.post(JOIN_URL, {"code": spaced})

    assert response["Location"] == team_url(team)
    assert team.members.filter(pk=other_learner.pk).exists()


@pytest.mark.django_db
def test_joining_twice_is_harmless(team, other_learner):
    client = signed_in(other_learner)
    link = f"/assessments/teams/join/{team.join_code}/"

    client.post(link, {"code": team.join_code})
    again = client.post(link, {"code": team.join_code})

    assert again["Location"] == team_url(team)
    assert TeamMembership.objects.filter(team=team, learner=other_learner).count() == 1
    page = main_text(client.get(link))
    assert "You are already a member of this team." in page
    assert "Go to your team" in page


def refused(client, code: str, message: str):
    response = client.post(JOIN_URL, {"code": code})
    assert response.status_code == 200
    html = unescape(main_html(response))
    assert "nhsuk-error-summary" in html
    assert 'href="#id_code"' in html
    assert html.count(message) == 2  # in the summary and by the field
    return response


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["ABCD2345", "", "!!!", "A" * 40])
def test_a_wrong_code_is_refused_and_writes_nothing(team, other_learner, code):
    client = signed_in(other_learner)
    message = "Enter the join code." if not code.strip("!") else NOT_RIGHT

    response = refused(client, code, message)

    assert "Ward 7 team" not in main_text(response)
    assert TeamMembership.objects.count() == 1  # only the creator


@pytest.mark.django_db
def test_a_wrong_link_says_only_that_the_code_is_not_right(team, other_learner):
    client = signed_in(other_learner)
    near_miss = team.join_code[:-1] + ("A" if team.join_code[-1] != "A" else "B")

    response = client.get(f"/assessments/teams/join/{near_miss}/")
    unknown = client.get("/assessments/teams/join/ZZZZZZZZ/")

    assert response.status_code == unknown.status_code == 200
    assert NOT_RIGHT in main_text(response)
    assert main_text(response).replace(near_miss, "X") == main_text(unknown).replace(
        "ZZZZZZZZ", "X"
    )
    assert "Ward 7 team" not in main_text(response)
    assert TeamMembership.objects.count() == 1


@pytest.mark.django_db
def test_an_expired_link_is_refused_and_writes_nothing(team, other_learner):
    Team.objects.filter(pk=team.pk).update(
        code_expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )

    refused(
        signed_in(other_learner),
        team.join_code,
        "That join link has expired. Ask the person who shared it for a new one.",
    )

    assert not TeamMembership.objects.filter(learner=other_learner).exists()


@pytest.mark.django_db
def test_a_full_team_is_refused_and_writes_nothing(team_instrument, learner, other_learner):
    team = services.team_create(
        learner=learner, instrument=team_instrument, name="Small team", capacity=3
    )
    member(team)
    member(team)

    refused(
        signed_in(other_learner),
        team.join_code,
        "That team is full. Ask the person who shared it for help.",
    )

    assert team.memberships.count() == 3
    # The team page tells its members why nobody else can join.
    assert "The team is full" in main_text(signed_in(learner).get(team_url(team)))


@pytest.mark.django_db
def test_a_team_whose_instrument_is_not_live_cannot_be_joined(team, team_instrument, other_learner):
    team_instrument.unpublish()

    refused(
        signed_in(other_learner),
        team.join_code,
        "This team's self-assessment is not available at the moment.",
    )

    assert not TeamMembership.objects.filter(learner=other_learner).exists()


@pytest.mark.django_db
def test_joining_needs_signing_in_and_comes_back_to_the_link(client, team):
    link = f"/assessments/teams/join/{team.join_code}/"

    response = client.get(link)
    posted = client.post(link, {"code": team.join_code})

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={link}"
    assert posted["Location"] == f"/accounts/login/?next={link}"
    assert TeamMembership.objects.count() == 1


# The team page and starting -------------------------------------------------------------


@pytest.mark.django_db
def test_the_team_page_shows_the_link_the_code_and_counts(team, learner, team_instrument):
    someone = member(team)
    submit(someone, team_instrument, 4, team=team)

    response = signed_in(learner).get(team_url(team))

    assert response.status_code == 200
    text = main_text(response)
    assert f"http://testserver/assessments/teams/join/{team.join_code}/" in text
    assert team.join_code in text
    assert "Members 2" in text
    assert "Members who have answered 1" in text
    assert "You have not answered yet." in text
    assert "Start answering" in text
    assert "2 more responses are needed before the team report appears." in text
    assert "Until you no longer need it" in text
    assert "No limit" in text
    # Counts only: no member is named.
    assert someone.email not in text
    assert not mentions(text, someone.get_full_name())


@pytest.mark.django_db
def test_starting_makes_a_draft_for_the_team_and_goes_to_its_questions(
    team, learner, team_instrument
):
    client = signed_in(learner)

    response = client.post(start_url(team))
    again = client.post(start_url(team))

    draft = Response.objects.get()
    assert draft.team == team
    assert draft.learner == learner
    assert not draft.is_submitted
    assert response["Location"] == again["Location"] == draft.get_absolute_url()
    assert draft.get_absolute_url() == f"/assessments/responses/{draft.pk}/1/"
    text = main_text(client.get(team_url(team)))
    assert "You have started answering." in text
    assert "Continue answering" in text


@pytest.mark.django_db
def test_after_answering_a_member_sees_their_result_link_and_can_answer_again(
    team, learner, team_instrument
):
    submitted = submit(learner, team_instrument, 4, team=team)
    client = signed_in(learner)

    text = main_html(client.get(team_url(team)))

    assert f'href="{submitted.get_absolute_url()}"' in text
    assert "See your own result" in text
    assert "Answer again" in text
    again = client.post(start_url(team))
    draft = Response.objects.drafts().get()
    assert again["Location"] == draft.get_absolute_url()
    assert draft.pk != submitted.pk


@pytest.mark.django_db
def test_starting_when_the_instrument_is_not_live_says_so(team, learner, team_instrument):
    team_instrument.unpublish()
    client = signed_in(learner)

    response = client.post(start_url(team))

    assert response["Location"] == team_url(team)
    text = main_text(client.get(team_url(team)))
    assert "This self-assessment is not available at the moment." in text
    assert "Start answering" not in text
    assert not Response.objects.exists()


@pytest.mark.django_db
def test_starting_is_a_post(team, learner):
    assert signed_in(learner).get(start_url(team)).status_code == 405


@pytest.mark.django_db
def test_a_team_is_for_its_members_only(team, other_learner, client):
    outsider = signed_in(other_learner)
    missing = Team.objects.order_by("-pk").first().pk + 100

    for url in (team_url(team), report_url(team)):
        assert outsider.get(url).status_code == 404
        assert client.get(url)["Location"].startswith("/accounts/login/")
    assert outsider.post(start_url(team)).status_code == 404
    for url in (f"/assessments/teams/{missing}/", f"/assessments/teams/{missing}/report/"):
        assert outsider.get(url).status_code == 404
    assert outsider.post(f"/assessments/teams/{missing}/start/").status_code == 404
    assert not Response.objects.exists()


# The report -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_below_the_threshold_the_report_shows_no_scores(team, learner, team_instrument):
    assert settings.MIN_GROUP_SIZE == 3
    submit(learner, team_instrument, pattern(5, 1, 5, 5), team=team)
    submit(member(team), team_instrument, pattern(5, 3, 1, 1), team=team)
    member(team)  # has not answered

    response = signed_in(learner).get(report_url(team))

    assert response.status_code == 200
    text = main_text(response)
    assert "2 members have answered so far." in text
    assert "1 more response is needed before the report appears." in text
    html = main_html(response)
    assert "<table" not in html
    assert "<svg" not in html
    for word in ("Mean", "Lowest", "Highest", "Moderate", "High", "Strongly agree"):
        assert word not in text
    report = response.context["report"]
    assert not report.ready
    assert report.dimensions == () and report.sections == ()
    assert response.context["bars"] == []


@pytest.mark.django_db
def test_with_no_answers_the_report_says_three_are_needed(team, learner):
    text = main_text(signed_in(learner).get(report_url(team)))

    assert "0 members have answered so far." in text
    assert "3 more responses are needed before the report appears." in text


@pytest.fixture
def three_answered(team, learner, team_instrument):
    """Three members with scores 5, 2.5 and 4 (mean 11.5 / 3 = 3.83, Moderate)."""
    people = [learner, member(team, first_name="Zanele"), member(team, first_name="Oluwaseun")]
    submit(people[0], team_instrument, pattern(5, 1, 5, 5), team=team)  # 5, 5, 5, 5 -> 5
    submit(people[1], team_instrument, pattern(5, 3, 1, 1), team=team)  # 5, 3, 1, 1 -> 2.5
    submit(people[2], team_instrument, pattern(4, 2, 4, 4), team=team)  # 4, 4, 4, 4 -> 4
    return people


def table_rows(html: str) -> list[list[str]]:
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.DOTALL):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.DOTALL)
        rows.append([" ".join(unescape(re.sub(r"<[^>]+>", " ", cell)).split()) for cell in cells])
    return rows


def table_with_caption(html: str, caption: str) -> list[list[str]]:
    for table in re.findall(r"<table.*?</table>", html, re.DOTALL):
        found = re.search(r"<caption[^>]*>(.*?)</caption>", table, re.DOTALL)
        if found and " ".join(unescape(found.group(1)).split()) == caption:
            return table_rows(table)
    raise AssertionError(f"No table with the caption {caption!r}")


@pytest.mark.django_db
def test_at_the_threshold_the_report_shows_hand_checked_aggregates(team, learner, three_answered):
    response = signed_in(learner).get(report_url(team))

    html = main_html(response)
    text = main_text(response)
    assert "Combined results from 3 members." in text
    assert table_with_caption(html, "Team scores by dimension") == [
        ["Dimension", "Mean", "Lowest", "Highest", "Band of the mean"],
        [
            "Dimension Safety Scores run from 1 to 5",
            "Mean 3.8",
            "Lowest 2.5",
            "Highest 5",
            "Band of the mean Moderate",
        ],
    ]
    # The chart: an SVG bar with a text alternative, the mean as a share of 1 to 5.
    assert 'role="img" aria-label="Safety: 3.8 out of 5 (Moderate)"' in html
    assert 'width="70.83%"' in html
    questions = keys_of(three_answered[0].assessment_responses.first().instrument)
    assert len(questions) == 4
    assert table_with_caption(html, "Question 1: It is safe to take a risk here.") == [
        ["Answer", "Members", "Share"],
        ["Strongly disagree", "0", "0%"],
        ["Disagree", "0", "0%"],
        ["Neither agree nor disagree", "0", "0%"],
        ["Agree", "1", "33%"],
        ["Strongly agree", "2", "67%"],
    ]
    # Reverse-keyed questions show the answers as given.
    assert table_with_caption(html, "Question 2: People here are blamed for mistakes.") == [
        ["Answer", "Members", "Share"],
        ["Strongly disagree", "1", "33%"],
        ["Disagree", "1", "33%"],
        ["Neither agree nor disagree", "1", "33%"],
        ["Agree", "0", "0%"],
        ["Strongly agree", "0", "0%"],
    ]
    assert table_with_caption(html, "Question 4: Different views get a hearing.")[1:] == [
        ["Strongly disagree", "1", "33%"],
        ["Disagree", "0", "0%"],
        ["Neither agree nor disagree", "0", "0%"],
        ["Agree", "1", "33%"],
        ["Strongly agree", "1", "33%"],
    ]


@pytest.mark.django_db
def test_the_report_aggregates_exactly(team, three_answered):
    report = team_report(team)

    (safety,) = report.dimensions
    assert report.progress.submitted == 3
    assert round(safety.scaled_score, 4) == round(safety.scaled_score.__class__(11.5) / 3, 4)
    assert (safety.lowest, safety.highest) == (2.5, 5)
    assert (safety.minimum, safety.maximum) == (1, 5)
    assert safety.band_label == "Moderate"
    assert safety.count == 3
    assert [question.total for section in report.sections for question in section.questions] == [
        3,
        3,
        3,
        3,
    ]


@pytest.mark.django_db
def test_only_each_members_latest_answers_count(team, learner, team_instrument, three_answered):
    # The first member answers again, now all "Strongly disagree" (scores 1, 5, 1, 1 -> 2).
    submit(learner, team_instrument, 1, team=team)
    # Neither a draft, nor an answer for another team, nor one outside a team counts.
    services.response_start(learner=three_answered[1], instrument=team_instrument, team=team)
    other_team = services.team_create(
        learner=three_answered[2], instrument=team_instrument, name="Another team"
    )
    submit(three_answered[2], team_instrument, 5, team=other_team)

    report = team_report(team)

    assert Response.objects.submitted().filter(team=team).count() == 4
    assert report.progress.submitted == 3
    (safety,) = report.dimensions
    # (2 + 2.5 + 4) / 3 = 2.83: Low, from 2 to 4.
    assert str(round(safety.scaled_score, 2)) == "2.83"
    assert (safety.lowest, safety.highest) == (2, 4)
    assert safety.band_label == "Low"
    first = report.sections[0].questions[0]
    assert [(share.label, share.count) for share in first.shares if share.count] == [
        ("Strongly disagree", 1),
        ("Agree", 1),
        ("Strongly agree", 1),
    ]


@pytest.mark.django_db
def test_two_answers_from_one_member_do_not_open_the_report(team, learner, team_instrument):
    submit(learner, team_instrument, 4, team=team)
    submit(learner, team_instrument, 2, team=team)
    submit(member(team), team_instrument, 3, team=team)

    text = main_text(signed_in(learner).get(report_url(team)))

    assert "2 members have answered so far." in text
    assert "1 more response is needed before the report appears." in text


@pytest.mark.django_db
def test_the_report_names_nobody_and_shows_no_ones_answers(team, learner, three_answered):
    """Anonymity: no member's name or email, and no individual's response, answers or
    scores reach the page or its context; only counts, means and ranges do."""
    response = signed_in(learner).get(report_url(team))

    html = main_html(response)
    for person in three_answered:
        for identity in (person.email, person.first_name, person.last_name):
            assert identity not in html
    individual = (Response, Answer, DimensionScore, TeamMembership)

    def walk(value, depth=0):
        assert not isinstance(value, individual), value
        if isinstance(value, User):
            assert value == learner  # only the viewer, as the header shows them
        if depth > 4:
            return
        if isinstance(value, dict):
            for item in value.values():
                walk(item, depth + 1)
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item, depth + 1)
        elif hasattr(value, "__dataclass_fields__"):
            for name in value.__dataclass_fields__:
                walk(getattr(value, name), depth + 1)

    for context in response.context:
        walk(context.flatten())
    # The member whose score is neither the lowest nor the highest (4) is not shown.
    rows = table_with_caption(html, "Team scores by dimension")
    assert "4" not in [cell.split()[-1] for cell in rows[1]]


@pytest.mark.django_db
def test_the_editors_csv_export_of_a_team_instrument_names_no_member_and_no_team(
    team, team_instrument, three_answered
):
    """Anonymity through exports: the only export of answers is the editors' anonymous CSV;
    for a team instrument it says nothing of who answered nor of which team they are in."""
    editor = UserFactory(organisation=None)
    editor.groups.add(Group.objects.get(name=COURSE_EDITOR))
    url = reverse(
        "wagtailsnippets_assessments_instrument:statistics_csv", args=[team_instrument.pk]
    )

    response = signed_in(editor).get(url)

    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode("utf-8")
    assert len(content.splitlines()) == 1 + 3 * 4  # a heading, then 3 members x 4 answers
    for person in three_answered:
        for identity in (person.email, person.first_name, person.last_name):
            assert identity not in content
    for secret in (team.name, team.join_code):
        assert secret not in content


@pytest.mark.django_db
def test_the_team_page_and_join_page_never_say_who_has_answered(team, learner, three_answered):
    client = signed_in(learner)

    pages = [client.get(team_url(team)), client.get(f"/assessments/teams/join/{team.join_code}/")]

    for page in pages:
        html = main_html(page)
        for person in three_answered[1:]:
            assert person.email not in html
            # The whole name: a generated surname alone ("Ward") can be a word in the
            # team's own name ("Ward 7 team").
            assert not mentions(html, person.get_full_name())


@pytest.mark.django_db
def test_the_report_survives_the_instrument_being_unpublished(
    team, learner, team_instrument, three_answered
):
    team_instrument.unpublish()

    text = main_text(signed_in(learner).get(report_url(team)))

    assert "Question 1: It is safe to take a risk here." in text
    assert "Mean 3.8" in text


def test_a_mean_between_two_bands_reads_as_the_nearest_score_one_person_could_get():
    """Safety is the mean of four answers from 1 to 5, so one person scores in quarters.
    A team mean is rounded half up to the nearest quarter, then banded: it no longer drops
    to the band below when it falls between "3 to 3.99" and "4 to 5"."""
    safety = scoring.Dimension(
        key="s",
        name="Safety",
        rule=scoring.MEAN,
        bands=(
            scoring.Band(4, 5, "High"),
            scoring.Band(3, scoring.Decimal("3.99"), "Moderate"),
            scoring.Band(1, scoring.Decimal("2.99"), "Low"),
        ),
    )
    definition = scoring.Definition(
        scale=tuple(scoring.ScaleOption(str(value), value) for value in range(1, 6)),
        dimensions=(safety,),
        items=tuple(scoring.Item(key=f"q{number}", dimension_key="s") for number in range(4)),
    )
    fraction = scoring.Fraction

    assert band_of_mean(definition, safety, fraction("3.995")) == ("High", 4)
    assert band_of_mean(definition, safety, fraction("3.875")) == ("High", 4)
    assert band_of_mean(definition, safety, fraction("3.87")) == ("Moderate", fraction("3.75"))
    assert band_of_mean(definition, safety, fraction(4)) == ("High", 4)
    assert band_of_mean(definition, safety, fraction("2.875")) == ("Moderate", 3)
    assert band_of_mean(definition, safety, fraction("2.8")) == ("Low", fraction("2.75"))
    unbanded = scoring.Dimension(key="s", name="X", rule=scoring.MEAN)
    assert band_of_mean(definition, unbanded, fraction(3))[0] == ""


@pytest.mark.django_db
def test_the_answers_counted_for_many_teams_are_those_each_report_counts(team_instrument):
    """`counted_answers` (the reminders' batch count) and `counted_responses` (the report)
    state one rule: one answer per current member who submitted, however often, plus each
    kept after its author erased their account; not a draft, nor the answer of someone no
    longer a member."""
    ward, clinic, empty = (
        services.team_create(learner=UserFactory(), instrument=team_instrument, name=name)
        for name in ("Ward 7", "Clinic", "Nobody yet")
    )
    twice, once, left, erased = (member(ward) for _ in range(4))
    submit(twice, team_instrument, 2, team=ward)
    submit(twice, team_instrument, 4, team=ward)
    submit(once, team_instrument, 3, team=ward)
    submit(left, team_instrument, 3, team=ward)
    TeamMembership.objects.filter(team=ward, learner=left).delete()
    kept = submit(erased, team_instrument, 5, team=ward)
    Response.objects.filter(pk=kept.pk).update(learner=None, anonymised_at=timezone.now())
    TeamMembership.objects.filter(team=ward, learner=erased).delete()
    services.response_start(learner=member(ward), instrument=team_instrument, team=ward)
    submit(clinic.created_by, team_instrument, 1, team=clinic)

    counted = counted_answers([ward.pk, clinic.pk, empty.pk])

    assert counted == {ward.pk: 3, clinic.pk: 1}
    for team in (ward, clinic, empty):
        assert counted.get(team.pk, 0) == counted_responses(team).count(), team.name


# Query counts ---------------------------------------------------------------------------


def captured(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in queries.captured_queries]


@pytest.mark.django_db
def test_the_report_and_team_page_cost_the_same_queries_for_3_or_12_members(team_instrument):
    """No query per member or per response. The report: session, user, the team (with its
    instrument and live revision, checking membership), members, submitted members,
    the stored scores, answer counts, then the site and header checks. The team page:
    the same first three, members, submitted members, the viewer's draft and latest."""
    runs = []
    for size in (3, 12):
        creator = UserFactory()
        team = services.team_create(learner=creator, instrument=team_instrument, name=f"T{size}")
        people = [creator] + [member(team) for _ in range(size - 1)]
        for number, person in enumerate(people):
            submit(person, team_instrument, pattern(1 + number % 5, 2, 3, 4), team=team)
            if number % 3 == 0:
                submit(person, team_instrument, 4, team=team)  # answered twice
        client = signed_in(creator)
        captured(client, report_url(team))  # warm the site root paths cache
        runs.append(
            {
                "report": captured(client, report_url(team)),
                "team": captured(client, team_url(team)),
            }
        )

    few, many = runs
    assert len(few["report"]) == len(many["report"]), "\n".join(many["report"])
    assert len(few["team"]) == len(many["team"]), "\n".join(many["team"])
    # 11 each when measured: the seven above plus the site, its settings and the header's
    # two permission checks.
    assert len(many["report"]) <= 11, "\n".join(many["report"])
    assert len(many["team"]) <= 11, "\n".join(many["team"])
