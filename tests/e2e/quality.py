"""The quality bar every patient screen is held to in the browser tests: no sideways scrolling at 320, 390 and 820 px
wide, no axe-core violations (the accessibility engine from node_modules, run in the page), and a screenshot at each
width in artifacts/screenshots/."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.e2e.axe import axe_violations, sideways_overflow
from tests.e2e.support import shoot

WIDTHS = (320, 390, 820)
# Tall enough for a phone; the check reads the whole document, not only what is in view.
HEIGHT = 844


def check_screen(page: Page, name: str, widths: tuple[int, ...] = WIDTHS, *, reload: bool = True) -> None:
    """At each width: the screen fits without sideways scrolling, axe-core finds nothing, and a screenshot is kept.
    With `reload` the screen is opened afresh at each width (charts are drawn for the width they open at), else it is
    checked as it stands. The page is left at the last width; the caller sets its own size again if it needs another."""
    problems: list[str] = []
    for width in widths:
        page.set_viewport_size({"width": width, "height": HEIGHT})
        if reload:
            page.reload()
            page.locator("#main h1").first.wait_for()
            page.wait_for_load_state("networkidle")
        page.wait_for_timeout(150)  # layout settles at the new width
        overflow = sideways_overflow(page)
        if overflow:
            problems.append(f"{name} at {width}px scrolls sideways: {overflow}")
        violations = axe_violations(page)
        if violations:
            problems.append(f"{name} at {width}px has axe-core violations: {violations}")
        shoot(page, f"{name}-{width}")
    assert not problems, "\n".join(problems)
