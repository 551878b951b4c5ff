"""The timed session plan: start times, session and plan totals, and the limits that stop
an editor from publishing a plan nobody could run. Pure: no database."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from learning_sets.guide_plans import (
    MAX_PLAN_MINUTES,
    MAX_SESSION_MINUTES,
    MAX_STEP_MINUTES,
    MAX_STEPS,
    Part,
    Step,
    clock,
    duration_text,
    plan_problems,
    timed_plan,
)


def test_steps_start_where_the_one_before_ends_and_the_total_is_their_sum():
    plan = timed_plan([Step("Welcome", 10), Step("Round one", 20), Step("Harvest", 15)])

    assert [(step.number, step.starts_at, step.ends_at) for step in plan.steps] == [
        (1, 0, 10),
        (2, 10, 30),
        (3, 30, 45),
    ]
    assert [step.starts_clock for step in plan.steps] == ["0:00", "0:10", "0:30"]
    assert plan.total_minutes == 45
    assert plan.total == "45 minutes"
    assert not plan.has_parts
    assert plan_problems([Step("Welcome", 10)]) == []


def test_each_part_starts_a_session_timed_from_its_own_start():
    plan = timed_plan(
        [
            Part("Workshop 1: Plan"),
            Step("Welcome", 15),
            Step("Stories", 50),
            Part("Workshop 2: Act"),
            Step("Welcome back", 15),
            Step("What we did", 35),
        ]
    )

    assert [(session.heading, session.minutes) for session in plan.sessions] == [
        ("Workshop 1: Plan", 65),
        ("Workshop 2: Act", 50),
    ]
    assert [step.starts_at for step in plan.sessions[1].steps] == [0, 15]
    assert [step.number for step in plan.steps] == [1, 2, 3, 4]
    assert plan.total_minutes == 115
    assert plan.has_parts


def test_steps_before_the_first_part_make_an_untitled_session():
    plan = timed_plan([Step("Arrive", 5), Part("Main session"), Step("Work", 30)])

    assert [(session.heading, session.minutes) for session in plan.sessions] == [
        ("", 5),
        ("Main session", 30),
    ]


def test_a_session_of_a_working_day_is_allowed_and_a_minute_more_is_refused():
    day = [Step(f"Step {number}", 240) for number in range(2)]
    assert plan_problems(day) == []

    problems = plan_problems([*day, Step("One more minute", 1)])

    assert problems == [
        "The session takes 8 hours 1 minute. A session can last at most 8 hours: add a "
        "part heading to split it into sessions."
    ]


def test_a_series_may_run_several_days_but_not_more_than_three():
    three_days = []
    for day in range(3):
        three_days += [Part(f"Day {day + 1}"), Step("Morning", 240), Step("Afternoon", 240)]
    assert plan_problems(three_days) == []

    problems = plan_problems([*three_days, Part("Day 4"), Step("Extra", 30)])

    assert problems == [
        "The whole plan takes 24 hours 30 minutes. A plan can last at most 24 hours."
    ]
    assert MAX_PLAN_MINUTES == 3 * MAX_SESSION_MINUTES


@pytest.mark.parametrize(
    ("minutes", "problem"),
    [
        (0, "Step 2 needs a time of 1 minute or more."),
        (None, "Step 2 needs a time of 1 minute or more."),
        (-5, "Step 2 needs a time of 1 minute or more."),
        (241, "Step 2 takes 4 hours 1 minute. Split any step longer than 4 hours."),
    ],
)
def test_a_step_without_a_sensible_time_is_named(minutes, problem):
    assert plan_problems([Step("Welcome", 10), Step("Odd", minutes)]) == [problem]


def test_an_empty_plan_and_a_plan_with_too_many_steps_are_refused():
    assert plan_problems([]) == ["Add at least one step to the plan."]
    assert plan_problems([Part("Only a heading")]) == ["Add at least one step to the plan."]
    too_many = [Step(f"Step {number}", 1) for number in range(MAX_STEPS + 1)]
    assert plan_problems(too_many) == [
        f"A plan can have at most {MAX_STEPS} steps. Split it into more than one guide."
    ]


def test_a_step_without_a_time_counts_as_none_in_the_total():
    plan = timed_plan([Step("Welcome", None), Step("Round", 20)])

    assert plan.total_minutes == 20
    assert plan.steps[1].starts_at == 0


@pytest.mark.parametrize(
    ("minutes", "text", "stopwatch"),
    [
        (0, "0 minutes", "0:00"),
        (1, "1 minute", "0:01"),
        (45, "45 minutes", "0:45"),
        (60, "1 hour", "1:00"),
        (61, "1 hour 1 minute", "1:01"),
        (135, "2 hours 15 minutes", "2:15"),
        (450, "7 hours 30 minutes", "7:30"),
    ],
)
def test_times_read_as_words_and_as_a_stopwatch(minutes, text, stopwatch):
    assert duration_text(minutes) == text
    assert clock(minutes) == stopwatch


entries = st.lists(
    st.one_of(
        st.builds(Part, heading=st.text(min_size=1, max_size=10)),
        st.builds(
            Step,
            title=st.text(max_size=10),
            minutes=st.one_of(st.none(), st.integers(-10, MAX_STEP_MINUTES + 10)),
        ),
    ),
    max_size=30,
)


@given(entries)
def test_the_total_is_the_sum_of_every_counted_step_and_steps_follow_on(plan_entries):
    plan = timed_plan(plan_entries)
    steps = [entry for entry in plan_entries if isinstance(entry, Step)]

    assert plan.total_minutes == sum(max(step.minutes or 0, 0) for step in steps)
    assert plan.total_minutes == sum(session.minutes for session in plan.sessions)
    assert [step.number for step in plan.steps] == list(range(1, len(steps) + 1))
    for session in plan.sessions:
        ends = 0
        for step in session.steps:
            assert step.starts_at == ends
            ends = step.ends_at
        assert ends == session.minutes


well_timed = st.lists(
    st.one_of(
        st.builds(Part, heading=st.text(min_size=1, max_size=10)),
        st.builds(Step, title=st.text(max_size=10), minutes=st.integers(1, MAX_STEP_MINUTES)),
    ),
    max_size=MAX_STEPS + 5,
)


@given(well_timed)
def test_a_plan_of_well_timed_steps_is_refused_exactly_when_it_breaks_a_limit(plan_entries):
    plan = timed_plan(plan_entries)
    fits = (
        1 <= len(plan.steps) <= MAX_STEPS
        and all(session.minutes <= MAX_SESSION_MINUTES for session in plan.sessions)
        and plan.total_minutes <= MAX_PLAN_MINUTES
    )

    assert (plan_problems(plan_entries) == []) == fits
