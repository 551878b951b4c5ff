"""Demo organisations and accounts for `manage.py seed_demo`."""

from allauth.account.models import EmailAddress
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


def _account(*, email, password, first_name, last_name, organisation, job_role, log, **flags):
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
        user.set_password(password)
        user.save()
        log(f"account: {email}")
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def seed(*, password: str, log) -> list[tuple[str, str]]:
    organisations = _organisations(log)
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in roles.ALL_ROLES}
    trust, council = organisations[0], organisations[1]

    admin = _account(
        email="admin@example.org",
        password=password,
        first_name="Sam",
        last_name="Adeyemi",
        organisation=council,
        job_role="Learning systems administrator",
        log=log,
        is_staff=True,
        is_superuser=True,
    )
    admin.groups.add(groups[roles.SITE_ADMIN])
    editor = _account(
        email="editor@example.org",
        password=password,
        first_name="Priya",
        last_name="Shah",
        organisation=trust,
        job_role="Organisational development practitioner",
        log=log,
    )
    editor.groups.add(groups[roles.COURSE_EDITOR])
    lead = _account(
        email="lead@example.org",
        password=password,
        first_name="Tom",
        last_name="Gallagher",
        organisation=council,
        job_role="Leadership programme lead",
        log=log,
    )
    lead.groups.add(groups[roles.PROGRAMME_LEAD])

    logins = [
        ("admin@example.org", "site admin (superuser)"),
        ("editor@example.org", "course editor"),
        ("lead@example.org", "programme lead"),
    ]
    for number in range(1, 13):
        index = number - 1
        email = f"learner{number}@example.org"
        learner = _account(
            email=email,
            password=password,
            first_name=FIRST_NAMES[index],
            last_name=LAST_NAMES[index],
            organisation=organisations[index % len(organisations)],
            job_role=JOB_ROLES[index],
            log=log,
        )
        learner.groups.add(groups[roles.LEARNER])
    logins.append(("learner1@example.org … learner12@example.org", "learners"))
    for user in (admin, editor, lead):
        user.groups.add(groups[roles.LEARNER])
    return logins
