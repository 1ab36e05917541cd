"""The HTML specification (generated/vptr/standard/index.html and index_en.html, as the open data
serves them at /doc/applicatieprofiel/parkeren-en-toegang) in a real browser, on a laptop
(1280 px) and a tablet (768 px): the page never scrolls sideways, no table is wider than the
column it stands in, no cell's content runs out of its cell (a regex pattern or a long IRI wraps
inside it), a JSON key stays on one line on a laptop, and the browser reports no error.

Screenshots go to ``tests/web/screenshots/specification`` (not committed) for a person to look
at; with ``VPTR_WEB_SCREENSHOTS=docs/images`` the three in docs/model-editing.md are refreshed."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).parent / "screenshots" / "specification"
PAGES = {"nl": "/doc/applicatieprofiel/parkeren-en-toegang",
         "en": "/doc/applicatieprofiel/parkeren-en-toegang?lang=en"}
WIDTHS = (1280, 768)

#: What overflows, measured in the page: the document, every table against its container, and
#: every cell whose content is wider than the cell (a pattern that cannot wrap, a cut-off
#: heading). One pixel of slack for sub-pixel rounding.
MEASURE = """() => {
  const doc = document.documentElement;
  const tables = [...document.querySelectorAll('table')].filter(t => t.offsetParent !== null
      ).map(t => ({
    where: (t.closest('section') || t.closest('details') || t.parentElement).id || t.className,
    width: t.getBoundingClientRect().width,
    container: t.parentElement.clientWidth,
    scroll: t.parentElement.scrollWidth,
  })).filter(t => t.width > t.container + 1 || t.scroll > t.container + 1);
  const cells = [...document.querySelectorAll('th, td')].filter(c => c.offsetParent !== null
      && c.scrollWidth > c.clientWidth + 1).map(c =>
      (c.closest('tr').id || 'head') + ': ' + c.textContent.trim().slice(0, 40));
  return {scrollWidth: doc.scrollWidth, clientWidth: doc.clientWidth, tables, cells,
          tableCount: document.querySelectorAll('table').length};
}"""

#: The keys (first column of a property table) that wrap onto a second line.
BROKEN_KEYS = """() => [...document.querySelectorAll('table.properties tbody td:first-child code')]
  .filter(c => c.getClientRects().length > 1).map(c => c.textContent)"""


def shot(page: Any, name: str, locator: Any = None, docs: bool = False) -> None:
    """A screenshot for a person to look at (and, with VPTR_WEB_SCREENSHOTS, one of the docs)."""
    folders = [SHOTS]
    if docs and os.environ.get("VPTR_WEB_SCREENSHOTS"):
        folders.append(Path(os.environ["VPTR_WEB_SCREENSHOTS"]))
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
        target = locator if locator is not None else page
        target.screenshot(path=str(folder / f"specification-{name}.png"))


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", PAGES)
def test_the_specification_fits_the_screen(browser_page, lang, width):
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(PAGES[lang])
    # Open the list of replaced IRIs too: its table must fit as well when a reader opens it.
    page.locator("#changes + p + details > summary").click()
    found = page.evaluate(MEASURE)
    assert found["tableCount"] > 20  # the class and code list tables are there
    assert found["scrollWidth"] <= found["clientWidth"], "the page scrolls sideways"
    assert found["tables"] == []
    assert found["cells"] == []
    if width >= 1280:
        assert page.evaluate(BROKEN_KEYS) == []
    page.locator("#changes + p + details > summary").click()
    shot(page, f"{lang}-{width}-changes")  # the viewport is where the click left it
    shot(page, f"{lang}-{width}-regime", page.locator("#class-Regime"))


def test_the_screenshots_of_the_documentation(browser_page):
    """The three pictures docs/model-editing.md shows: the Dutch page's header on a laptop, the
    English overview diagram, a Dutch property table on a tablet."""
    page = browser_page
    page.goto(PAGES["nl"])
    shot(page, "nl-header", docs=True)
    shot(page, "nl-overview", page.locator("#package-overview"))
    page.goto(PAGES["en"])
    shot(page, "en-overview", page.locator("#package-overview"), docs=True)
    page.set_viewport_size({"width": 768, "height": 1024})
    page.goto(PAGES["nl"] + "#class-Permit")
    shot(page, "nl-tablet-properties", docs=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 768
