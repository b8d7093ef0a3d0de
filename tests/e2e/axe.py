"""The accessibility and layout checks of the browser tests. axe-core (npm's, pinned in package-lock.json, installed
by `make node_modules/.installed`) is evaluated in the page through the DevTools protocol, which the app's
Content-Security-Policy does not govern, and runs on the whole document; a test fails on any violation and says which
rule, where and why. Sideways scrolling is measured on the document and names the elements that stick out."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from playwright.sync_api import Page

AXE = Path(__file__).resolve().parent.parent.parent / "node_modules" / "axe-core" / "axe.min.js"


@cache
def _source() -> str:
    if not AXE.exists():
        raise AssertionError(f"{AXE} is missing: run `make node_modules/.installed` (npm ci).")
    return AXE.read_text()


def axe_violations(page: Page) -> list[dict]:
    """Every axe-core violation on the page as it is now (WCAG 2.x A and AA rules and axe's best practices)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_source())
    return page.evaluate(
        """async () => {
            const result = await window.axe.run(document, {resultTypes: ["violations"]});
            return result.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map((n) => n.target.join(" ") + ": " + n.failureSummary),
            }));
        }"""
    )


def assert_no_axe_violations(page: Page, screen: str) -> None:
    violations = axe_violations(page)
    details = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"]) for v in violations
    )
    assert not violations, f"axe-core found {len(violations)} violation(s) on {screen}:\n{details}"


def sideways_overflow(page: Page) -> list[str]:
    """The page's width beyond the viewport, and the elements that stick out (empty when nothing scrolls sideways)."""
    return page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            if (document.documentElement.scrollWidth <= width) return [];
            const wide = [...document.querySelectorAll('body *')]
                .filter(el => el.getBoundingClientRect().right > width + 0.5)
                .filter(el => !el.closest('.table-scroll'))
                .slice(0, 5)
                .map(el => el.tagName.toLowerCase() + (el.className && typeof el.className === 'string'
                    ? '.' + el.className.trim().split(/\\s+/).join('.') : ''));
            return [`page ${document.documentElement.scrollWidth}px wide in ${width}px`, ...wide];
        }"""
    )


def assert_no_sideways_scroll(page: Page, screen: str) -> None:
    overflow = sideways_overflow(page)
    assert not overflow, f"{screen} scrolls sideways: {overflow}"
