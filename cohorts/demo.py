"""Demo cohorts for `manage.py seed_demo`: two led by lead@example.org and one led by
someone else, so the boundary between leads shows in the demo.

Members come from several organisations and already have the varied progress and
self-assessment results the modules and assessments demos seed.
"""

import datetime

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import Organisation, User
from accounts.roles import LEARNER, PROGRAMME_LEAD
from modules import services as module_services
from modules.models import Enrolment, LessonPage, ModulePage, ProgrammePage

from . import services
from .models import Cohort, Membership

ORDER = 50  # after accounts, modules and assessments

OTHER_LEAD = ("lead.two@example.org", "Rhian", "Evans", "Partnership development manager")

# name, lead email, programme slugs, module slugs, learner numbers, days since they joined,
# description
COHORTS = [
    (
        "Northfield system leadership 2026",
        "lead@example.org",
        [],
        [
            "leading-beyond-your-organisation",
            "seeing-the-system",
            "relational-practice-in-place",
            "leading-without-authority",
        ],
        [1, 2, 3, 4, 5, 6, 7, 8],
        40,
        "Leaders from the trust, the council, housing and the voluntary sector working "
        "through the first four systems leadership modules together.",
    ),
    (
        "Compassionate teams: winter cohort",
        "lead@example.org",
        ["compassionate-cultures"],
        ["the-five-dysfunctions-of-a-team"],
        [3, 4, 6, 7, 9, 10, 11],
        20,
        "Team leaders looking at compassion, core needs and how their teams work together.",
    ),
    (
        "Harbour partnership leaders",
        OTHER_LEAD[0],
        ["working-collaboratively"],
        [],
        [5, 9, 10, 12],
        25,
        "Staff from across the harbour partnership learning to collaborate well.",
    ),
]


# Cohort members who have gone further than the modules demo takes them: (learner number,
# module slugs finished, weeks ago each finished), so the weekly chart has a shape.
FINISHED = [
    (2, ["leading-beyond-your-organisation", "seeing-the-system",
         "relational-practice-in-place", "leading-without-authority"], [5, 4, 2, 1]),
    (6, ["leading-beyond-your-organisation", "seeing-the-system",
         "relational-practice-in-place", "leading-without-authority"], [4, 3, 3, 0]),
    (4, ["leading-beyond-your-organisation", "seeing-the-system"], [3, 1]),
]  # fmt: skip


def _finish_modules(learners, log) -> None:
    for number, slugs, weeks_ago in FINISHED:
        learner = learners.get(number)
        if learner is None:
            continue
        for slug, weeks in zip(slugs, weeks_ago, strict=True):
            module = ModulePage.objects.live().filter(slug=slug).first()
            if (
                module is None
                or Enrolment.objects.filter(
                    learner=learner, module=module, completed_at__isnull=False
                ).exists()
            ):
                continue
            for lesson in LessonPage.objects.child_of(module).live().order_by("path"):
                module_services.lesson_complete(learner=learner, lesson=lesson, module=module)
            when = timezone.now() - datetime.timedelta(weeks=weeks, days=number % 3)
            Enrolment.objects.filter(learner=learner, module=module).update(
                completed_at=when, last_visited_at=when
            )
        log(f"progress for the cohorts: learner{number}")


def _other_lead(password: str, log) -> User:
    email, first_name, last_name, job_role = OTHER_LEAD
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(
            email=email,
            first_name=first_name,
            last_name=last_name,
            job_role=job_role,
            organisation=Organisation.objects.filter(status=Organisation.Status.APPROVED)
            .order_by("name")
            .first(),
        )
        user.set_password(password)
        user.save()
        log(f"account: {email}")
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    for role in (LEARNER, PROGRAMME_LEAD):
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def seed(*, password: str, log) -> list[tuple[str, str]]:
    _other_lead(password, log)
    learners = {
        number: user
        for number in range(1, 13)
        if (user := User.objects.filter(email=f"learner{number}@example.org").first())
    }
    for name, lead_email, programme_slugs, module_slugs, numbers, days, description in COHORTS:
        lead = User.objects.filter(email=lead_email).first()
        if lead is None or Cohort.objects.filter(name=name).exists():
            continue
        today = timezone.localdate()
        cohort = services.cohort_create(
            lead=lead,
            name=name,
            description=description,
            start_date=today - datetime.timedelta(days=days),
            end_date=today + datetime.timedelta(days=120),
            programmes=ProgrammePage.objects.filter(slug__in=programme_slugs),
            modules=ModulePage.objects.filter(slug__in=module_slugs),
        )
        joined = timezone.now() - datetime.timedelta(days=days)
        Membership.objects.bulk_create(
            [
                Membership(cohort=cohort, learner=learners[number], joined_at=joined)
                for number in numbers
                if number in learners
            ],
            ignore_conflicts=True,
        )
        log(f"cohort: {name} (join code {cohort.join_code})")
    _finish_modules(learners, log)
    return [(OTHER_LEAD[0], "programme lead of another cohort")]
