"""Every cohort URL, for every kind of visitor: the exact status, and no learner of another
cohort in any page or export.

The rule under test is `cohorts/permissions.py`: a programme lead sees the members of the
cohorts they lead, a site admin sees all, nobody else sees anyone. Admin pages refuse
anonymous visitors with Wagtail's redirect to sign in (302) and signed-in people without
admin access with the "admin is for staff" page (403); pages of a cohort
the visitor may not see are "not found" (404), whether the id exists or not.
"""

import io

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from cohorts.models import Cohort, CohortExport, Membership
from cohorts.tasks import export_filename
from tests.factories import UserFactory, mentions

from .factories import make_lead, with_role

ROLES = [
    "anonymous",
    "learner",
    "member",
    "lead of another cohort",
    "co-lead",
    "lead",
    "course editor",
    "site admin",
]
ADMIN_PAGES = [
    "index",
    "add",
    "edit",
    "delete",
    "dashboard",
    "grid",
    "grid results",
    "csv",
    "xlsx",
    "exports",
    "download",
    "invite",
]
# Where an export's file could be published; only the "download" view may hand it out.
# (With DEBUG off Django routes no /media/; tests/cohorts/test_private_exports.py checks
# these with the dev server's /media/ view too.)
FILE_PATHS = ["file in media", "old name in media", "file in private"]
ALLOWED = {"co-lead", "lead", "site admin"}
# Wagtail's own permission check answers these for a course editor (admin access, no cohort
# permissions) with its "permission denied" redirect before our queryset is consulted.
EDITOR_REDIRECTED = {"index", "add", "edit"}


def expected_status(role: str, page: str) -> int:
    if page in FILE_PATHS:
        return 404
    if page == "join":
        return 302 if role == "anonymous" else 200
    if role in ALLOWED:
        return 200
    if role == "anonymous":
        return 302
    if role in {"learner", "member"}:
        return 403
    if role == "lead of another cohort":
        return 200 if page in {"index", "add"} else 404
    # course editor
    return 302 if page in EDITOR_REDIRECTED else 404


@pytest.fixture
def world(lead, cohort, other_cohort, site_admin):
    co_lead = make_lead(first_name="Co", last_name="Lead")
    cohort.leads.add(co_lead)
    ready = CohortExport.objects.create(
        cohort=cohort, requested_by=lead, format="csv", status=CohortExport.Status.READY
    )
    ready.file.save("progress.csv", ContentFile(b"learner\nAmira Khan\n"))
    theirs = CohortExport.objects.create(
        cohort=other_cohort,
        requested_by=other_cohort.leads.get(),
        format="csv",
        status=CohortExport.Status.READY,
    )
    theirs.file.save("theirs.csv", ContentFile(b"learner\nZainab Hidden\n"))
    users = {
        "anonymous": None,
        "learner": with_role(UserFactory()),
        "member": cohort.members.first(),
        "lead of another cohort": other_cohort.leads.get(),
        "co-lead": co_lead,
        "lead": lead,
        "course editor": with_role(UserFactory(), "Course editor"),
        "site admin": site_admin,
    }
    return {"cohort": cohort, "other": other_cohort, "export": ready, "theirs": theirs, **users}


def urls(cohort: Cohort, export: CohortExport) -> dict[str, str]:
    grid = reverse("cohorts_admin:grid", args=[cohort.pk])
    return {
        "index": reverse("cohort:index"),
        "add": reverse("cohort:add"),
        "edit": reverse("cohort:edit", args=[cohort.pk]),
        "delete": reverse("cohort:delete", args=[cohort.pk]),
        "dashboard": reverse("cohorts_admin:dashboard", args=[cohort.pk]),
        "grid": grid,
        "grid results": reverse("cohorts_admin:grid_results", args=[cohort.pk]),
        # Downloads are a POST to the grid (`POSTED`); a GET of this address shows the grid.
        "csv": f"{grid}?export=csv",
        "xlsx": f"{grid}?export=xlsx",
        "exports": reverse("cohorts_admin:exports", args=[cohort.pk]),
        "download": reverse("cohorts_admin:export_download", args=[cohort.pk, export.pk]),
        "file in media": f"/media/{export.file.name}",
        "old name in media": f"/media/cohort-exports/{export_filename(cohort, export.format)}",
        "file in private": f"/private/{export.file.name}",
        "invite": reverse("cohorts_admin:invite", args=[cohort.pk]),
        "join": reverse("cohorts:join_code", args=[cohort.join_code]),
    }


# The pages asked for with a POST of these fields (the grid's Download buttons).
POSTED = {"csv": {"export": "csv"}, "xlsx": {"export": "xlsx"}}


def fetch(client, page: str, url: str):
    """What a visitor gets from `page`: a GET, or the POST its button sends."""
    if page in POSTED:
        return client.post(url.split("?")[0], POSTED[page])
    return client.get(url)


def body(response) -> str:
    """Everything a response shows, exports included, as text."""
    if response.get("Content-Type", "").startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    ):
        workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        return "\n".join(
            ",".join(str(cell) for cell in row if cell is not None)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_every_cohort_url_answers_each_role_exactly(client, world, role):
    user = world[role]
    if user is not None:
        client.force_login(user)
    hidden = world["other"].members.get()

    for page, url in urls(world["cohort"], world["export"]).items():
        response = fetch(client, page, url)

        assert response.status_code == expected_status(role, page), (role, page)
        if response.status_code == 200 and role != "site admin":
            text = body(response)
            assert not mentions(text, hidden.get_full_name()), (role, page)
            assert hidden.email not in text, (role, page)


@pytest.mark.parametrize("role", ["lead", "co-lead"])
def test_leads_see_their_own_members_in_pages_and_exports(client, world, role):
    client.force_login(world[role])
    member = world["cohort"].members.order_by("first_name").first()
    pages = urls(world["cohort"], world["export"])

    for page in ("dashboard", "grid", "csv", "xlsx"):
        text = body(fetch(client, page, pages[page]))
        if page != "dashboard":  # the dashboard shows figures, not names
            assert member.email in text, page


def test_a_lead_cannot_reach_another_cohort_by_any_url(client, world):
    client.force_login(world["lead"])
    theirs = urls(world["other"], world["theirs"])

    for page, url in theirs.items():
        if page in {"index", "add", "join"}:
            continue  # not about one cohort's learners
        assert client.get(url).status_code == 404, page
        assert client.post(url, {"name": "Taken over"}).status_code == 404, page

    # Their export under our cohort's address is not found either.
    mixed = reverse("cohorts_admin:export_download", args=[world["cohort"].pk, world["theirs"].pk])
    assert client.get(mixed).status_code == 404
    world["other"].refresh_from_db()
    assert world["other"].name == "Harbour compassionate leaders"
    assert Membership.objects.filter(cohort=world["other"]).count() == 1


def test_guessed_ids_that_do_not_exist_are_not_found_even_for_a_site_admin(client, world):
    client.force_login(world["site admin"])
    missing = Cohort.objects.order_by("-pk").first().pk + 100

    for name in ("dashboard", "grid", "exports", "invite"):
        assert client.get(reverse(f"cohorts_admin:{name}", args=[missing])).status_code == 404
    assert client.get(reverse("cohort:edit", args=[missing])).status_code == 404


def test_the_listing_shows_a_lead_only_their_own_cohorts(client, world):
    client.force_login(world["lead of another cohort"])

    page = client.get(reverse("cohort:index")).content.decode()

    assert world["other"].name in page
    assert world["cohort"].name not in page


def test_the_hidden_learner_is_findable_where_allowed_so_the_checks_above_can_fail(client, world):
    hidden = world["other"].members.get()
    theirs = urls(world["other"], world["theirs"])

    for role in ("site admin", "lead of another cohort"):
        client.force_login(world[role])
        for page in ("grid", "csv", "xlsx"):
            assert hidden.email in body(fetch(client, page, theirs[page])), (role, page)
