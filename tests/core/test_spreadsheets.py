"""Formula cells in every spreadsheet the site offers (core/spreadsheets.py): our own
downloads call `safe_cell`; Wagtail's exports pass through it by `neutralise_wagtail_exports`.
"""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log

from accounts.admin_views import APPROVE_LOG_ACTION
from accounts.models import Organisation
from core.spreadsheets import safe_cell
from tests.cohorts.factories import make_site_admin
from tests.factories import OrganisationFactory
from tests.modules.factories import ProgrammePageFactory

HOSTILE = '=HYPERLINK("http://evil.example","Click")'
NEUTRALISED = "'" + HOSTILE


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        (HOSTILE, NEUTRALISED),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("\uff1d1+1", "'\uff1d1+1"),  # full-width equals sign
        ("\uff0b1", "'\uff0b1"),
        ("\uff0d1", "'\uff0d1"),
        ("\uff20SUM(A1)", "'\uff20SUM(A1)"),
        ("Leeds City Council", "Leeds City Council"),
        ("'=already quoted", "'=already quoted"),
        (-1, -1),
        (None, None),
    ],
)
def test_safe_cell_quotes_formula_prefixes_only(value, cell):
    assert safe_cell(value) == cell


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(text)))


def xlsx_rows(response) -> list[tuple]:
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(workbook.worksheets[0].iter_rows(values_only=True))


@pytest.fixture
def site_admin_client(client, db):
    client.force_login(make_site_admin(email="admin@example.org", organisation=None))
    return client


@pytest.fixture
def hostile_organisation(db):
    """A learner-proposed organisation whose name is a formula."""
    return OrganisationFactory(name=HOSTILE, status=Organisation.Status.PENDING)


def test_the_organisation_csv_export_quotes_a_formula_name(site_admin_client, hostile_organisation):
    rows = csv_rows(site_admin_client.get(reverse("organisations:index"), {"export": "csv"}))

    assert rows[0][0] == "Name"
    assert [row[0] for row in rows[1:]] == [NEUTRALISED]
    assert rows[1][1:4] == ["NHS trust or board", "Pending review", ""]


def test_the_organisation_xlsx_export_quotes_a_formula_name(
    site_admin_client, hostile_organisation
):
    rows = xlsx_rows(site_admin_client.get(reverse("organisations:index"), {"export": "xlsx"}))

    assert rows[0][0] == "Name"
    assert [row[0] for row in rows[1:]] == [NEUTRALISED]


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_the_site_history_export_quotes_a_formula_name(
    site_admin_client, hostile_organisation, export_format
):
    log(hostile_organisation, APPROVE_LOG_ACTION)
    response = site_admin_client.get(
        reverse("wagtailadmin_reports:site_history"), {"export": export_format}
    )

    rows = csv_rows(response) if export_format == "csv" else xlsx_rows(response)

    assert list(rows[0][:2]) == ["ID", "Name"]
    assert [(row[0], row[1]) for row in rows[1:]] == [(str(hostile_organisation.pk), NEUTRALISED)]


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_the_locked_pages_export_quotes_a_formula_title(
    site_admin_client, home_page, export_format
):
    page = ProgrammePageFactory(parent=home_page, title="@SUM(1+1)*cmd|' /C calc'!A0")
    page.locked = True
    page.locked_at = timezone.now()
    page.save()

    response = site_admin_client.get(
        reverse("wagtailadmin_reports:locked_pages"), {"export": export_format}
    )

    rows = csv_rows(response) if export_format == "csv" else xlsx_rows(response)
    assert rows[0][0] == "Title"
    assert [row[0] for row in rows[1:]] == ["'@SUM(1+1)*cmd|' /C calc'!A0"]
