"""The editors' side of self-assessments in a real browser: from the admin menu to an
instrument's statistics and its anonymous CSV."""

import importlib
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from playwright.sync_api import expect

from accounts.roles import COURSE_EDITOR
from tests.assessments.factories import small_instrument, submit
from tests.browser.axe import assert_no_axe_violations
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

permissions_migration = importlib.import_module(
    "assessments.migrations.0002_course_editor_instrument_permissions"
)


def course_editor():
    """A course editor, with the role's permissions as the migrations grant them (live-server
    tests empty every table between tests, groups included)."""
    permissions_migration.grant(apps, None)
    group = Group.objects.get(name=COURSE_EDITOR)
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    editor = UserFactory(first_name="Edith", last_name="Editor", organisation=None)
    editor.groups.add(group)
    return editor


def test_editor_reaches_statistics_from_the_menu_and_downloads_the_csv(page, site_home, sign_in):
    instrument = small_instrument()
    for value in (3, 2, 1):
        submit(UserFactory(first_name="Perpetua", last_name="Quillfeather"), instrument, value)
    editor = course_editor()
    sign_in(email=editor.email, password=DEFAULT_PASSWORD)

    page.goto("/admin/")
    page.get_by_role("link", name="Self-assessments").click()
    expect(page.get_by_role("link", name="Team check")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Team check")
    expect(row.get_by_role("cell", name="3", exact=True)).to_be_visible()
    row.get_by_role("button", name="More options for 'Team check'").click()
    row.get_by_role("link", name="Statistics").click()

    expect(page.get_by_role("heading", level=2, name="Trust")).to_be_visible()
    expect(page.get_by_text("3 submitted responses")).to_be_visible()
    scores = page.get_by_role("table", name="Scores for Trust")
    expect(scores.get_by_role("columnheader", name="Standard deviation")).to_be_visible()
    expect(scores.get_by_role("cell", name="6.00")).to_be_visible()
    expect(page.get_by_text(re.compile(r"7 more are needed")).first).to_be_visible()
    assert_no_axe_violations(page, context="instrument statistics")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download anonymous answers (CSV)").last.click()
    download = download_info.value
    assert download.suggested_filename == "team-check-anonymous-answers.csv"
    content = Path(download.path()).read_text(encoding="utf-8")
    assert content.startswith("respondent,revision,question_number")
    assert "Perpetua" not in content and "Quillfeather" not in content
    assert len(content.strip().splitlines()) == 1 + 3 * 6
