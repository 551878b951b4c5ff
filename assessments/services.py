"""Writes for self-assessments: starting, saving and submitting responses; sharing; teams.

Every function is keyword-only, checks what it is given before writing anything, runs in a
transaction and is safe to repeat where a double click or a retry could repeat it.
"""

import datetime
from collections.abc import Mapping
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.codes import new_join_code, normalise_join_code

from . import definitions, scoring
from .definitions import Questionnaire
from .models import Answer, DimensionScore, Instrument, Response, Team, TeamMembership

JOIN_CODE_LENGTH = 8
# An instrument's content, which the questionnaire (cached per revision) already holds:
# not read when a submission locks its response.
_INSTRUMENT_CONTENT = ("introduction", "scale", "dimensions", "composites", "items")
FOUR_PLACES = Decimal("0.0001")


class AssessmentError(ValueError):
    """A request that cannot be carried out; the message says why, for the learner."""


class InstrumentUnavailable(AssessmentError):
    pass


class AlreadySubmitted(AssessmentError):
    pass


class InvalidAnswers(AssessmentError):
    """Answers that are not on the scale or not for this instrument; nothing was saved."""

    def __init__(self, message: str, *, errors: Mapping[str, str]):
        super().__init__(message)
        self.errors = dict(errors)


class IncompleteAnswers(AssessmentError):
    """Questions without an answer at submission; the answers given were kept as a draft."""

    def __init__(self, message: str, *, missing: tuple[str, ...]):
        super().__init__(message)
        self.missing = missing


class JoinRefused(AssessmentError):
    pass


def _available(instrument: Instrument | None) -> Instrument:
    """`instrument` if learners may answer it now (it is live, with a live revision)."""
    if instrument is None or not instrument.live or instrument.live_revision_id is None:
        raise InstrumentUnavailable(_("This self-assessment is not available at the moment."))
    return instrument


def _live_instrument(instrument_id: int) -> Instrument:
    return _available(Instrument.objects.filter(pk=instrument_id).first())


def response_start(*, learner: User, instrument: Instrument, team: Team | None = None) -> Response:
    """The learner's attempt in progress at `instrument` (for `team`), created if needed."""
    instrument = _live_instrument(instrument.pk)
    if instrument.is_team:
        if team is None or team.instrument_id != instrument.pk:
            raise JoinRefused(_("Team self-assessments are answered as a member of a team."))
        if not TeamMembership.objects.filter(team=team, learner=learner).exists():
            raise JoinRefused(_("Join the team before answering its self-assessment."))
    elif team is not None:
        raise AssessmentError(_("This self-assessment is not answered as a team."))
    lookup = {"learner": learner, "instrument": instrument, "team": team}
    try:
        with transaction.atomic():
            response, _created = Response.objects.drafts().get_or_create(**lookup)
    except IntegrityError:
        # Another request created the draft between our read and our write.
        response = Response.objects.drafts().get(**lookup)
    return response


def _checked_answers(questionnaire: Questionnaire, answers: Mapping[str, int]) -> dict[str, int]:
    """`answers` if every one is for a question of the instrument and on its scale."""
    keys = {question.key for question in questionnaire.questions}
    values = questionnaire.definition.values
    errors = {}
    for key, value in answers.items():
        if key not in keys:
            errors[key] = _("This answer is for a question that is not in this self-assessment.")
        elif value not in values:
            errors[key] = _("Choose one of the answers offered.")
    if errors:
        raise InvalidAnswers(
            _("Some answers could not be saved. Nothing was changed."), errors=errors
        )
    return dict(answers)


def _store_answers(response: Response, answers: Mapping[str, int]) -> None:
    if not answers:
        return
    Answer.objects.bulk_create(
        [Answer(response=response, item_key=key, value=value) for key, value in answers.items()],
        update_conflicts=True,
        unique_fields=["response", "item_key"],
        update_fields=["value"],
    )


def _open_response(response_id: int) -> Response:
    """Lock the response row for this transaction and refuse it if already submitted.

    Its instrument comes in the same query (only the response's row is locked), without
    the content that `definitions.for_live` has cached for its live revision.
    """
    response = (
        Response.objects.select_for_update(of=("self",))
        .select_related("instrument")
        .defer(*(f"instrument__{name}" for name in _INSTRUMENT_CONTENT))
        .get(pk=response_id)
    )
    if response.is_submitted:
        raise AlreadySubmitted(
            _("You have already submitted this attempt. Your results are below.")
        )
    return response


@transaction.atomic
def answers_save(*, response: Response, answers: Mapping[str, int]) -> None:
    """Save some answers to an attempt in progress, replacing earlier answers to them."""
    locked = _open_response(response.pk)
    instrument = _available(locked.instrument)
    checked = _checked_answers(definitions.for_live(instrument), answers)
    _store_answers(locked, checked)
    Response.objects.filter(pk=locked.pk).update(updated_at=timezone.now())


def _decimal(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        FOUR_PLACES, rounding=ROUND_HALF_EVEN
    )


def response_submit(*, response: Response, answers: Mapping[str, int] | None = None) -> Response:
    """Save `answers`, then score and submit the attempt if every question is answered.

    One transaction. When some question has no answer, the answers given are still saved
    (the attempt stays a draft) and IncompleteAnswers says which; a second submission of
    the same attempt raises AlreadySubmitted and changes nothing.

    The questionnaire is the live revision's, which the attempt is pinned to, built once per
    revision and cached (`definitions.for_live`). Answers saved earlier are read back only
    when `answers` does not answer every question itself.
    """
    with transaction.atomic():
        locked = _open_response(response.pk)
        instrument = _available(locked.instrument)
        questionnaire = definitions.for_live(instrument)
        checked = _checked_answers(questionnaire, answers or {})
        keys = {question.key for question in questionnaire.questions}
        stored: dict[str, int] = {}
        if not keys <= checked.keys():
            stored = {
                key: value
                for key, value in locked.answers.values_list("item_key", "value")
                if key in keys
            }
        _store_answers(locked, checked)
        stored.update(checked)
        missing = tuple(q.key for q in questionnaire.questions if q.key not in stored)
        if missing:
            Response.objects.filter(pk=locked.pk).update(updated_at=timezone.now())
        else:
            _score_and_pin(locked, instrument, questionnaire, stored)
    if missing:
        raise IncompleteAnswers(_("Answer every question before you submit."), missing=missing)
    return locked


def _score_and_pin(
    response: Response, instrument: Instrument, questionnaire: Questionnaire, answers: dict
) -> None:
    result = scoring.score(questionnaire.definition, answers)
    composite_keys = {composite.key for composite in result.composites}
    DimensionScore.objects.bulk_create(
        [
            DimensionScore(
                response=response,
                dimension_key=dimension.key,
                position=position,
                name=dimension.name[:80],
                raw_score=_decimal(dimension.raw),
                scaled_score=_decimal(dimension.scaled),
                minimum=_decimal(dimension.minimum),
                maximum=_decimal(dimension.maximum),
                band_label=dimension.band.label[:80] if dimension.band else "",
                band_index=dimension.band_index,
                is_composite=dimension.key in composite_keys,
            )
            # Combined scores come after the dimensions they combine.
            for position, dimension in enumerate(result.dimensions + result.composites)
        ]
    )
    response.status = Response.Status.SUBMITTED
    response.revision_id = instrument.live_revision_id
    response.submitted_at = timezone.now()
    response.save(update_fields=["status", "revision", "submitted_at", "updated_at"])


@transaction.atomic
def response_share(*, learner: User, response: Response, shared: bool) -> Response:
    """Let (or stop letting) the leads of the learner's cohorts see this result."""
    updated = Response.objects.of(learner).submitted().filter(pk=response.pk)
    if not updated.update(shared_with_leads=shared):
        raise AssessmentError(_("Only your own submitted results can be shared."))
    response.shared_with_leads = shared
    return response


@transaction.atomic
def team_create(
    *,
    learner: User,
    instrument: Instrument,
    name: str,
    expires_at: datetime.datetime | None = None,
    capacity: int | None = None,
) -> Team:
    """A new team for a team instrument, with the learner who made it as its first member."""
    instrument = _live_instrument(instrument.pk)
    if not instrument.is_team:
        raise AssessmentError(_("Teams are only for team self-assessments."))
    name = " ".join(name.split())
    if not name:
        raise AssessmentError(_("Give the team a name."))
    if expires_at is not None and expires_at <= timezone.now():
        raise AssessmentError(_("The join link must expire in the future."))
    if capacity is not None and capacity < settings.MIN_GROUP_SIZE:
        raise AssessmentError(
            _("A team needs room for at least %(size)s members to see a report.")
            % {"size": settings.MIN_GROUP_SIZE}
        )
    team = Team(
        instrument=instrument,
        name=name,
        created_by=learner,
        code_expires_at=expires_at,
        capacity=capacity,
        join_code=new_join_code(JOIN_CODE_LENGTH),
    )
    team.full_clean(exclude=["join_code"])
    team.save()
    TeamMembership.objects.create(team=team, learner=learner)
    return team


@transaction.atomic
def team_join(*, learner: User, code: str) -> Team:
    """Add the learner to the team with this join code; joining twice is harmless."""
    normalised = normalise_join_code(code)
    team = (
        Team.objects.select_for_update()
        .select_related("instrument")
        .filter(join_code=normalised)
        .first()
        if normalised
        else None
    )
    if team is None:
        raise JoinRefused(_("That join code is not right. Check it and try again."))
    if TeamMembership.objects.filter(team=team, learner=learner).exists():
        return team
    if team.code_expires_at is not None and team.code_expires_at <= timezone.now():
        raise JoinRefused(
            _("That join link has expired. Ask the person who shared it for a new one.")
        )
    if not team.instrument.live:
        raise JoinRefused(_("This team's self-assessment is not available at the moment."))
    if team.capacity is not None and team.memberships.count() >= team.capacity:
        raise JoinRefused(_("That team is full. Ask the person who shared it for help."))
    TeamMembership.objects.get_or_create(team=team, learner=learner)
    return team


@transaction.atomic
def responses_anonymise(*, learner: User, responses) -> int:
    """Keep `learner`'s submitted `responses` (a queryset of Response) without them, for
    the aggregates they count in, as their account is erased; returns how many.

    Each keeps its answers and scores, loses its learner and its sharing choice, and keeps
    its team only if it counts in that team's report today (`counted_responses_of`), so
    that no team's report gains a response it did not count before.
    """
    from .team_reports import counted_responses_of

    chosen = responses.filter(learner=learner).submitted()
    in_team_reports = set(counted_responses_of(learner).values_list("pk", flat=True))
    now = timezone.now()
    kept = chosen.filter(pk__in=in_team_reports).update(
        learner=None, anonymised_at=now, shared_with_leads=False
    )
    kept += chosen.exclude(pk__in=in_team_reports).update(
        learner=None, anonymised_at=now, shared_with_leads=False, team=None
    )
    return kept
