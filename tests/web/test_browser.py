"""The web app in a real browser: headless Chromium (the distribution's), driven by Playwright.
Each test fails on any console error (``browser_page``); the map's tiles come from a local stub.

Runs the app over its own demo store, shared by these tests: each uses names of its own."""

from __future__ import annotations

import json
import uuid

import pytest

from .conftest import browser_log_in

pytestmark = pytest.mark.browser


def unique(prefix: str) -> str:
    return f"{prefix} {uuid.uuid4().hex[:6]}"


def test_log_in_switch_language_and_log_out(browser_page):
    page = browser_page
    page.goto("/beheer/zones")
    assert "/beheer/login" in page.url
    browser_log_in(page)
    assert page.get_by_text("An Beheerder (an.beheerder)").is_visible()
    page.get_by_role("link", name="EN", exact=True).click()
    assert page.get_by_role("link", name="Whitelists", exact=True).is_visible()
    page.get_by_role("link", name="NL", exact=True).click()
    page.get_by_role("button", name="Afmelden").click()
    page.wait_for_url("**/beheer/login")
    page.goto("/beheer/")
    assert "/beheer/login" in page.url


def test_zones_on_the_map_and_stacked_zones_at_a_point(browser_page):
    page = browser_page
    browser_log_in(page)
    page.get_by_role("link", name="Zones", exact=True).first.click()
    page.wait_for_selector("#map path.leaflet-interactive")
    assert page.locator("#map path.leaflet-interactive").count() >= 4
    # The demo's POINT_KOUTER: in the red zone and in the resident-card zone Kouter.
    point = page.evaluate("""([lon, lat]) => {
        const p = document.getElementById('map').vptrMap.latLngToContainerPoint([lat, lon]);
        return {x: p.x, y: p.y};
    }""", [3.7255, 51.0510])
    page.locator("#map").click(position=point)
    stacked = page.locator("#stacked li")
    stacked.first.wait_for()
    names = stacked.all_inner_texts()
    assert any("Parkeerzone rood" in n for n in names)
    assert any("Bewonerszone Kouter" in n for n in names), names


def test_draw_a_zone_on_the_map(browser_page):
    page = browser_page
    browser_log_in(page)
    page.goto("/beheer/zones/nieuw")
    name = unique("Getekende zone")
    page.locator("#f-name").fill(name)
    page.locator("#f-zoneKind").select_option("paidParking")
    editor = page.locator("#editor")
    # The other zones, faint, for reference.
    page.wait_for_function("document.querySelectorAll('#editor path').length > 2")
    box = editor.bounding_box()
    for dx, dy in ((0.3, 0.3), (0.7, 0.3), (0.7, 0.7), (0.3, 0.7)):
        page.mouse.click(box["x"] + box["width"] * dx, box["y"] + box["height"] * dy)
    outline = json.loads(page.get_by_label("Omtrek als GeoJSON of WKT").input_value())
    assert outline["type"] == "Polygon" and len(outline["coordinates"][0]) == 5
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_selector("text=Opgeslagen.")
    page.goto("/beheer/zones")
    assert page.get_by_role("link", name=name).is_visible()


def test_import_geojson_names_a_bad_feature_then_imports(browser_page, tmp_path):
    page = browser_page
    browser_log_in(page)
    page.goto("/beheer/zones/import")
    good = {"type": "Feature", "properties": {"name": unique("Geïmporteerde zone")},
            "geometry": {"type": "Polygon", "coordinates": [[[3.70, 51.03], [3.71, 51.03],
                                                             [3.71, 51.04], [3.70, 51.03]]]}}
    bad = {"type": "Feature", "properties": {"name": "Zonder omtrek"}, "geometry": None}
    collection = {"type": "FeatureCollection", "features": [good, bad]}
    page.get_by_label("GeoJSON-bestand").set_input_files(files=[{
        "name": "zones.geojson", "mimeType": "application/geo+json",
        "buffer": json.dumps(collection).encode()}])
    page.get_by_label("Soort voor features zonder soort").select_option("paidParking")
    page.get_by_role("button", name="GeoJSON importeren").click()
    alert = page.locator("#form-errors")
    assert "features[1]" in alert.inner_text()
    collection["features"] = [good]
    page.get_by_label("GeoJSON-bestand").set_input_files(files=[{
        "name": "zones.geojson", "mimeType": "application/geo+json",
        "buffer": json.dumps(collection).encode()}])
    page.get_by_label("Soort voor features zonder soort").select_option("paidParking")
    page.get_by_role("button", name="GeoJSON importeren").click()
    assert "1 zone(s) aangemaakt" in page.locator(".flash").inner_text()
    assert page.get_by_role("link", name=good["properties"]["name"]).is_visible()


def test_a_whitelist_entry_and_a_csv_upload_with_a_bad_row(browser_page):
    page = browser_page
    browser_log_in(page)
    page.goto("/beheer/witte-lijsten/nieuw")
    name = unique("Stadsvloot")
    page.locator("#f-name").fill(name)
    page.locator("#f-reason").select_option("municipalFleet")
    page.locator("#f-zones").select_option(["gent-autoluwe-kern"])
    page.locator("#f-validFrom").fill("2026-01-01")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_selector("text=Opgeslagen.")
    # One entry by hand; a plate missing first: the error stands next to the field.
    page.get_by_role("button", name="Nummerplaat toevoegen").click()
    assert page.locator("#plate-error").is_visible()
    page.locator("#f-plate").fill("1VLT001")
    page.get_by_label("Beschrijving (optioneel)").fill("Veegwagen")
    page.get_by_role("button", name="Nummerplaat toevoegen").click()
    page.wait_for_selector("td:text('1VLT001')")
    # A CSV with a bad row (a date that is no date, and an entry outside the list's period).
    csv = ("nummerplaat;land;beschrijving;van;tot\n1VLT002;BE;Bestelwagen;;\n"
           "1VLT003;BE;Kapot;gisteren;\n1VLT004;BE;Te vroeg;2025-06-01;\n")
    page.get_by_label("CSV-bestand").set_input_files(files=[{
        "name": "vloot.csv", "mimeType": "text/csv", "buffer": csv.encode()}])
    page.get_by_role("button", name="Voorbeeld van de upload").click()
    summary = page.locator("#csv-summary").inner_text()
    assert "2 van 3 rijen zijn fout" in summary
    rows = page.locator("#preview tbody tr")
    assert rows.nth(1).get_attribute("class") == "bad"
    assert "geen geldige datum" in rows.nth(1).inner_text()
    assert "periode van de witte lijst" in rows.nth(2).inner_text()
    assert "1VLT002" not in page.content().split("preview")[0]  # nothing stored yet
    page.get_by_role("button", name="1 rij(en) opslaan").click()
    page.wait_for_selector("text=1 nummerplaat/-platen toegevoegd.")
    assert page.locator("td:text('1VLT002')").is_visible()
    assert page.locator("td:text('1VLT003')").count() == 0
    with page.expect_download() as download:
        page.get_by_role("link", name="Exporteren voor de politie (CSV)").click()
    exported = download.value.path().read_text(encoding="utf-8-sig")
    assert "1VLT001;BE;" in exported and "1VLT002;BE;" in exported


def test_read_the_provider_report(browser_page):
    page = browser_page
    browser_log_in(page)
    page.goto("/beheer/rapporten")
    page.get_by_label("Van").fill("2020-01-01")
    page.get_by_role("button", name="Tonen").click()
    table = page.locator("#provider-report")
    assert "ParkPlus NV" in table.inner_text()
    assert page.locator("svg.chart rect").count() >= 1
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV downloaden").click()
    assert "ParkPlus NV" in download.value.path().read_text(encoding="utf-8-sig")


def test_create_a_regime_and_try_its_price(browser_page):
    page = browser_page
    browser_log_in(page)
    page.goto("/beheer/regimes/nieuw")
    name = unique("Blauwe zone proef")
    page.locator("#f-name").fill(name)
    page.locator("#f-usage").select_option("paidParking")
    page.locator("#f-zones").select_option(["gent-zuid"])
    page.get_by_label("Vanaf minuut (1)").fill("0")
    page.get_by_label("Bedrag per stap (EUR) (1)").fill("0.80")
    page.get_by_label("Stap (minuten) (1)").fill("30")
    page.locator("#f-dayMaximum").fill("7.00")
    page.locator("#f-validFrom").fill("2026-01-01T00:00")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_selector("text=Opgeslagen.")
    assert page.get_by_role("heading", name=name).is_visible()
    page.locator("#f-start").fill("2026-03-03T09:00")
    page.locator("#f-minutes").fill("600")
    page.get_by_role("button", name="Berekenen").click()
    result = page.locator("#trial-result")
    assert "EUR 7.00" in result.inner_text()  # 9 hours of 0.80 a half hour, capped at 7.00
    assert "Dagmaximum" in page.locator("#breakdown").inner_text()


def test_edit_an_outline_by_dragging_a_corner(browser_page):
    page = browser_page
    browser_log_in(page)
    page.goto("/beheer/zones/nieuw")
    page.locator("#f-name").fill(unique("Versleepte zone"))
    page.locator("#f-zoneKind").select_option("blueZone")
    outline = page.locator("#f-outline")
    outline.fill("POLYGON ((3.700 51.030, 3.706 51.030, 3.706 51.034, 3.700 51.030))")
    outline.dispatch_event("change")
    corners = page.locator("#editor .vertex")
    assert corners.count() == 3
    box = corners.nth(1).bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 40, y - 30, steps=5)
    page.mouse.up()
    moved = json.loads(outline.input_value())["coordinates"][0][1]
    assert moved[0] > 3.706 and moved[1] > 51.030  # east and north of where it was
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_selector("text=Opgeslagen.")
    saved = json.loads(page.locator("#f-outline").input_value())["coordinates"][0][1]
    assert saved == pytest.approx(moved)


def test_a_nested_refusal_stands_next_to_its_field_in_dutch_and_in_english(browser_page):
    """The plate's country, two objects deep in the entry (vehicle.licencePlate.country), refused
    by the application profile: its own text in the screen's language, next to the field."""
    page = browser_page
    browser_log_in(page)
    page.goto("/beheer/witte-lijsten/gent-hulpdiensten")
    page.locator("#f-plate").fill("1NST001")
    page.locator("#f-country").fill("be1")
    page.get_by_role("button", name="Nummerplaat toevoegen").click()
    page.wait_for_load_state()
    error = page.locator("#country-error")
    # Both of the profile's refusals of "be1": the code list's and the pattern's.
    assert error.inner_text() == ("geen waarde van de codelijst; "
                                  "moet twee hoofdletters, de landcode (BE) zijn")
    assert page.locator("#f-country").get_attribute("aria-invalid") == "true"
    assert "country-error" in page.locator("#f-country").get_attribute("aria-describedby")

    page.goto("/beheer/taal/en?next=/beheer/witte-lijsten/gent-hulpdiensten")
    page.locator("#f-plate").fill("1NST001")
    page.locator("#f-country").fill("be1")
    page.get_by_role("button", name="Add an entry").click()
    assert page.locator("#country-error").inner_text() == (
        "not a value of the code list; must be two capital letters, the country code (BE)")
    assert page.locator("#plate-error").count() == 0  # the plate itself is fine
    page.goto("/beheer/taal/nl?next=/beheer/")


def _focused(page) -> str:
    return page.evaluate("() => document.activeElement.id")


def _pan(page, key: str) -> None:
    """An arrow key on the focused map, waiting for Leaflet's pan to end (keys pressed during a
    pan are ignored by Leaflet)."""
    page.evaluate("""() => { window.vptrMoved = new Promise(done =>
        document.getElementById('editor').vptrMap.once('moveend', done)); }""")
    page.keyboard.press(key)
    page.evaluate("() => window.vptrMoved")


def _tab_to(page, element_id: str, limit: int = 12, key: str = "Tab") -> list[str]:
    """Tab until ``element_id`` has the focus; the ids passed on the way (the focus order; a
    date and time field, whose parts each take a Tab, counts once)."""
    passed: list[str] = []
    for _ in range(limit):
        page.keyboard.press(key)
        focused = _focused(page)
        if not passed or passed[-1] != focused:
            passed.append(focused)
        if passed[-1] == element_id:
            return passed
    raise AssertionError(f"{element_id} not reached by {key}: {passed}")


def test_draw_and_edit_an_outline_with_the_keyboard_alone(browser_page):
    """No mouse: Tab to the map, pan it with the arrow keys, add corners at the cross in the
    middle, choose a corner and move it, each step announced, then save with the keyboard."""
    page = browser_page
    browser_log_in(page)
    page.goto("/beheer/zones/nieuw")
    page.wait_for_function("document.querySelectorAll('#editor path').length > 2")
    name = unique("Toetsenbordzone")
    page.locator("#f-name").focus()  # where a person tabbing through the page would arrive
    page.keyboard.type(name)
    page.keyboard.press("Tab")
    assert _focused(page) == "f-zoneKind"
    page.keyboard.press("ArrowDown")  # the first kind
    # The focus order: the form's fields, the outline's text, the map, its controls, then save.
    assert _tab_to(page, "editor") == ["f-description", "f-validFrom", "f-outline", "editor"]
    outline = page.evaluate("""() => getComputedStyle(document.activeElement).outlineStyle""")
    assert outline == "solid"  # a visible focus on the map

    status = page.locator("#editor-status")
    for key, steps in (("ArrowLeft", 1), ("ArrowUp", 1), ("ArrowRight", 2), ("ArrowDown", 2)):
        for _ in range(steps):
            _pan(page, key)
        if key != "ArrowUp":  # a corner after panning west, east, then south
            _tab_to(page, "add-corner")  # past the map's own zoom buttons
            page.keyboard.press("Enter")
            _tab_to(page, "editor", key="Shift+Tab")
    assert status.inner_text().startswith("Hoekpunt 3 toegevoegd op")
    assert "De omtrek heeft 3 hoekpunten." in status.inner_text()
    drawn = json.loads(page.locator("#f-outline").input_value())["coordinates"][0]
    assert len(drawn) == 4 and len({tuple(c) for c in drawn}) == 3

    # Choose corner 1 from the list (the map centres on it), pan, and move the corner there.
    assert _tab_to(page, "corner")[-4:] == ["add-corner", "undo-point", "clear-outline", "corner"]
    page.keyboard.press("Home")
    assert page.locator("#corner").input_value() == "0"
    assert status.inner_text() == "Hoekpunt 1 gekozen; de kaart staat erop gecentreerd."
    _tab_to(page, "editor", key="Shift+Tab")
    _pan(page, "ArrowUp")
    assert _tab_to(page, "move-corner")[-2:] == ["corner", "move-corner"]
    page.keyboard.press("Enter")
    assert status.inner_text().startswith("Hoekpunt 1 verplaatst naar")
    moved = json.loads(page.locator("#f-outline").input_value())["coordinates"][0]
    assert moved[0][1] > drawn[0][1] and moved[0][0] == pytest.approx(drawn[0][0])  # north
    assert moved[1:3] == drawn[1:3]

    assert _tab_to(page, "save")[-1] == "save"
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Opgeslagen.")
    saved = json.loads(page.locator("#f-outline").input_value())["coordinates"][0]
    assert [v for c in saved for v in c] == pytest.approx([v for c in moved for v in c])


def test_the_zones_at_the_middle_of_the_map_without_a_mouse(browser_page):
    page = browser_page
    browser_log_in(page)
    page.goto("/beheer/zones")
    page.wait_for_selector("#map path.leaflet-interactive")
    page.locator("#zones-at-centre").focus()
    page.keyboard.press("Enter")
    page.locator("#stacked li").first.wait_for()
    centre = page.evaluate("""() => {
        const c = document.getElementById('map').vptrMap.getCenter();
        return c.lat.toFixed(5) + ', ' + c.lng.toFixed(5);
    }""")
    assert centre in page.locator("#at-point").inner_text()
    assert page.locator("#stacked li").count() >= 1
