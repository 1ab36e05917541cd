"""Fixtures of the web app's specifications.

- ``web_app``: the app over a demo store of its own (SQLite), as ``vptr serve --demo`` runs it,
  the map's tiles pointing at a local stub (``/test-tiles/...``), so nothing leaves the machine;
- ``staff_client(login)``: a TestClient logged in as a demo user (``an.beheerder``, ...), with
  ``csrf`` (the session's token) and ``post_form`` that sends it;
- ``live_server``: the same app served by uvicorn on a free local port, for the browser;
- ``browser_page``: a page of headless Chromium (the distribution's, driven by Playwright) that
  fails the test on any console error or uncaught exception. Without Playwright or Chromium the
  browser tests skip with the reason, unless ``CI=true`` or ``VPTR_REQUIRE_BROWSER=1``: then they
  fail.
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI, Response
from fastapi.testclient import TestClient

from vptr.app import create_app
from vptr.services.demo import load_demo
from vptr.settings import Settings
from vptr.store.database import Store
from vptr.store.db import sqlite_url

#: A 1x1 grey PNG, the stub of every map tile.
TILE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGP4DwABAQEAWk1v8QAAAABJRU5ErkJggg==")
CHROMIUM_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def web_port() -> int:
    return _free_port()


@pytest.fixture(scope="session")
def _web_store(tmp_path_factory: pytest.TempPathFactory, web_port: int) -> Iterator[Store]:
    url = sqlite_url(Path(tmp_path_factory.mktemp("web")) / "demo.sqlite")
    settings = Settings(database_url=url, demo=True, audit_flush_seconds=0,
                        rate_limit_per_second=0,
                        web_tile_url=f"http://127.0.0.1:{web_port}/test-tiles/{{z}}/{{x}}/{{y}}.png",
                        web_tile_attribution="test tiles")
    store = Store(settings)
    store.prepare()
    load_demo(store)
    yield store
    store.dispose()


def _with_tile_stub(app: FastAPI) -> FastAPI:
    @app.get("/test-tiles/{z}/{x}/{y}.png", include_in_schema=False)
    def tile(z: int, x: int, y: int) -> Response:
        return Response(TILE, media_type="image/png")

    return app


@pytest.fixture(scope="session")
def web_app(_web_store: Store) -> Iterator[FastAPI]:
    app = _with_tile_stub(create_app(_web_store.settings, _web_store))
    yield app
    app.state.runtime.close()


class StaffClient(TestClient):
    csrf: str = ""

    def refresh_csrf(self, html: str) -> None:
        found = re.search(r'name="csrf" value="([^"]+)"', html)
        if found:
            self.csrf = found.group(1)

    def post_form(self, url: str, data: dict[str, Any] | None = None, **kwargs: Any):
        return self.post(url, data={"csrf": self.csrf, **(data or {})}, **kwargs)


def log_in(client: StaffClient, login: str, password: str | None = None) -> Any:
    from vptr.web.users import DEMO_USERS
    password = password or next(u.password for u in DEMO_USERS if u.login == login)
    client.refresh_csrf(client.get("/beheer/login").text)
    answer = client.post_form("/beheer/login", {"login": login, "password": password,
                                                "next": "/beheer/"})
    client.refresh_csrf(answer.text)
    return answer


@pytest.fixture
def staff_client(web_app: FastAPI) -> Iterator[Callable[[str], StaffClient]]:
    clients: list[StaffClient] = []

    def make(login: str | None = "an.beheerder") -> StaffClient:
        client = StaffClient(web_app)
        clients.append(client)
        if login:
            log_in(client, login)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture(scope="session")
def live_server(web_app: FastAPI, web_port: int) -> Iterator[str]:
    config = uvicorn.Config(web_app, host="127.0.0.1", port=web_port, log_level="warning",
                            lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{web_port}"
    server.should_exit = True
    thread.join(timeout=10)


def _browser_missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install -e '.[dev]')"
    if not chromium_path():
        return "no Chromium: apt-get install -y chromium"
    return None


def chromium_path() -> str | None:
    for path in CHROMIUM_PATHS:
        if Path(path).exists():
            return path
    return shutil.which("chromium")


def require_browser() -> None:
    reason = _browser_missing()
    if reason is None:
        return
    if os.environ.get("CI") == "true" or os.environ.get("VPTR_REQUIRE_BROWSER") == "1":
        pytest.fail(f"the browser tests must run here (CI / VPTR_REQUIRE_BROWSER) but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    require_browser()
    from playwright.sync_api import sync_playwright
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=chromium_path(),
                                         args=["--no-sandbox", "--disable-gpu"])
    yield browser
    browser.close()
    playwright.stop()


class ConsoleErrors(list):
    def listen(self, page: Any) -> None:
        page.on("console", lambda m: self.append(f"console {m.type}: {m.text}")
                if m.type == "error" else None)
        page.on("pageerror", lambda e: self.append(f"uncaught: {e}"))


@pytest.fixture
def browser_page(browser: Any, live_server: str) -> Iterator[Any]:
    """A page at 1280x900 (``page.set_viewport_size`` for a tablet); fails the test on any
    console error."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server,
                                  locale="nl-BE")
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors = ConsoleErrors()
    errors.listen(page)
    page.on("dialog", lambda dialog: dialog.accept())
    yield page
    context.close()
    assert not errors, "errors in the browser's console:\n" + "\n".join(errors)


def browser_log_in(page: Any, login: str = "an.beheerder", password: str = "demo-beheer"
                   ) -> None:
    page.goto("/beheer/login")
    page.get_by_label("Gebruikersnaam").fill(login)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url("**/beheer/")


SCREENSHOTS = os.environ.get("VPTR_WEB_SCREENSHOTS")


def screenshot(page: Any, name: str, tmp_path: Path) -> Path:
    """A screenshot of the page (into ``$VPTR_WEB_SCREENSHOTS`` when set: docs/images)."""
    folder = Path(SCREENSHOTS) if SCREENSHOTS else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"web-{name}.png"  # as docs/web.md names them
    page.screenshot(path=str(path), full_page=False)
    return path
