"""Moving through a page as a keyboard user does."""

import pytest
from playwright.sync_api import Page

MAX_TABS = 80


def tab_to(page: Page, locator, *, limit: int = MAX_TABS) -> None:
    """Press Tab until `locator` has the focus; fail if it never does."""
    for _press in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("element => element === document.activeElement"):
            return
    pytest.fail(f"{locator} never took the focus")
