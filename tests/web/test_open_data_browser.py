"""The open data's pages (vptr.opendata) in a real browser, with the web app's browser fixtures
(here, so the live server starts where the other browser tests start it): a zone's page draws
its outline on the map, a regime's and the catalogue's pages read and link; no console error (the
Content-Security-Policy blocks nothing the page needs). Screenshots go to
``tests/web/screenshots/open-data`` (not committed) for a person to look at."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).parent / "screenshots" / "open-data"


def shot(page, name: str, full_page: bool = True) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


def test_a_zone_page_shows_the_zone_on_the_map(browser_page):
    page = browser_page
    page.goto("/id/zone/gent-rood")
    assert page.get_by_role("heading", name="Parkeerzone rood (Kouter - Veldstraat)").is_visible()
    page.wait_for_selector("#map path.leaflet-interactive")
    assert page.locator("#map path.leaflet-interactive").count() == 1
    box = page.locator("#map path.leaflet-interactive").bounding_box()
    assert box is not None and box["width"] > 100 and box["height"] > 100  # fitted to the zone
    shot(page, "zone-gent-rood")


def test_a_regime_version_page_and_its_links(browser_page):
    page = browser_page
    page.goto("/id/regime/gent-rood-betalend")
    assert page.url.endswith("/id/regime/gent-rood-betalend/2")
    assert page.get_by_text("Tarief rode zone").first.is_visible()
    page.get_by_role("link", name="https://data.parkeerregister.vlaanderen.be/id/zone/gent-rood"
                     ).first.click()
    page.wait_for_selector("#map path.leaflet-interactive")
    shot(page, "regime-to-zone")


def test_the_catalogue_page_lists_the_datasets_and_their_downloads(browser_page):
    page = browser_page
    page.goto("/catalog")
    assert page.get_by_role("heading", name="Het hele register").is_visible()
    assert page.get_by_role("link", name="register.nt", exact=True).is_visible()
    shot(page, "catalogue")


def test_a_term_of_the_vocabulary_opens_at_its_definition(browser_page):
    page = browser_page
    page.goto("/ns/parkeren-en-toegang#Tarief")
    heading = page.locator("#Tarief h2")
    assert heading.inner_text() == "Tarief"
    assert heading.is_visible()
    assert page.evaluate("document.getElementById('Tarief').getBoundingClientRect().top") < 100
    shot(page, "vocabulary-tarief", full_page=False)
