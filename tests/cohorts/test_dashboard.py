"""A cohort's dashboard in the Wagtail admin: figures against hand-counted fixtures, the
anonymity threshold, the audit log, who may open it, and a fixed number of queries."""

import datetime
import statistics
from unittest import mock

import pytest
from django.urls import reverse
from django.utils.html import escape
from wagtail.models import ModelLogEntry

from assessments import services as assessment_services
from cohorts import dashboard
from cohorts.services import VIEW_ACTION
from tests.assessments.factories import small_instrument, submit
from tests.factories import OrganisationFactory, UserFactory, mentions
from tests.modules.factories import JournalEntryFactory, ModulePageFactory

from .factories import add_members, make_cohort, make_lead, progress

# A Wednesday: its week starts on Monday 10 March 2025.
NOW = datetime.datetime(2025, 3, 12, 12, 0, tzinfo=datetime.UTC)

# Dashboard GET, whatever the cohort's size (27 measured on SQLite): session, user and
# permissions (4), Wagtail's user profile (1), the lead's roles and the cohort (2), the audit
# log entry (3), roles again for the members' rule (1), modules (2), members' progress,
# their organisations, modules and weeks (4), self-assessment counts and dimensions (2), shared
# results (2), and the admin's menu and furniture (6).
QUERY_BOUND = 27


def dashboard_url(cohort) -> str:
    return reverse("cohorts_admin:dashboard", args=[cohort.pk])


@pytest.fixture
def mark_time():
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        yield


@pytest.fixture
def hand_counted(lead, home_page, mark_time):
    """Three modules and nine members in three organisations, with progress counted by hand.

    | member | organisation | joined | module A     | module B     | module C     |
    | ------ | ------------ | ------ | ------------ | ------------ | ------------ |
    | ana    | Riverside    | 30 d   | done (3 d)   | done (10 d)  | done (2 d)   |
    | bo     | Riverside    | 30 d   | done (3 d)   | in progress  | -            |
    | cai    | Riverside    | 30 d   | -            | -            | -            |
    | dee    | Riverside    | 5 d    | -            | -            | -            |
    | eve    | Northfield   | 30 d   | done (40 d)  | done (9 d)   | done (100 d) |
    | fin    | Northfield   | 30 d   | in progress  | -            | -            |
    | gus    | Northfield   | 20 d   | -            | -            | -            |
    | hal    | Harbour      | 30 d   | done (1 d)   | done (1 d)   | done (1 d)   |
    | ida    | (none)       | 30 d   | -            | -            | -            |

    A tester (excluded from reports) has completed everything and must not count; one
    enrolment in a module outside the cohort must not count either.
    """
    module_a, module_b, module_c = (
        ModulePageFactory(parent=home_page, title=title)
        for title in ("Seeing the system", "Leading without authority", "Compassionate teams")
    )
    outside = ModulePageFactory(parent=home_page, title="Not in this cohort")
    cohort = make_cohort(lead=lead, modules=[module_a, module_b, module_c])
    riverside = OrganisationFactory(name="Riverside NHS Trust")
    northfield = OrganisationFactory(name="Northfield City Council", type="local_authority")
    harbour = OrganisationFactory(name="Harbour Housing", type="housing")
    people = {
        name: UserFactory(first_name=name.title(), last_name="Member", organisation=organisation)
        for name, organisation in [
            ("ana", riverside),
            ("bo", riverside),
            ("cai", riverside),
            ("dee", riverside),
            ("eve", northfield),
            ("fin", northfield),
            ("gus", northfield),
            ("hal", harbour),
            ("ida", None),
        ]
    }
    tester = UserFactory(organisation=riverside, exclude_from_reports=True)
    joined_30 = [people[name] for name in ("ana", "bo", "cai", "eve", "fin", "hal", "ida")]
    add_members(cohort, [*joined_30, tester], joined_days_ago=30)
    add_members(cohort, [people["dee"]], joined_days_ago=5)
    add_members(cohort, [people["gus"]], joined_days_ago=20)

    def done(name, module, days_ago):
        progress(people[name], module, done=4, total=4, completed_days_ago=days_ago)

    def started(name, module):
        progress(people[name], module, done=1, total=4)

    done("ana", module_a, 3)
    done("ana", module_b, 10)
    done("ana", module_c, 2)
    done("bo", module_a, 3)
    started("bo", module_b)
    done("eve", module_a, 40)
    done("eve", module_b, 9)
    done("eve", module_c, 100)
    started("fin", module_a)
    done("hal", module_a, 1)
    done("hal", module_b, 1)
    done("hal", module_c, 1)
    progress(people["cai"], outside, done=4, total=4, completed_days_ago=1)
    for module in (module_a, module_b, module_c):
        progress(tester, module, done=4, total=4, completed_days_ago=1)
    return cohort


def test_every_figure_matches_the_hand_count(lead, hand_counted):
    board = dashboard.cohort_dashboard(user=lead, cohort=hand_counted, now=NOW)

    assert board.headline == dashboard.Headline(
        members=9, started=5, completed=3, not_started_after_14_days=3
    )
    assert [
        (row.name, row.type_label, row.members, row.started, row.completed, row.percent_complete)
        for row in board.organisations
    ] == [
        ("Riverside NHS Trust", "NHS trust or board", 4, 2, 1, "25%"),
        ("Northfield City Council", "Local authority", 3, 2, 1, "33%"),
        ("Harbour Housing", "Housing association", 1, 1, 1, "100%"),
        ("No organisation given", "", 1, 0, 0, "0%"),
    ]
    assert [
        (row.title, row.completed, row.in_progress, row.not_started) for row in board.module_rows
    ] == [
        ("Seeing the system", 4, 1, 4),
        ("Leading without authority", 3, 1, 5),
        ("Compassionate teams", 3, 0, 6),
    ]
    # Weeks from Monday, London time: NOW is Wednesday 12 March 2025.
    weeks = {week.starts: week.completions for week in board.weeks}
    assert len(board.weeks) == dashboard.WEEKS_SHOWN
    assert board.weeks[0].starts == datetime.date(2024, 12, 23)
    assert board.weeks[-1].starts == datetime.date(2025, 3, 10)
    # 1 day ago (Tue 11 Mar): hal x3; 2 days (Mon 10 Mar): ana C; 3 days (Sun 9 Mar): ana A, bo A;
    # 9 days (Mon 3 Mar): eve B; 10 days (Sun 2 Mar): ana B; 40 days (Fri 31 Jan): eve A.
    assert weeks[datetime.date(2025, 3, 10)] == 4
    assert weeks[datetime.date(2025, 3, 3)] == 3
    assert weeks[datetime.date(2025, 2, 24)] == 1
    assert weeks[datetime.date(2025, 1, 27)] == 1
    assert sum(weeks.values()) == 9  # eve's C, 100 days ago, is before the window
    assert board.completions_in_weeks == 9


def test_the_page_shows_the_figures_and_what_each_one_counts(client, lead, hand_counted):
    client.force_login(lead)

    response = client.get(dashboard_url(hand_counted))

    assert response.status_code == 200
    page = response.content.decode()
    assert '<h1 class="w-sr-only">' in page
    assert "Leading across Northfield: Dashboard" in page
    assert "Members who joined at least 14 days ago" in page
    assert "Members who have completed every one of the cohort's 3 modules." in page
    assert 'role="img"' in page
    assert "Riverside NHS Trust: 1 of 4 (25%) completed every module" in page
    assert "Seeing the system: 4 completed, 1 in progress, 4 not started" in page
    assert "week of 10 Mar: 4" in page
    for link in ("grid", "exports", "invite"):
        assert reverse(f"cohorts_admin:{link}", args=[hand_counted.pk]) in page


def test_the_weeks_start_with_the_cohort_when_it_is_younger_than_twelve_weeks(lead, mark_time):
    cohort = make_cohort(lead=lead, start_date=datetime.date(2025, 2, 26))

    weeks = dashboard.weeks_shown(cohort, now=NOW)

    assert weeks == [
        datetime.date(2025, 2, 24),
        datetime.date(2025, 3, 3),
        datetime.date(2025, 3, 10),
    ]


def test_a_cohort_that_has_not_started_has_no_weeks_and_says_when_it_starts(
    client, lead, mark_time
):
    cohort = make_cohort(lead=lead, start_date=datetime.date(2025, 4, 7))
    client.force_login(lead)

    response = client.get(dashboard_url(cohort))

    assert response.status_code == 200
    assert "The cohort starts on 7 April 2025." in response.content.decode()
    assert "Nobody has joined this cohort yet." in response.content.decode()
    assert "No modules are assigned to this cohort yet" in response.content.decode()


# Self-assessments -------------------------------------------------------------------------


@pytest.fixture
def answered(cohort):
    """The `cohort` fixture's three members, two of whom have submitted the small check."""
    instrument = small_instrument()
    members = list(cohort.members.order_by("first_name"))
    submit(members[0], instrument, 3)  # Trust 9, Conflict 9 (reverse-keyed items mirror)
    submit(members[1], instrument, 2)
    return instrument, members


def test_two_responses_show_only_their_number(client, lead, cohort, answered):
    client.force_login(lead)

    page = client.get(dashboard_url(cohort)).content.decode()

    assert "2 responses: results appear once there are at least 3." in page
    assert "Standard deviation" not in page
    assert [
        summary.dimensions
        for summary in dashboard.assessment_summaries(
            dashboard.permissions.visible_memberships(lead, cohort)
        )
    ] == [()]


def test_three_responses_show_means_and_spreads_worked_out_by_hand(client, lead, cohort, answered):
    instrument, members = answered
    submit(members[2], instrument, 1)
    # An earlier attempt by the first member is replaced by the latest one: only three count.
    submit(members[0], instrument, 3)
    # Someone outside the cohort never counts.
    submit(UserFactory(), instrument, 1)
    scores = {"Trust": [], "Conflict": []}
    for member in members:
        latest = member.assessment_responses.order_by("-submitted_at", "-pk").first()
        for score in latest.scores.all():
            scores[score.name].append(float(score.scaled_score))
    client.force_login(lead)

    summaries = dashboard.assessment_summaries(
        dashboard.permissions.visible_memberships(lead, cohort)
    )
    page = client.get(dashboard_url(cohort)).content.decode()

    (summary,) = summaries
    assert summary.title == "Team check" and summary.responses == 3
    for dimension in summary.dimensions:
        assert dimension.responses == 3
        assert dimension.mean == pytest.approx(statistics.mean(scores[dimension.name]))
        assert dimension.spread == pytest.approx(statistics.stdev(scores[dimension.name]))
    assert [dimension.name for dimension in summary.dimensions] == ["Trust", "Conflict"]
    assert "from 3 responses" in page
    mean = f"{statistics.mean(scores['Trust']):.1f}"
    spread = f"{statistics.stdev(scores['Trust']):.1f}"
    assert f"<td>{mean}</td>" in page and f"<td>{spread}</td>" in page


def test_only_shared_results_appear_and_never_journal_text(client, lead, cohort, answered):
    instrument, members = answered
    shared = members[0].assessment_responses.get()
    assessment_services.response_share(learner=members[0], response=shared, shared=True)
    entry = JournalEntryFactory(learner=members[1], text="I felt I could not speak up today.")
    client.force_login(lead)

    board = dashboard.cohort_dashboard(user=lead, cohort=cohort)
    page = client.get(dashboard_url(cohort)).content.decode()

    assert [(result.learner_name, result.instrument_title) for result in board.shared] == [
        (members[0].get_full_name(), "Team check")
    ]
    assert "Results shared with you" in page
    # Names are escaped in the page ("O'Brien" is "O&#x27;Brien"); Faker makes such names.
    assert escape(members[0].get_full_name()) in page
    assert escape(members[1].get_full_name()) not in page.split("Results shared with you")[1]
    assert entry.text not in page
    assert entry.prompt not in page


def test_team_responses_count_but_team_names_never_show(client, lead, cohort):
    instrument = small_instrument(kind="team", slug="team-talk", title="Team talk")
    members = list(cohort.members.all())
    team = assessment_services.team_create(
        learner=members[0], instrument=instrument, name="Ward 7 night shift"
    )
    for member in members:
        assessment_services.team_join(learner=member, code=team.join_code)
        response = submit(member, instrument, 2, team=team)
        assessment_services.response_share(learner=member, response=response, shared=True)
    client.force_login(lead)

    page = client.get(dashboard_url(cohort)).content.decode()

    assert "from 3 responses" in page
    assert "Ward 7 night shift" not in page


# Audit log and who may open it ----------------------------------------------------------


def test_every_view_is_written_to_the_audit_log(client, lead, cohort):
    client.force_login(lead)

    client.get(dashboard_url(cohort))
    client.get(dashboard_url(cohort))

    entries = ModelLogEntry.objects.filter(action=VIEW_ACTION, object_id=str(cohort.pk))
    assert entries.count() == 2
    assert {(entry.user_id, entry.data.get("detail")) for entry in entries} == {
        (lead.pk, "dashboard")
    }


def test_another_leads_cohort_is_not_found_and_not_logged(client, lead, other_cohort):
    client.force_login(lead)

    response = client.get(dashboard_url(other_cohort))

    assert response.status_code == 404
    assert "Zainab" not in response.content.decode()
    assert not ModelLogEntry.objects.filter(action=VIEW_ACTION).exists()


def test_a_guessed_id_is_not_found(client, lead, cohort):
    client.force_login(lead)

    assert client.get(f"/admin/cohorts/{cohort.pk + 1000}/").status_code == 404
    assert client.get("/admin/cohorts/99999999999999999999999/").status_code == 404


def test_site_admins_and_co_leads_may_open_it(client, site_admin, cohort):
    co_lead = make_lead()
    cohort.leads.add(co_lead)
    for user in (site_admin, co_lead):
        client.force_login(user)
        assert client.get(dashboard_url(cohort)).status_code == 200


def test_learners_and_anonymous_visitors_never_see_it(client, cohort):
    member = cohort.members.first()

    anonymous = client.get(dashboard_url(cohort))
    client.force_login(member)
    as_member = client.get(dashboard_url(cohort))

    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    assert as_member.status_code == 403
    page = as_member.content.decode()
    assert "The admin is for staff" in page
    for other in cohort.members.exclude(pk=member.pk):
        assert not mentions(page, other.first_name)


# A fixed number of queries ---------------------------------------------------------------


def build_cohort(lead, home_page, *, members: int, modules: int):
    titles = [f"Module {index} of {members}" for index in range(modules)]
    cohort_modules = [ModulePageFactory(parent=home_page, title=title) for title in titles]
    cohort = make_cohort(lead=lead, modules=cohort_modules, name=f"Cohort of {members}")
    organisations = [OrganisationFactory() for _ in range(3)]
    learners = [
        UserFactory(organisation=organisations[index % 3], verified=False)
        for index in range(members)
    ]
    add_members(cohort, learners)
    instrument = small_instrument(slug=f"check-{members}")
    for index, learner in enumerate(learners):
        for position, module in enumerate(cohort_modules):
            if (index + position) % 3 == 0:
                progress(learner, module, done=2, total=2, completed_days_ago=index % 40)
            elif (index + position) % 3 == 1:
                progress(learner, module, done=1, total=2)
        if index < 4:
            response = submit(learner, instrument, 1 + index % 3)
            assessment_services.response_share(learner=learner, response=response, shared=True)
    return cohort


@pytest.mark.parametrize("members,modules", [(3, 2), (30, 6)])
def test_the_dashboard_costs_the_same_queries_at_any_size(
    client, lead, home_page, members, modules, django_assert_max_num_queries
):
    cohort = build_cohort(lead, home_page, members=members, modules=modules)
    client.force_login(lead)
    client.get(dashboard_url(cohort))  # warm caches shared by every admin page

    with django_assert_max_num_queries(QUERY_BOUND):
        response = client.get(dashboard_url(cohort))

    assert response.status_code == 200
    assert f"Cohort of {members}" in response.content.decode()


def test_query_count_is_exactly_the_same_at_both_sizes(client, lead, home_page):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for members, modules in ((3, 2), (30, 6)):
        cohort = build_cohort(lead, home_page, members=members, modules=modules)
        client.force_login(lead)
        client.get(dashboard_url(cohort))
        with CaptureQueriesContext(connection) as queries:
            client.get(dashboard_url(cohort))
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


# Weeks in London time, counted per day (or hour) in the database ------------------------


def test_a_completion_late_on_a_summer_sunday_in_utc_counts_in_londons_next_week(
    lead, cohort, cohort_modules
):
    """London is an hour ahead of UTC in summer: 23:30 UTC on Sunday 29 June 2025 is 00:30
    on Monday 30 June in London, so it counts in the week of 30 June; 22:30 UTC is still
    Sunday there. In winter, London is UTC."""
    first, second = cohort_modules
    amira, ben, chloe = cohort.members.order_by("first_name")
    completions = [
        (amira, first, datetime.datetime(2025, 6, 29, 22, 30, tzinfo=datetime.UTC)),
        (amira, second, datetime.datetime(2025, 6, 29, 23, 30, tzinfo=datetime.UTC)),
        (ben, first, datetime.datetime(2025, 6, 30, 0, 30, tzinfo=datetime.UTC)),
        (chloe, first, datetime.datetime(2025, 1, 5, 23, 30, tzinfo=datetime.UTC)),  # Sunday
        # Before the first week shown: counted for its module, in no week.
        (ben, second, datetime.datetime(2024, 6, 3, 9, 0, tzinfo=datetime.UTC)),
    ]
    for learner, module, completed_at in completions:
        enrolment = progress(learner, module, done=2, total=2, completed_days_ago=1)
        type(enrolment).objects.filter(pk=enrolment.pk).update(completed_at=completed_at)
    memberships = dashboard.permissions.visible_memberships(lead, cohort)
    weeks = [datetime.date(2024, 12, 30), datetime.date(2025, 6, 23), datetime.date(2025, 6, 30)]

    rows, counted = dashboard.by_module_and_week(memberships, [first, second], 3, weeks)

    assert [(row.in_progress, row.completed) for row in rows] == [(0, 3), (0, 2)]
    assert [(week.starts, week.completions) for week in counted] == [
        (datetime.date(2024, 12, 30), 1),
        (datetime.date(2025, 6, 23), 1),
        (datetime.date(2025, 6, 30), 2),
    ]


@pytest.mark.parametrize(
    "bucket,day",
    [
        ("2025-06-29 00", datetime.date(2025, 6, 29)),
        ("2025-06-29 23", datetime.date(2025, 6, 30)),
        ("2025-01-05 23", datetime.date(2025, 1, 5)),
        (datetime.date(2025, 3, 10), datetime.date(2025, 3, 10)),
    ],
)
def test_each_bucket_is_read_as_its_london_day(bucket, day):
    assert dashboard.bucket_date(bucket) == day
