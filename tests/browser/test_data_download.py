"""A learner downloads their data, then deletes their account, with the keyboard alone;
axe finds nothing wrong on the "Your data" page in each of its states, in the downloaded
page or on the deletion page (issue 12)."""

import datetime
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import DataExport, User
from tests.accounts.data_exports import FakeProvider, use_private_folder, use_provider
from tests.browser.axe import check_page
from tests.browser.keyboard import confirm_it_is_you, tab_to
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_learner_downloads_their_data_then_deletes_their_account_with_the_keyboard(
    page, site_home, sign_in, settings, monkeypatch, tmp_path
):
    use_private_folder(settings, monkeypatch, tmp_path / "private")
    use_provider(monkeypatch, FakeProvider(note="My reflection <b>bold</b>"))
    learner = UserFactory(first_name="Ines", email="ines@example.org")
    sign_in(email=learner.email, password=DEFAULT_PASSWORD)

    page.goto("/accounts/profile/")
    tab_to(page, page.get_by_role("link", name="Download your data"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="Your data")).to_be_visible()
    check_page(page, "your data page, nothing asked for")

    tab_to(page, page.get_by_role("button", name="Ask for a download of your data"))
    page.keyboard.press("Enter")
    # The immediate task backend builds it as the request commits.
    expect(page.get_by_text("We are preparing your data.")).to_be_visible()
    expect(page.get_by_text("Ready to download")).to_be_visible()
    check_page(page, "your data page, download ready")

    link = page.get_by_role("button", name="Download your data")
    tab_to(page, link)
    with page.expect_download() as download_info:
        page.keyboard.press("Enter")
    download = download_info.value
    assert re.fullmatch(r"your-data-\d{4}-\d{2}-\d{2}\.zip", download.suggested_filename)
    archive = zipfile.ZipFile(io.BytesIO(Path(download.path()).read_bytes()))
    data = json.loads(archive.read("data.json"))
    assert data["email"] == "ines@example.org"
    assert data["sections"]["fake_section"]["note"] == "My reflection <b>bold</b>"
    assert data["sections"]["account"]["profile"]["first_name"] == "Ines"  # a real provider

    # The page inside the ZIP passes the same rules, opened away from the site (whose
    # Content-Security-Policy would block its inline styles), as a file would be.
    page.goto("about:blank")
    page.set_content(archive.read("index.html").decode())
    check_page(page, "the index.html inside the download")

    # Then they delete their account, still with the keyboard alone (the error summary on
    # that page is walked in test_account_deletion.py).
    page.goto("/accounts/profile/")
    tab_to(page, page.get_by_role("link", name="Delete your account"))
    page.keyboard.press("Enter")
    confirm_it_is_you(page, DEFAULT_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete your account")
    check_page(page, "Delete your account, after downloading")
    tab_to(page, page.get_by_role("checkbox"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="Delete my account"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account has been deleted")
    assert not User.objects.filter(email="ines@example.org").exists()
    # Their download went with them, file and all.
    assert not DataExport.objects.exists()
    assert not any((tmp_path / "private").rglob("*.zip"))


def test_the_page_while_building_after_a_failure_and_once_expired_is_accessible(
    page, site_home, sign_in
):
    learner = UserFactory(first_name="Tom")
    sign_in(email=learner.email, password=DEFAULT_PASSWORD)

    export = DataExport.objects.create(user=learner)
    page.goto("/accounts/data/")
    expect(page.get_by_text("Being prepared")).to_be_visible()
    check_page(page, "your data page, being prepared")

    DataExport.objects.filter(pk=export.pk).update(status=DataExport.Status.FAILED)
    page.goto("/accounts/data/")
    expect(page.get_by_text("Could not be prepared")).to_be_visible()
    check_page(page, "your data page, failed")

    DataExport.objects.filter(pk=export.pk).update(
        status=DataExport.Status.READY,
        expires_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    response = page.goto(f"/accounts/data/{export.pk}/download/")
    assert response.status == 410
    expect(page.get_by_role("heading", level=1, name="This download has expired")).to_be_visible()
    check_page(page, "expired download page")
