"""Moving through a page as a keyboard user does."""

import re

import pytest
from playwright.sync_api import Page, expect

MAX_TABS = 80


def tab_to(page: Page, locator, *, limit: int = MAX_TABS) -> None:
    """Press Tab until `locator` has the focus; fail if it never does."""
    for _press in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("element => element === document.activeElement"):
            return
    pytest.fail(f"{locator} never took the focus")


def confirm_it_is_you(page: Page, password: str) -> None:
    """allauth's "Confirm it is you" page, answered with the password and the keyboard."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm it is you")
    tab_to(page, page.get_by_label(re.compile(r"^password", re.IGNORECASE)))
    page.keyboard.type(password)
    page.keyboard.press("Enter")
