"""Debian's Chromium driven by Playwright, as the HTML tests use it."""
from __future__ import annotations

from contextlib import contextmanager

import pytest
from conftest import need

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
WIDTHS = {"desktop": (1280, 800), "phone": (390, 844)}


@contextmanager
def chromium():
    """One browser for a module's tests; each test opens its own pages."""
    executable = need("chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def open_page(browser, url: str, layout: str = "desktop"):
    width, height = WIDTHS[layout]
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(url)
    return page


def in_view(page, selector: str) -> dict:
    """The element's box and whether all of its top line lies inside the window."""
    return page.evaluate("""(selector) => {
        const r = document.querySelector(selector).getBoundingClientRect();
        return {top: r.top, bottom: r.bottom, height: window.innerHeight,
                visible: r.top >= 0 && r.top < window.innerHeight && r.bottom > 0}; }""", selector)
