"""Demo organisations and accounts for `manage.py seed_demo`."""

import functools

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from . import roles
from .models import Organisation, User

ORDER = 10

ORGANISATIONS = [
    ("Riverside University Hospitals NHS Foundation Trust", Organisation.Type.NHS_TRUST, "RVX"),
    ("Northfield City Council", Organisation.Type.LOCAL_AUTHORITY, ""),
    ("Harbour Lights Mental Health Charity", Organisation.Type.CHARITY, ""),
    ("Greenway Homes Housing Association", Organisation.Type.HOUSING, ""),
    ("Millbrook Medical Practice", Organisation.Type.PRIMARY_CARE, "M99001"),
    ("Valley Community Volunteers", Organisation.Type.VOLUNTARY, ""),
    ("Northfield University School of Health", Organisation.Type.EDUCATION, ""),
]
PENDING_ORGANISATION = ("Eastside Carers' Network", Organisation.Type.VOLUNTARY)

JOB_ROLES = [
    "Ward manager",
    "Adult social worker",
    "Housing support officer",
    "Practice manager",
    "Volunteer coordinator",
    "Community matron",
    "Occupational therapist",
    "Commissioning lead",
    "Peer support worker",
    "Lecturer in nursing",
    "Team leader, reablement",
    "Care navigator",
]
FIRST_NAMES = [
    "Amira", "Ben", "Chloe", "Dev", "Ewa", "Femi",
    "Grace", "Hamza", "Isla", "Jonah", "Kiran", "Lowri",
]  # fmt: skip
LAST_NAMES = [
    "Okafor", "Hughes", "Patel", "Nowak", "Campbell", "Adeyemi",
    "Murphy", "Rahman", "Fraser", "Whitfield", "Singh", "Evans",
]  # fmt: skip


def _organisations(log) -> list[Organisation]:
    created = []
    for name, type_, ods_code in ORGANISATIONS:
        organisation, was_created = Organisation.objects.get_or_create(
            name=name,
            defaults={"type": type_, "status": Organisation.Status.APPROVED, "ods_code": ods_code},
        )
        if was_created:
            log(f"organisation: {name}")
        created.append(organisation)
    name, type_ = PENDING_ORGANISATION
    Organisation.objects.get_or_create(
        name=name, defaults={"type": type_, "status": Organisation.Status.PENDING}
    )
    return created


def _account(*, email, password_hash, first_name, last_name, organisation, job_role, log, **flags):
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User(
            email=email,
            first_name=first_name,
            last_name=last_name,
            organisation=organisation,
            job_role=job_role,
            **flags,
        )
        user.password = password_hash()
        user.save()
        log(f"account: {email}")
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


STAFF = [
    # email, first name, last name, organisation index, job role, role, superuser
    ("admin@example.org", "Sam", "Adeyemi", 1, "Learning systems administrator",
     roles.SITE_ADMIN, True),
    ("editor@example.org", "Priya", "Shah", 0, "Organisational development practitioner",
     roles.COURSE_EDITOR, False),
    ("lead@example.org", "Tom", "Gallagher", 1, "Leadership programme lead",
     roles.PROGRAMME_LEAD, False),
]  # fmt: skip
STAFF_LOGINS = {
    "admin@example.org": "site admin (superuser)",
    "editor@example.org": "course editor",
    "lead@example.org": "programme lead",
}


def seed(*, password: str, log) -> list[tuple[str, str]]:
    organisations = _organisations(log)
    # Every demo account has the one password the README gives, so it is hashed once, and
    # only if an account is new: the site's hasher takes about 0.2 s a hash, and seeding
    # for `make run` took 5.1 s rather than 8.6 s.
    password_hash = functools.cache(lambda: make_password(password))
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in roles.ALL_ROLES}

    logins = []
    for email, first_name, last_name, org_index, job_role, role, superuser in STAFF:
        user = _account(
            email=email,
            password_hash=password_hash,
            first_name=first_name,
            last_name=last_name,
            organisation=organisations[org_index],
            job_role=job_role,
            log=log,
            is_staff=superuser,
            is_superuser=superuser,
        )
        user.groups.add(groups[role], groups[roles.LEARNER])
        logins.append((email, STAFF_LOGINS[email]))

    for number in range(1, 13):
        index = number - 1
        learner = _account(
            email=f"learner{number}@example.org",
            password_hash=password_hash,
            first_name=FIRST_NAMES[index],
            last_name=LAST_NAMES[index],
            organisation=organisations[index % len(organisations)],
            job_role=JOB_ROLES[index],
            log=log,
        )
        learner.groups.add(groups[roles.LEARNER])
    logins.append(("learner1@example.org … learner12@example.org", "learners"))
    return logins
