"""One learner with one of every kind of record the site keeps, for the privacy tests.

Names and addresses are unusual on purpose, so that a search of the whole database for
them finds only what is really theirs.
"""

import datetime
import uuid
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone
from wagtail.log_actions import log

from accounts.models import DataExport, User
from assessments import services as assessment_services
from assessments.models import Instrument, Response, Team
from cohorts import services as cohort_services
from cohorts.models import Cohort, Invitation
from modules.models import (
    Certificate,
    ChecklistProgress,
    Enrolment,
    JournalEntry,
    KnowledgeCheckAttempt,
    LessonCompletion,
    LessonPage,
)
from tests.assessments.factories import AGREEMENT, build_instrument, dimension, small_instrument
from tests.assessments.factories import submit as submit_response
from tests.cohorts.factories import add_members, make_cohort, make_lead, make_site_admin
from tests.factories import UserFactory
from tests.modules.factories import LessonPageFactory

FIRST_NAME = "Zebedee"
LAST_NAME = "Quillfeather"
EMAIL = "zebedee.quillfeather@example.org"
OTHER_EMAIL = "zq.home@example.net"
TOTP_SECRET = "JBSWY3DPEHPK3PXPQUILL"
RECOVERY_SEED = "c0ffee5eedquill"
SESSION_KEY_MARK = "quillsession"
REFLECTION = "I noticed I interrupt people when I am anxious."
COMMITMENT = "Ask one open question in every huddle."
CYCLE_PLAN = "Plan a listening walk round the ward."
TEAM_NAME = "Quillfeather's own circle"
CERTIFICATE_CODE = "ABCDEFGHJKMNPQRS2345"


@dataclass
class World:
    learner: User
    lead: User
    admin: User
    others: list
    lesson: LessonPage
    cohort: Cohort
    instrument: Instrument
    team_instrument: Instrument
    team: Team
    own_team: Team
    certificate: Certificate
    session_key: str


def team_instrument() -> Instrument:
    return build_instrument(
        slug="team-safety",
        title="Team safety",
        kind=Instrument.Kind.TEAM,
        scale=AGREEMENT,
        dimensions=[dimension("Safety", bands=[(4, 5, "High"), (1, "3.99", "Lower")])],
        sections=[
            (
                "Your team",
                [
                    ("It is safe to take a risk here.", "Safety"),
                    ("I can ask anyone here for help.", "Safety"),
                    ("Different views get a hearing.", "Safety"),
                ],
            )
        ],
    )


def build_world(home_page) -> World:
    now = timezone.now()
    learner = UserFactory(
        email=EMAIL, first_name=FIRST_NAME, last_name=LAST_NAME, job_role="Quill ward sister"
    )
    EmailAddress.objects.create(user=learner, email=OTHER_EMAIL, verified=False, primary=False)
    Authenticator.objects.create(
        user=learner, type=Authenticator.Type.TOTP, data={"secret": TOTP_SECRET}
    )
    Authenticator.objects.create(
        user=learner, type=Authenticator.Type.RECOVERY_CODES, data={"seed": RECOVERY_SEED}
    )
    store = SessionStore()
    store["_auth_user_id"] = str(learner.pk)
    store.create()
    UserSession.objects.create(
        user=learner,
        session_key=store.session_key,
        ip="192.0.2.7",
        user_agent="QuillBrowser/1.0",
        last_seen_at=now,
    )
    lead = make_lead(email="lead.person@example.org")
    admin = make_site_admin(email="admin.person@example.org", is_superuser=True, is_staff=True)
    others = [UserFactory(email=f"member{n}@example.org") for n in range(3)]

    # Learning -------------------------------------------------------------------------
    lesson = LessonPageFactory(title="Listening first")
    module = lesson.get_parent().specific
    enrolment = Enrolment.objects.create(
        learner=learner,
        module=module,
        module_title=module.title,
        started_at=now - datetime.timedelta(days=3),
        completed_at=now,
        last_lesson=lesson,
        last_visited_at=now,
        lessons_total=1,
        lessons_completed=1,
        seconds_on_page=1234,
    )
    LessonCompletion.objects.create(
        learner=learner, lesson=lesson, module=module, lesson_title=lesson.title, completed_at=now
    )
    common = {"learner": learner, "lesson": lesson, "module": module}
    titles = {"lesson_title": lesson.title, "module_title": module.title}
    JournalEntry.objects.create(
        **common, **titles, block_id="b1", kind="reflection", prompt="What?", text=REFLECTION
    )
    JournalEntry.objects.create(
        **common,
        **titles,
        block_id="b2",
        kind="action_commitment",
        prompt="Do?",
        text=COMMITMENT,
        due_on=now.date(),
    )
    JournalEntry.objects.create(
        **common, **titles, block_id="b3", kind="learning_cycle", prompt="Cycle", plan=CYCLE_PLAN
    )
    ChecklistProgress.objects.create(**common, **titles, block_id="b4", ticked=["item-quill"])
    KnowledgeCheckAttempt.objects.create(
        **common,
        **titles,
        block_id="b5",
        selected=["option-quill"],
        is_correct=True,
        attempt_key=uuid.uuid4(),
    )
    certificate = Certificate.objects.create(
        learner=learner,
        enrolment=enrolment,
        module=module,
        module_title=module.title,
        learner_name=f"{FIRST_NAME} {LAST_NAME}",
        completed_at=now,
        estimated_minutes=20,
        code=CERTIFICATE_CODE,
        issued_at=now,
    )

    # Cohort and self-assessments ------------------------------------------------------
    cohort = make_cohort(lead=lead, name="Northfield cohort", modules=[module])
    add_members(cohort, [learner, *others])
    instrument = small_instrument()
    submit_response(learner, instrument, 1)  # an earlier attempt: replaced by the next
    latest = submit_response(learner, instrument, 3)
    assessment_services.response_share(learner=learner, response=latest, shared=True)
    for number, other in enumerate(others):
        submit_response(other, instrument, number + 1)
    assessment_services.response_start(learner=learner, instrument=instrument)  # a draft

    safety = team_instrument()
    team = assessment_services.team_create(learner=others[0], instrument=safety, name="Ward 7")
    assessment_services.team_join(learner=learner, code=team.join_code)
    for other in others[1:]:
        assessment_services.team_join(learner=other, code=team.join_code)
    submit_response(learner, safety, 4, team=team)
    for number, other in enumerate(others):
        submit_response(other, safety, number + 2, team=team)
    own_team = assessment_services.team_create(learner=learner, instrument=safety, name=TEAM_NAME)

    Invitation.objects.create(
        cohort=cohort,
        email=OTHER_EMAIL,
        token="quill-invitation-token",
        invited_by=lead,
        expires_at=now + datetime.timedelta(days=7),
    )

    # An earlier data download that a site admin asked for on their behalf.
    DataExport.objects.create(
        user=learner,
        requested_by=admin,
        reason="Asked for by letter",
        status=DataExport.Status.FAILED,
    )

    # Audit: about them (Wagtail labels it with their name) and by them ---------------
    log(instance=learner, action="wagtail.edit", user=admin)
    log(instance=learner, action="wagtail.edit", user=admin)
    log(instance=own_team, action="wagtail.create", user=learner)
    cohort_services.cohort_access_record(
        user=lead, cohort=cohort, action=cohort_services.VIEW_ACTION, detail="dashboard"
    )
    return World(
        learner=learner,
        lead=lead,
        admin=admin,
        others=others,
        lesson=lesson,
        cohort=cohort,
        instrument=instrument,
        team_instrument=safety,
        team=team,
        own_team=own_team,
        certificate=certificate,
        session_key=store.session_key,
    )


def responses_of(learner) -> list[Response]:
    return list(Response.objects.filter(learner=learner))
