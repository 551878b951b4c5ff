"""Reads for taking a self-assessment: the list, an instrument's page and a question page.

Each function costs a fixed number of queries whatever the number of instruments, questions,
attempts or teams, and reads responses only through `Response.objects.of(learner)`.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db.models import OuterRef, Subquery
from django.http import Http404

from accounts.models import User

from . import definitions
from .definitions import Questionnaire, Section
from .models import Instrument, Response, Team


@dataclass(frozen=True)
class ListedInstrument:
    """An instrument in the list, with where the learner stands with it."""

    instrument: Instrument
    draft_id: int | None = None
    result_id: int | None = None


def instrument_list(learner: User) -> list[ListedInstrument]:
    """Live instruments, each with the learner's latest draft and result (one query)."""
    instruments = Instrument.objects.live().order_by("title")
    if not learner.is_authenticated:
        return [ListedInstrument(instrument) for instrument in instruments]
    own = Response.objects.of(learner).filter(instrument=OuterRef("pk"))
    instruments = instruments.annotate(
        draft_id=Subquery(own.drafts().order_by("-updated_at", "-pk").values("pk")[:1]),
        result_id=Subquery(own.submitted().order_by("-submitted_at", "-pk").values("pk")[:1]),
    )
    return [
        ListedInstrument(instrument, instrument.draft_id, instrument.result_id)
        for instrument in instruments
    ]


def live_instrument(slug: str) -> Instrument:
    """The live instrument with this slug, or 404 (one query)."""
    instrument = Instrument.objects.live().filter(slug=slug).first()
    if instrument is None:
        raise Http404
    return instrument


def answered_keys(response: Response) -> dict[str, int]:
    """The response's saved answers by question key (one query)."""
    return dict(response.answers.values_list("item_key", "value"))


def first_unanswered_section(questionnaire: Questionnaire, answers: Mapping[str, int]) -> int:
    """The number of the first section with a question not yet answered (else the last)."""
    for section in questionnaire.sections:
        if any(question.key not in answers for question in section.questions):
            return section.number
    return len(questionnaire.sections) or 1


def answered_count(questionnaire: Questionnaire, answers: Mapping[str, int]) -> int:
    return sum(1 for question in questionnaire.questions if question.key in answers)


@dataclass(frozen=True)
class PastResult:
    pk: int
    submitted_at: datetime.datetime


@dataclass
class InstrumentPage:
    """What the instrument page shows a learner (nothing personal for a visitor)."""

    instrument: Instrument
    questionnaire: Questionnaire
    draft: Response | None = None
    resume_section: int = 1
    answered: int = 0
    results: list[PastResult] = field(default_factory=list)
    teams: list[Team] = field(default_factory=list)

    @property
    def question_count(self) -> int:
        return len(self.questionnaire.questions)


def instrument_page(*, slug: str, learner: User) -> InstrumentPage:
    """The live instrument with the learner's draft, past results and teams (at most 4 queries).

    Individual instruments: the draft answered outside a team and every submitted attempt.
    Team instruments: the teams the learner belongs to for this instrument.
    """
    instrument = live_instrument(slug)
    page = InstrumentPage(instrument=instrument, questionnaire=definitions.for_live(instrument))
    if not learner.is_authenticated:
        return page
    if instrument.is_team:
        page.teams = list(
            Team.objects.filter(instrument=instrument, memberships__learner=learner).order_by(
                "name", "pk"
            )
        )
        return page
    own = Response.objects.of(learner).filter(instrument=instrument)
    page.draft = own.drafts().filter(team__isnull=True).first()
    if page.draft is not None:
        answers = answered_keys(page.draft)
        page.resume_section = first_unanswered_section(page.questionnaire, answers)
        page.answered = answered_count(page.questionnaire, answers)
    page.results = [
        PastResult(pk, submitted_at)
        for pk, submitted_at in own.submitted()
        .order_by("-submitted_at", "-pk")
        .values_list("pk", "submitted_at")
    ]
    return page


def draft_resume_section(*, response: Response, instrument: Instrument) -> int:
    """Where a learner carries on with a draft of the live `instrument`: its first section
    with a question unanswered (one query)."""
    return first_unanswered_section(definitions.for_live(instrument), answered_keys(response))


@dataclass
class QuestionPage:
    """One section of a learner's attempt in progress, with their saved answers."""

    response: Response
    questionnaire: Questionnaire
    section: Section
    saved: dict[str, int]

    @property
    def instrument(self) -> Instrument:
        return self.response.instrument

    @property
    def section_count(self) -> int:
        return len(self.questionnaire.sections)

    @property
    def is_first(self) -> bool:
        return self.section.number == 1

    @property
    def is_last(self) -> bool:
        return self.section.number == self.section_count

    @property
    def question_count(self) -> int:
        return len(self.questionnaire.questions)

    @property
    def answered(self) -> int:
        return answered_count(self.questionnaire, self.saved)

    @property
    def percent_answered(self) -> int:
        total = self.question_count
        return round(100 * self.answered / total) if total else 0


def learner_response(*, learner: User, pk: int) -> Response:
    """The learner's own response with its instrument (one query), or 404."""
    response = Response.objects.of(learner).select_related("instrument").filter(pk=pk).first()
    if response is None:
        raise Http404
    return response


def question_page(*, response: Response, section: int) -> QuestionPage:
    """Section `section` (from 1) of the response's instrument as it is live now, or 404.

    One query for the saved answers, whatever the number of questions; the questionnaire is
    the live revision's, built once per revision and process (`definitions.for_live`: the
    first request for a revision reads it, one query more).
    """
    questionnaire = definitions.for_live(response.instrument)
    if not 1 <= section <= len(questionnaire.sections):
        raise Http404
    return QuestionPage(
        response=response,
        questionnaire=questionnaire,
        section=questionnaire.sections[section - 1],
        saved=answered_keys(response),
    )
