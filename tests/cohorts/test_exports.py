"""Exports of the learner grid: hand-checked CSV and XLSX content, who may export and
download what, the background route for large cohorts, the audit log, formula
injection and the number of queries a streamed CSV costs."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from cohorts import permissions, reports
from cohorts.models import CohortExport, Membership
from cohorts.services import EXPORT_ACTION
from cohorts.tasks import cohort_export_build
from tests.factories import OrganisationFactory, UserFactory

from .factories import add_members, progress

pytestmark = pytest.mark.django_db

HEADINGS = [
    "Learner",
    "Email",
    "Organisation",
    "Organisation type",
    "Job role",
    "Cohort",
    "Seeing the system status",
    "Seeing the system completed on",
    "Leading without authority status",
    "Leading without authority completed on",
    "Modules completed",
    "Joined the cohort on",
    "Last activity on",
    "Total learning time (minutes)",
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def people(cohort, cohort_modules):
    """Amira completed both modules (75 minutes), Ben is part-way through the first
    (10 minutes, 30 seconds rounds down), Chloe has not started."""
    by_name = {m.learner.first_name: m.learner for m in Membership.objects.filter(cohort=cohort)}
    first, second = cohort_modules
    progress(by_name["Amira"], first, done=3, total=3, completed_days_ago=3, minutes=30)
    progress(by_name["Amira"], second, done=2, total=2, completed_days_ago=1, minutes=45)
    ben = progress(by_name["Ben"], first, done=1, total=3, minutes=10)
    ben.seconds_on_page += 29
    ben.save(update_fields=["seconds_on_page"])
    return by_name


def day(days_ago: int) -> str:
    return timezone.localdate(timezone.now() - datetime.timedelta(days=days_ago)).isoformat()


def expected_rows(people, cohort):
    amira, ben, chloe = people["Amira"], people["Ben"], people["Chloe"]
    return [
        HEADINGS,
        [
            "Amira Khan",
            amira.email,
            "Riverside NHS Trust",
            "NHS trust or board",
            "Ward manager",
            cohort.name,
            "Completed",
            day(3),
            "Completed",
            day(1),
            "2",
            day(30),
            day(1),
            "75",
        ],
        [
            "Ben Okafor",
            ben.email,
            "Riverside NHS Trust",
            "NHS trust or board",
            "Ward manager",
            cohort.name,
            "In progress",
            "",
            "Not started",
            "",
            "0",
            day(30),
            day(0),
            "10",
        ],
        [
            "Chloe Price",
            chloe.email,
            "Northfield City Council",
            "Local authority",
            "Ward manager",
            cohort.name,
            "Not started",
            "",
            "Not started",
            "",
            "0",
            day(30),
            "",
            "0",
        ],
    ]


def grid_url(cohort):
    return reverse("cohorts_admin:grid", args=[cohort.pk])


def request_export(client, cohort, export_format, *, query=""):
    """Press the grid's Download button (a POST; a GET never exports)."""
    return client.post(grid_url(cohort) + query, {"export": export_format})


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8"))))


def xlsx_values(content: bytes) -> list[list[str]]:
    """The sheet's cells as the CSV would show them."""
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).active
    rows = []
    for row in sheet.iter_rows(values_only=True):
        cells = []
        for value in row:
            if isinstance(value, datetime.datetime):
                value = value.date().isoformat()
            cells.append("" if value is None else str(value))
        rows.append(cells)
    return rows


def test_csv_rows_by_hand(client, lead, cohort, people):
    client.force_login(lead)
    response = request_export(client, cohort, "csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="leading-across-northfield-learners-'
    )
    assert read_csv(response) == expected_rows(people, cohort)


def test_xlsx_has_the_same_rows(client, lead, cohort, people):
    client.force_login(lead)
    response = request_export(client, cohort, "xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert xlsx_values(b"".join(response.streaming_content)) == expected_rows(people, cohort)


def test_exports_ignore_filters_and_include_everyone(client, lead, cohort, people):
    client.force_login(lead)
    response = request_export(client, cohort, "csv", query="?status=completed&q=amira")
    assert len(read_csv(response)) == 4


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_a_get_never_exports_nor_queues_anything(
    client, lead, cohort, people, settings, django_capture_on_commit_callbacks, export_format
):
    """The old download address only shows the grid: no file, no export record, no task,
    no export in the audit log."""
    client.force_login(lead)
    for threshold in (1, 10**6):
        settings.COHORT_EXPORT_BACKGROUND_THRESHOLD = threshold
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            response = client.get(grid_url(cohort) + f"?export={export_format}")
        assert response.status_code == 200
        assert response["Content-Type"] == "text/html; charset=utf-8"
        assert callbacks == []
    assert not CohortExport.objects.exists()
    assert not ModelLogEntry.objects.filter(action=EXPORT_ACTION).exists()


def test_the_download_buttons_post_a_form_with_the_csrf_token(client, lead, cohort):
    client.force_login(lead)
    page = client.get(grid_url(cohort)).content.decode()
    opening = f'<form method="post" action="{grid_url(cohort)}"'
    form = page.split(opening)[1].split("</form>")[0]
    assert 'name="csrfmiddlewaretoken"' in form
    assert '<button type="submit" name="export" value="csv"' in form
    assert '<button type="submit" name="export" value="xlsx"' in form


def test_a_post_without_the_csrf_token_is_refused(lead, cohort):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(lead)
    response = client.post(grid_url(cohort), {"export": "csv"})
    assert response.status_code == 403
    assert not ModelLogEntry.objects.filter(action=EXPORT_ACTION).exists()


@pytest.mark.parametrize("value", ["", "pdf", "CSV", "x" * 10_000])
def test_an_unknown_format_changes_nothing(client, lead, cohort, value):
    client.force_login(lead)
    response = client.post(grid_url(cohort), {"export": value})
    assert response.status_code == 302
    assert response["Location"] == grid_url(cohort)
    assert not CohortExport.objects.exists()
    assert not ModelLogEntry.objects.filter(action=EXPORT_ACTION).exists()


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_exports_are_audit_logged(client, lead, cohort, export_format):
    client.force_login(lead)
    response = request_export(client, cohort, export_format)
    b"".join(response.streaming_content)
    entry = ModelLogEntry.objects.get(action=EXPORT_ACTION)
    assert (entry.user_id, entry.object_id) == (lead.pk, str(cohort.pk))
    assert entry.data == {"detail": export_format}


def test_formula_injection_is_defused(client, lead, cohort, cohort_modules):
    sneaky = UserFactory(
        first_name='=HYPERLINK("http://evil")',
        last_name="Smith",
        job_role="+SUM(A1:A9)",
        organisation=OrganisationFactory(name="@Evil Org"),
    )
    minus = UserFactory(first_name="-2+3", last_name="Jones", job_role="Nurse")
    add_members(cohort, [sneaky, minus])
    client.force_login(lead)
    rows = read_csv(request_export(client, cohort, "csv"))
    sneaky_row = next(row for row in rows if row[1] == sneaky.email)
    assert sneaky_row[0] == '\'=HYPERLINK("http://evil") Smith'
    assert sneaky_row[2] == "'@Evil Org" and sneaky_row[4] == "'+SUM(A1:A9)"
    assert next(row for row in rows if row[1] == minus.email)[0] == "'-2+3 Jones"
    workbook = xlsx_values(b"".join(request_export(client, cohort, "xlsx").streaming_content))
    sneaky_cells = next(row for row in workbook if row[1] == sneaky.email)
    assert sneaky_cells[0].startswith("'=") and sneaky_cells[4] == "'+SUM(A1:A9)"


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_no_other_cohort_or_excluded_learner_in_exports(
    client, lead, cohort, other_cohort, export_format
):
    add_members(
        cohort, [UserFactory(first_name="Stella", last_name="Staffer", exclude_from_reports=True)]
    )
    client.force_login(lead)
    content = b"".join(request_export(client, cohort, export_format).streaming_content)
    text = content.decode() if export_format == "csv" else str(xlsx_values(content))
    assert "Amira" in text
    for hidden in ("Zainab", "Hidden", "Stella", "Staffer"):
        assert hidden not in text


def test_another_lead_gets_404_for_every_export_url(
    client,
    lead,
    other_lead,
    cohort,
    other_cohort,
    people,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.COHORT_EXPORT_BACKGROUND_THRESHOLD = 1
    client.force_login(lead)
    with django_capture_on_commit_callbacks(execute=True):
        request_export(client, cohort, "csv")
    mine = CohortExport.objects.get(cohort=cohort)
    assert mine.status == CohortExport.Status.READY

    client.force_login(other_lead)
    for export_format in ("csv", "xlsx"):
        assert request_export(client, cohort, export_format).status_code == 404
    for url in (
        grid_url(cohort) + "?export=csv",
        reverse("cohorts_admin:exports", args=[cohort.pk]),
        reverse("cohorts_admin:export_download", args=[cohort.pk, mine.pk]),
        # My export under the other lead's own cohort, and a guessed id.
        reverse("cohorts_admin:export_download", args=[other_cohort.pk, mine.pk]),
        reverse("cohorts_admin:export_download", args=[other_cohort.pk, mine.pk + 1000]),
        reverse("cohorts_admin:export_download", args=[cohort.pk, 999999999999]),
    ):
        assert client.get(url).status_code == 404, url
    assert CohortExport.objects.count() == 1


def test_another_cohorts_export_under_my_cohort_is_404(
    client, lead, other_lead, cohort, other_cohort
):
    theirs = CohortExport.objects.create(
        cohort=other_cohort, requested_by=other_lead, format="csv", status="ready"
    )
    client.force_login(lead)
    url = reverse("cohorts_admin:export_download", args=[cohort.pk, theirs.pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_large_cohort_exports_in_the_background(
    client, lead, cohort, people, settings, django_capture_on_commit_callbacks, export_format
):
    settings.COHORT_EXPORT_BACKGROUND_THRESHOLD = 2
    client.force_login(lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = request_export(client, cohort, export_format)
    exports_url = reverse("cohorts_admin:exports", args=[cohort.pk])
    export = CohortExport.objects.get(cohort=cohort)
    assert response.status_code == 302
    assert response["Location"] == f"{exports_url}?requested={export.pk}"

    assert export.status == CohortExport.Status.READY
    assert export.rows == 3 and export.format == export_format
    assert export.requested_by == lead and export.finished_at is not None

    listing = client.get(response["Location"])
    assert listing.status_code == 200
    assert "This cohort is large" in listing.content.decode()
    download_url = reverse("cohorts_admin:export_download", args=[cohort.pk, export.pk])
    assert download_url in listing.content.decode()
    assert "Ready to download" in listing.content.decode()

    download = client.get(download_url)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    content = b"".join(download.streaming_content)
    if export_format == "csv":
        rows = list(csv.reader(io.StringIO(content.decode("utf-8"))))
    else:
        rows = xlsx_values(content)
    assert rows == expected_rows(people, cohort)
    details = list(
        ModelLogEntry.objects.filter(action=EXPORT_ACTION).values_list("data", flat=True)
    )
    assert details == [{"detail": export_format}] * 2


def test_a_failed_build_is_marked_failed(lead, cohort, monkeypatch):
    export = CohortExport.objects.create(cohort=cohort, requested_by=lead, format="csv")

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(reports, "export_rows", broken)
    result = cohort_export_build.enqueue(export.pk)
    assert result.status == "FAILED"
    export.refresh_from_db()
    assert export.status == CohortExport.Status.FAILED and not export.file


def test_a_build_runs_once(lead, cohort, people):
    export = CohortExport.objects.create(cohort=cohort, requested_by=lead, format="xlsx")
    assert cohort_export_build.call(export.pk) == 3
    assert cohort_export_build.call(export.pk) is None


def test_the_background_export_follows_the_visibility_rule_when_it_runs(
    lead, other_lead, cohort, other_cohort
):
    """An export asked for by someone who can no longer see the cohort is empty."""
    export = CohortExport.objects.create(cohort=other_cohort, requested_by=lead, format="csv")
    assert cohort_export_build.call(export.pk) == 0
    export.refresh_from_db()
    assert b"Zainab" not in export.file.read()


def test_exports_page_and_pending_downloads(client, lead, cohort):
    pending = CohortExport.objects.create(cohort=cohort, requested_by=lead, format="xlsx")
    failed = CohortExport.objects.create(
        cohort=cohort, requested_by=lead, format="csv", status="failed"
    )
    client.force_login(lead)
    url = reverse("cohorts_admin:exports", args=[cohort.pk])
    page = client.get(url, {"requested": "x' or 1=1"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "This cohort is large" not in html
    assert "Waiting to start" in html and "Could not be prepared" in html
    for export in (pending, failed):
        url = reverse("cohorts_admin:export_download", args=[cohort.pk, export.pk])
        assert client.get(url).status_code == 404


def test_exports_page_with_none(client, lead, cohort):
    client.force_login(lead)
    page = client.get(reverse("cohorts_admin:exports", args=[cohort.pk]))
    assert "Nobody has exported this cohort" in page.content.decode()


@pytest.mark.parametrize("extra", [0, 57])
def test_a_csv_download_costs_the_same_queries_at_any_size(
    client, lead, cohort, cohort_modules, django_assert_num_queries, extra
):
    """The CSV streams every member, with their figures and cells, from one database
    iterator: 60 members cost exactly what 3 do."""
    trust = OrganisationFactory()
    learners = [UserFactory(organisation=trust) for _ in range(extra)]
    add_members(cohort, learners)
    for index, learner in enumerate(learners):
        progress(learner, cohort_modules[index % 2], done=1, total=3, minutes=5)
    client.force_login(lead)
    client.get(grid_url(cohort))  # warm the caches
    with django_assert_num_queries(CSV_EXPORT_QUERIES):
        rows = read_csv(request_export(client, cohort, "csv"))
    assert len(rows) == 4 + extra


@pytest.mark.parametrize("members", [7, 40])
def test_export_rows_cost_three_queries_at_any_size(
    lead, cohort, cohort_modules, django_assert_num_queries, members
):
    """Each member's figures and module cells come in the one query that the iterator
    reads in chunks: no query per chunk, per member or per cell."""
    learners = [UserFactory() for _ in range(members)]
    add_members(cohort, learners)
    for index, learner in enumerate(learners):
        progress(learner, cohort_modules[index % 2], done=1, total=3, minutes=5)
    memberships = permissions.visible_memberships(lead, cohort)  # one query for the roles
    # The modules (2), then the members with their figures and cells (1).
    with django_assert_num_queries(3):
        rows = list(reports.export_rows(memberships, cohort, chunk_size=3))
    assert len(rows) == 1 + 3 + members


# A CSV download, whatever the cohort's size: session, user and permissions (4), Wagtail's
# user profile (1), the lead's roles and the cohort (2), the audit log entry (3), roles
# again for the members' rule and the members counted against the background threshold
# (2), the cohort's modules (2), and the members with their figures and cells (1).
CSV_EXPORT_QUERIES = 15
