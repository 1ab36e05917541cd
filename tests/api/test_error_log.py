"""The error log of a failed request (vptr.api.problems): a path is decoded from the client's
percent-escapes, so it may hold a NUL or an escape sequence; the log line writes them escaped, so a
client can neither cut a line, forge one nor colour a terminal (audit after issue 18)."""

from __future__ import annotations

import logging

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from vptr.api.problems import install_problem_handlers, printable


def _failing_app() -> FastAPI:
    """Only the problem handlers: no guard refuses the path first, so the route fails on it."""
    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/fail/{anything:path}")
    def fail(anything: str) -> None:
        raise RuntimeError("a bug")

    return app


def test_the_500_handler_logs_the_path_with_control_characters_escaped(
        caplog: pytest.LogCaptureFixture) -> None:
    client = TestClient(_failing_app(), raise_server_exceptions=False)
    with caplog.at_level(logging.ERROR, logger="vptr.api.problems"):
        response = client.get("/fail/a%00b%1b%5B31mred%07bell%C2%85")
    assert response.status_code == 500
    (record,) = [r for r in caplog.records if r.name == "vptr.api.problems"]
    line = record.getMessage()
    assert not [c for c in line if ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f], repr(line)
    assert "/fail/a\\x00b\\x1b[31mred\\x07bell\\x85" in line


@pytest.mark.parametrize(("raw", "written"), [
    ("/zones/gent-rood", "/zones/gent-rood"), ("/zones/é", "/zones/é"),
    ("\x00", "\\x00"), ("\t", "\\x09"), ("\x7f", "\\x7f"), ("\u009b", "\\x9b")])
def test_printable_escapes_only_control_characters(raw: str, written: str) -> None:
    assert printable(raw) == written


# --- the whole run's log scan (support.log_scan) ------------------------------------------------

@pytest.mark.parametrize("line", [
    "POST /rights for 1ABC123", "a plate AB12CDE in a traceback", "XY12ZZ (NL)",
    "written 1-abc-123 as typed", "1 ABC 123", "7K00001", "'plate': '2DEF456'",
    "the resident 1DEF567", "9NOBODY", "XY34ZZ"])
def test_the_log_scan_finds_every_kind_of_plate_the_run_uses(line: str) -> None:
    from support.log_scan import plates_in

    assert plates_in(line), line


@pytest.mark.parametrize("line", [
    'uvicorn.access INFO 127.0.0.1:5000 - "GET /check?plate=***&country=BE HTTP/1.1" 200',
    "vptr_demogent_StadGentDemoSleutel2026", "ES256 RS256 ISO8601 SHA256 UTF8 RFC9457",
    "2026-12-07T00:19:31.123456Z P366D PT17H", "e393c0fa-78d0-429d-ac10-9f3629cffd86",
    "https://data.parkeerregister.vlaanderen.be/id/regime/gent-rood-betalend/2",
    "sqlite3.OperationalError: database is locked [SQL: INSERT INTO rights ...]",
    "plate_hash 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
])
def test_the_log_scan_does_not_take_other_things_for_plates(line: str) -> None:
    from support.log_scan import plates_in

    assert plates_in(line) == set(), line


def test_the_log_scan_knows_the_demos_plates() -> None:
    from support.log_scan import known_plates

    from vptr.services import demo

    for _, plate in (demo.PLATE_APP_RIGHT, demo.PLATE_METER_RIGHT, demo.PLATE_RESIDENT,
                     demo.PLATE_WHITELISTED):
        assert plate in known_plates()
    assert {"XY12ZZ", "1GHI890", "1BRW100"} <= known_plates()
