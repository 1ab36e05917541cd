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
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} is {overflow}px wider than a {width}px screen"
        screenshot(page, f"{name}-{width}", tmp_path)
