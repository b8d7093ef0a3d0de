"""Lighthouse-style budgets for the app's start, measured in Chromium: nothing blocks the first render, and the app
shell (the page, its stylesheet and every script module it loads before it can draw) stays under 150 KB compressed.

Chromium reports each resource's render-blocking status in its Resource Timing entries (`renderBlockingStatus`).
The compressed size is each response's body as gzip (level 6, what whitenoise serves in production) would send it.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext

from tests.e2e.conftest import PHONE

SHELL_BUDGET_BYTES = 150 * 1024
SHELL_TYPES = {"script", "link", "css", "other"}  # modules imported by modules show as "other" in Chromium


@pytest.fixture
def fresh(browser: Browser, live_server) -> Iterator[BrowserContext]:
    """A phone's first visit, without the fake clock of the other tests' profiles (it replaces `performance`)."""
    context = browser.new_context(viewport=PHONE, base_url=live_server.url, device_scale_factor=1)
    context.set_default_timeout(15_000)
    yield context
    context.close()


def _start(context: BrowserContext, path: str) -> tuple[Any, list[dict[str, Any]]]:
    page = context.new_page()
    page.goto(path)
    page.wait_for_load_state("networkidle")
    entries = page.evaluate(
        """() => performance.getEntriesByType('resource').map(e => ({
            name: e.name, initiatorType: e.initiatorType, renderBlockingStatus: e.renderBlockingStatus}))"""
    )
    return page, entries


@pytest.mark.parametrize("path", ["/app/signin", "/app/"])
def test_nothing_blocks_the_first_render(fresh, clinic, path):
    page, entries = _start(fresh, path)

    blocking = [entry["name"] for entry in entries if entry["renderBlockingStatus"] == "blocking"]
    print(f"{path}: {len(entries)} requests at start, render-blocking: {blocking or 'none'}")
    assert blocking == []
    # and the screen is drawn, styled: the page's own stylesheet applies
    page.locator("main h1").first.wait_for()
    assert page.evaluate("getComputedStyle(document.querySelector('.topbar')).display") != "inline"


def test_the_app_shell_is_under_150_kb_compressed(fresh, clinic):
    page, entries = _start(fresh, "/app/signin")
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(page.url))
    shell = [page.url] + [
        entry["name"]
        for entry in entries
        if entry["name"].startswith(origin)
        and entry["initiatorType"] in SHELL_TYPES
        and urlsplit(entry["name"]).path.endswith((".js", ".css"))
    ]
    sizes = {}
    for url in shell:
        body = page.request.get(url).body()
        sizes[urlsplit(url).path] = (len(body), len(gzip.compress(body, compresslevel=6)))
    raw = sum(size for size, _ in sizes.values())
    compressed = sum(size for _, size in sizes.values())
    print(f"app shell: {len(sizes)} files, {raw / 1024:.1f} KB, {compressed / 1024:.1f} KB compressed (budget 150 KB)")
    assert any(path.endswith("app.css") for path in sizes) and any(path.endswith("app.js") for path in sizes)
    assert len(sizes) > 10  # the modules the app imports were all found
    assert compressed <= SHELL_BUDGET_BYTES
