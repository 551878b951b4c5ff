"""Accessibility scans with axe-core, run inside the page under test.

axe-core is pinned in package.json and installed by `npm ci` (`make test` does it). It is
injected with `page.evaluate` rather than `add_script_tag`, so that a Content-Security-
Policy of `script-src 'self'` cannot block it.
"""

from functools import cache
from pathlib import Path

import pytest
from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

# WCAG 2.2 AA, as the rules that axe tags for each level and version.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@cache
def _axe_source() -> str:
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run `npm ci` (or `make test`, which runs it).")
    return AXE_JS.read_text(encoding="utf-8")


def axe_violations(page: Page) -> list[dict]:
    """axe-core's violations of the WCAG 2.2 AA rules on the page as it is now.

    Only the violations are asked for and sent back: axe then skips collecting the nodes
    of every rule that passed, which were most of its result and of the time it took.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    return page.evaluate(
        """(tags) => axe.run(document, {
            runOnly: {type: 'tag', values: tags},
            resultTypes: ['violations'],
        }).then((result) => result.violations)""",
        WCAG_TAGS,
    )


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact') or 'no impact given'}): "
            f"{violation['help']}\n  {violation['helpUrl']}"
        )
        for node in violation["nodes"]:
            target = " ".join(
                ", ".join(part) if isinstance(part, list) else part for part in node["target"]
            )
            lines.append(f"    at {target}")
            summary = (node.get("failureSummary") or "").strip().replace("\n", "\n       ")
            if summary:
                lines.append(f"       {summary}")
    return "\n".join(lines)


def assert_no_axe_violations(page: Page, *, context: str = "") -> None:
    """Fail with a readable list (rule, impact, help, selectors) if axe finds anything."""
    violations = axe_violations(page)
    if violations:
        where = context or page.url
        pytest.fail(
            f"axe-core found {len(violations)} accessibility violation(s) on {where}:\n"
            + format_violations(violations),
            pytrace=False,
        )


def assert_no_horizontal_scroll(page: Page, *, width: int = 320, context: str = "") -> None:
    """At `width` CSS pixels the page reflows without a horizontal scroll bar (WCAG 1.4.10)."""
    page.set_viewport_size({"width": width, "height": 640})
    # The NHS.UK header moves links that no longer fit into its "More" menu when the
    # window is resized; give its script a moment to do so, as it has on a real phone.
    try:
        page.wait_for_function(
            "width => document.documentElement.scrollWidth <= width", arg=width, timeout=3000
        )
    except PlaywrightTimeoutError:
        pass  # the assertion below reports the widest elements
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll_width <= width, (
        f"{context or page.url} scrolls sideways at {width}px: its content is "
        f"{scroll_width}px wide. Widest elements: {_widest_elements(page, width)}"
    )


def _widest_elements(page: Page, width: int) -> list[str]:
    return page.evaluate(
        """(width) => [...document.querySelectorAll('body *')]
            .filter((el) => el.getBoundingClientRect().right > width)
            .slice(0, 5)
            .map((el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}` +
                 `${el.className && typeof el.className === 'string'
                    ? '.' + el.className.trim().split(/\\s+/).join('.') : ''}` +
                 ` (right edge ${Math.round(el.getBoundingClientRect().right)}px)`)""",
        width,
    )


def check_page(page, name: str) -> None:
    """axe at 1280px, then reflow and axe again at 320px, then back to 1280px.

    Target sizes and overlaps change when the layout narrows, so both widths are scanned.
    """
    page.set_viewport_size({"width": 1280, "height": 720})
    assert_no_axe_violations(page, context=name)
    assert_no_horizontal_scroll(page, width=320, context=name)
    assert_no_axe_violations(page, context=f"{name} at 320px")
    page.set_viewport_size({"width": 1280, "height": 720})
