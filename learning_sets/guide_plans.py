"""A facilitator guide's timed session plan, as plain data: when each step starts, how long
each session and the whole plan run, and whether the plan is too long to run.

Pure: no ORM, no request. The guide page hands in its plan's blocks as `Part` and `Step`
entries (see `FacilitatorGuidePage.timed_plan`); the plan's StreamBlock refuses a plan
that `plan_problems` finds fault with, so an editor cannot publish one.

A plan is one session, or a series of sessions when it has parts: each `Part` starts a new
session (a workshop on another day, say), whose steps are timed from its own start.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# One step longer than a long half-day is really several steps.
MAX_STEP_MINUTES = 240
# One session runs for at most a working day, breaks included.
MAX_SESSION_MINUTES = 480
# A whole plan (a series of sessions) runs for at most three working days.
MAX_PLAN_MINUTES = 3 * MAX_SESSION_MINUTES
MAX_STEPS = 40


@dataclass(frozen=True)
class Part:
    """Starts a new session of the plan (such as "Workshop 2: Act and observe")."""

    heading: str
    payload: Any = None


@dataclass(frozen=True)
class Step:
    title: str
    minutes: int | None
    payload: Any = None


@dataclass(frozen=True)
class TimedStep:
    number: int  # counted across the whole plan, from 1
    title: str
    minutes: int
    starts_at: int  # minutes from the start of its session
    payload: Any = None

    @property
    def ends_at(self) -> int:
        return self.starts_at + self.minutes

    @property
    def starts_clock(self) -> str:
        return clock(self.starts_at)

    @property
    def ends_clock(self) -> str:
        return clock(self.ends_at)


@dataclass(frozen=True)
class Session:
    heading: str  # "" for steps before any part
    steps: tuple[TimedStep, ...]
    payload: Any = None

    @property
    def minutes(self) -> int:
        return sum(step.minutes for step in self.steps)

    @property
    def duration(self) -> str:
        return duration_text(self.minutes)


@dataclass(frozen=True)
class TimedPlan:
    sessions: tuple[Session, ...]

    @property
    def steps(self) -> tuple[TimedStep, ...]:
        return tuple(step for session in self.sessions for step in session.steps)

    @property
    def total_minutes(self) -> int:
        return sum(session.minutes for session in self.sessions)

    @property
    def total(self) -> str:
        return duration_text(self.total_minutes)

    @property
    def has_parts(self) -> bool:
        return any(session.heading for session in self.sessions)


def timed_plan(entries: Iterable[Part | Step]) -> TimedPlan:
    """Time every step from the start of its session, and total each session.

    A step with no time (None, or less than 0) counts as 0 minutes here; `plan_problems`
    reports it. A part with no steps is kept (an editor may still be writing it).
    """
    sessions: list[Session] = []
    heading: str = ""
    part_payload: Any = None
    steps: list[TimedStep] = []
    number = 0
    elapsed = 0

    def close() -> None:
        if steps or heading:
            sessions.append(Session(heading=heading, steps=tuple(steps), payload=part_payload))

    for entry in entries:
        if isinstance(entry, Part):
            close()
            heading, part_payload, steps, elapsed = entry.heading, entry.payload, [], 0
            continue
        number += 1
        minutes = max(entry.minutes or 0, 0)
        steps.append(
            TimedStep(
                number=number,
                title=entry.title,
                minutes=minutes,
                starts_at=elapsed,
                payload=entry.payload,
            )
        )
        elapsed += minutes
    close()
    return TimedPlan(sessions=tuple(sessions))


def plan_problems(entries: Iterable[Part | Step]) -> list[str]:
    """What stops this plan from being run as written, in words for the editor."""
    entries = list(entries)
    problems = []
    steps = [entry for entry in entries if isinstance(entry, Step)]
    if not steps:
        problems.append(_("Add at least one step to the plan."))
    if len(steps) > MAX_STEPS:
        problems.append(
            _("A plan can have at most %(max)d steps. Split it into more than one guide.")
            % {"max": MAX_STEPS}
        )
    for number, step in enumerate(steps, start=1):
        if step.minutes is None or step.minutes < 1:
            problems.append(
                _("Step %(number)d needs a time of 1 minute or more.") % {"number": number}
            )
        elif step.minutes > MAX_STEP_MINUTES:
            problems.append(
                _("Step %(number)d takes %(time)s. Split any step longer than %(max)s.")
                % {
                    "number": number,
                    "time": duration_text(step.minutes),
                    "max": duration_text(MAX_STEP_MINUTES),
                }
            )
    plan = timed_plan(entries)
    for session in plan.sessions:
        if session.minutes > MAX_SESSION_MINUTES:
            problems.append(
                _(
                    "%(session)s takes %(time)s. A session can last at most %(max)s: "
                    "add a part heading to split it into sessions."
                )
                % {
                    "session": session.heading or _("The session"),
                    "time": duration_text(session.minutes),
                    "max": duration_text(MAX_SESSION_MINUTES),
                }
            )
    if plan.total_minutes > MAX_PLAN_MINUTES:
        problems.append(
            _("The whole plan takes %(time)s. A plan can last at most %(max)s.")
            % {"time": duration_text(plan.total_minutes), "max": duration_text(MAX_PLAN_MINUTES)}
        )
    return problems


def clock(minutes: int) -> str:
    """Minutes from the start as hours and minutes on a stopwatch: 0:00, 0:45, 2:05."""
    hours, rest = divmod(max(minutes, 0), 60)
    return f"{hours}:{rest:02d}"


def duration_text(minutes: int) -> str:
    """A length of time in words: "45 minutes", "1 hour", "2 hours 15 minutes"."""
    hours, rest = divmod(max(minutes, 0), 60)
    hour_text = ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    minute_text = ngettext("%(count)d minute", "%(count)d minutes", rest) % {"count": rest}
    if hours and rest:
        return f"{hour_text} {minute_text}"
    if hours:
        return hour_text
    return minute_text
