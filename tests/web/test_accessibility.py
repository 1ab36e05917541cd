"""Every screen passes an automated WCAG 2.1 A and AA audit (axe-core: labels, names, roles,
landmarks, colour contrast, ...) in Dutch and in English, on a desktop (1280 px) and a tablet
(768 px); any violation fails, named with the elements it found. axe-core comes bundled in the
``axe-playwright-python`` package (no download); the audit runs in the page as it is shown,
after its scripts (the map) have run."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from .test_screens import SCREENS

pytestmark = pytest.mark.browser

#: The rules of WCAG 2.0 and 2.1, levels A and AA.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

#: Screens in the middle of a task, besides the plain ones: a form refused with its errors, the
#: trial price, a right found, the stacked zones (reached by the steps in ``TASKS``).
EXTRA = [
    ("regime-trial", "/beheer/regimes/gent-rood-betalend?zone=gent-rood&start=2026-03-07T10:00"
                     "&minutes=420"),
    ("zone-new", "/beheer/zones/nieuw"),
]


def axe_script() -> str:
    try:
        import axe_playwright_python
    except ImportError:  # the browser tests' own rule: fail under CI, skip elsewhere
        reason = "axe-playwright-python is not installed (pip install -e '.[dev]')"
        if os.environ.get("CI") == "true" or os.environ.get("VPTR_REQUIRE_BROWSER") == "1":
            pytest.fail(f"the accessibility audit must run here but {reason}")
        pytest.skip(reason)
    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()


def audit(page: Any) -> list[str]:
    """The WCAG 2.1 A/AA violations axe-core finds in the page, one line each."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_script())
    results = page.evaluate("""(tags) => axe.run(document, {
        runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})""", TAGS)
    found = []
    for violation in results["violations"]:
        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:5]]
        summary = violation["nodes"][0].get("failureSummary", "").replace("\n", " ")
        found.append(f"{violation['id']} ({violation['impact']}): {violation['help']} — "
                     f"{'; '.join(targets)} — {summary[:300]}")
    return found


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("width", [1280, 768])
def test_every_screen_passes_the_wcag_21_aa_audit(browser_page, width, lang):
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900 if width > 800 else 1024})
    page.goto(f"/beheer/taal/{lang}?next=/beheer/login")
    problems: dict[str, list[str]] = {}
    problems["login"] = audit(page)
    page.locator("input[name=login]").fill("an.beheerder")
    page.locator("input[name=password]").fill("demo-beheer")
    page.locator("input[name=password]").press("Enter")
    page.wait_for_url("**/beheer/")
    for name, path in [*SCREENS, *EXTRA]:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        problems[name] = audit(page)

    # A form shown again with its errors (a whitelist entry with a bad country).
    page.goto("/beheer/witte-lijsten/gent-hulpdiensten")
    page.locator("#f-plate").fill("1AXE001")
    page.locator("#f-country").fill("b1")
    page.locator("#f-country").press("Enter")
    page.locator("#country-error").wait_for()
    problems["whitelist-refused"] = audit(page)

    # The stacked zones at a point, on the map.
    page.goto("/beheer/zones")
    page.wait_for_selector("#map path.leaflet-interactive")
    point = page.evaluate("""() => {
        const p = document.getElementById('map').vptrMap.latLngToContainerPoint([51.051, 3.7255]);
        return {x: p.x, y: p.y};
    }""")
    page.locator("#map").click(position=point)
    page.locator("#stacked li").first.wait_for()
    problems["zones-stacked"] = audit(page)

    found = {name: lines for name, lines in problems.items() if lines}
    assert not found, "WCAG 2.1 A/AA violations:\n" + "\n".join(
        f"{name}: {line}" for name, lines in found.items() for line in lines)


def test_the_audit_finds_low_contrast_and_a_control_without_a_label(browser_page):
    """The audit is live: text of too little contrast and an unlabelled field in a screen fail."""
    page = browser_page
    page.goto("/beheer/login")
    assert audit(page) == []
    page.evaluate("""() => {
        const main = document.querySelector('main');
        const p = document.createElement('p');
        p.textContent = 'Grijs op wit';
        p.style.color = '#aaaaaa';
        p.style.background = '#ffffff';
        main.appendChild(p);
        const input = document.createElement('input');
        input.type = 'text';
        main.appendChild(input);
    }""")
    found = " ".join(audit(page))
    assert "color-contrast" in found and "label" in found
