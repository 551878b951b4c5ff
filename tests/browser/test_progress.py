"""Progress in a real browser: finishing a module, its certificate, and axe scans."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.axe import check_page
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.modules.conftest import build_module

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_learner_finishes_a_module_and_verifies_the_certificate(page, site_home, sign_in):
    _programme, module, lessons = build_module(site_home, lessons=2, slug="short-module")
    learner = UserFactory(first_name="Femi", last_name="Adeyemi")
    sign_in(email=learner.email, password=DEFAULT_PASSWORD)

    page.goto(module.url)
    page.get_by_role("button", name=re.compile(r"^Start module")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(lessons[0].title)
    check_page(page, "lesson with progress")

    complete = page.get_by_role("button", name="Mark as complete and continue")
    complete.focus()
    with page.expect_navigation():
        complete.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(lessons[1].title)
    with page.expect_navigation():
        page.get_by_role("button", name="Mark as complete and continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Module complete")
    check_page(page, "module-complete page")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"Download your certificate")).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    assert Path(download.path()).read_bytes().startswith(b"%PDF")

    page.goto("/learn/")
    expect(page.get_by_role("heading", name="Completed")).to_be_visible()
    check_page(page, "My learning")
    page.get_by_role("link", name=re.compile(r"^Verification page")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("This certificate is genuine")
    expect(page.locator("main").get_by_text("Femi Adeyemi")).to_be_visible()
    expect(page.get_by_text(learner.email)).to_have_count(0)
    check_page(page, "certificate verification page")

    page.goto(module.url)
    expect(page.get_by_text(re.compile(r"2 of 2 lessons complete"))).to_be_visible()
    check_page(page, "module page with progress")


def test_unknown_certificate_code_page_is_accessible(page, site_home):
    response = page.goto("/learn/certificates/verify/AAAAA-BBBBB-CCCCC-DDDDD/")

    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    check_page(page, "certificate not found")
