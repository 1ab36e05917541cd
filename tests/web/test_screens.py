"""Every screen in the browser, on a desktop (1280 px) and a tablet (768 px): it renders without a
console error, nothing is wider than the screen, and every form control has a label. With
``VPTR_WEB_SCREENSHOTS=docs/images`` the screenshots land in the documentation."""

from __future__ import annotations

import pytest

from .conftest import browser_log_in, screenshot

pytestmark = pytest.mark.browser

SCREENS = [
    ("overview", "/beheer/"),
    ("zones", "/beheer/zones"),
    ("zone-edit", "/beheer/zones/gent-rood"),
    ("zone-import", "/beheer/zones/import"),
    ("regimes", "/beheer/regimes"),
    ("regime", "/beheer/regimes/gent-rood-betalend"),
    ("regime-new", "/beheer/regimes/nieuw"),
    ("rights", "/beheer/rechten"),
    ("permits", "/beheer/vergunningen"),
    ("permit-new", "/beheer/vergunningen/nieuw"),
    ("whitelists", "/beheer/witte-lijsten"),
    ("whitelist", "/beheer/witte-lijsten/gent-hulpdiensten"),
    ("providers", "/beheer/aanbieders"),
    ("reports", "/beheer/rapporten"),
]

UNLABELLED = """() => [...document.querySelectorAll('input, select, textarea')]
    .filter(e => e.type !== 'hidden')
    .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))
    .map(e => e.name || e.id)"""


@pytest.mark.parametrize("width", [1280, 768])
def test_every_screen_renders_on_desktop_and_tablet(browser_page, width, tmp_path):
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900 if width > 800 else 1024})
    page.goto("/beheer/login")
    screenshot(page, f"login-{width}", tmp_path)
    browser_log_in(page)
    for name, path in SCREENS:
        answer = page.goto(path)
        assert answer is not None and answer.ok, f"{path}: {answer and answer.status}"
        page.wait_for_load_state("networkidle")
        assert page.evaluate(UNLABELLED) == [], f"{path}: controls without a label"
        assert page.locator("h1").count() == 1, f"{path}: one main heading"
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} is {overflow}px wider than a {width}px screen"
        screenshot(page, f"{name}-{width}", tmp_path)


def test_screens_in_the_middle_of_a_task(browser_page, tmp_path):
    """The screens a task passes through: stacked zones at a point, a CSV preview naming a bad
    row, a trial price with its breakdown, a right found by plate."""
    page = browser_page
    browser_log_in(page)
    page.goto("/beheer/zones")
    page.wait_for_selector("#map path.leaflet-interactive")
    point = page.evaluate("""() => {
        const p = document.getElementById('map').vptrMap.latLngToContainerPoint([51.051, 3.7255]);
        return {x: p.x, y: p.y};
    }""")
    page.locator("#map").click(position=point)
    page.locator("#stacked li").first.wait_for()
    screenshot(page, "zones-stacked-1280", tmp_path)

    page.goto("/beheer/witte-lijsten/gent-hulpdiensten")
    page.get_by_label("CSV-bestand").set_input_files(files=[{
        "name": "hulpdiensten.csv", "mimeType": "text/csv",
        "buffer": b"nummerplaat;land;beschrijving;van;tot\n1AMB200;BE;Ziekenwagen 2;;\n"
                  b"1AMB201;BE;Ziekenwagen 3;morgen;\n2BRW300;NL;Ladderwagen;;\n"}])
    page.get_by_role("button", name="Voorbeeld van de upload").click()
    page.locator("#preview").wait_for()
    screenshot(page, "whitelist-csv-preview-1280", tmp_path)

    page.goto("/beheer/regimes/gent-rood-betalend?zone=gent-rood&start=2026-03-07T10:00"
              "&minutes=420")
    page.locator("#trial-result").scroll_into_view_if_needed()
    screenshot(page, "regime-trial-price-1280", tmp_path)

    page.goto("/beheer/rechten")
    page.locator("#f-plate").fill("1ABC123")
    page.get_by_role("button", name="Zoeken").click()
    page.locator("#results").wait_for()
    screenshot(page, "rights-found-1280", tmp_path)

    # An outline drawn with the keyboard: corners added at the cross, one chosen, the focus on
    # the map, the last step announced below the controls.
    page.goto("/beheer/zones/nieuw")
    page.wait_for_function("document.querySelectorAll('#editor path').length > 2")
    editor = page.locator("#editor")
    for key in ("ArrowLeft", "ArrowRight", "ArrowDown"):
        editor.focus()
        page.keyboard.press(key)
        page.keyboard.press(key)
        page.wait_for_timeout(400)  # Leaflet's pan
        page.locator("#add-corner").click()
    page.locator("#corner").select_option("0")
    editor.focus()
    page.locator("#editor-status").scroll_into_view_if_needed()
    screenshot(page, "zone-keyboard-1280", tmp_path)
