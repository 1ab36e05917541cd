"""The conformance kit (``vptr conformance apds URL``) against this gateway: every read path
and the pay-on-arrival flow conform to apds4.yaml and to the register's profile; and it reports,
per path and message, what does not conform in an endpoint that is not this gateway."""

from __future__ import annotations

import json
import socket
import threading
import time

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from vptr.apds.conformance import profile_violations, run
from vptr.cli import app as cli
from vptr.services.demo import credential


def test_this_gateway_conforms_on_every_path_and_the_write_flow(app):
    client = TestClient(app, base_url="http://testserver/apds",
                        headers={"Authorization": f"Bearer {credential('provider').key}"})

    report = run("http://testserver/apds", write=True, client=client)

    assert report.ok, report.text()
    paths = [(c.method, c.path.split("?")[0]) for c in report.checks]
    for expected in [("GET", "/places"), ("GET", "/rights/specs"), ("GET", "/rates"),
                     ("GET", "/rights/assigned"), ("GET", "/sessions"),
                     ("POST", "/sessions"), ("PUT", "/sessions/" + paths[-1][1].split("/")[-1]),
                     ("DELETE", paths[-1][1])]:
        assert expected in paths, expected


def _foreign_endpoint(request: httpx.Request) -> httpx.Response:
    """An APDS endpoint with faults: a place without name or time zone, a rate line the model
    cannot hold, a plate credential of no known scheme."""
    path = request.url.path.removeprefix("/apds")
    meta = {"referenceInstant": 1, "offset": 0, "pageSize": 10, "total": 1}
    if path == "/places":
        return httpx.Response(200, json={"meta": meta, "data": [{
            "id": "p1", "version": 1, "type": "place", "layer": 0,
            "hierarchyElementRecord": {"creationTime": "2026-01-01T00:00:00Z"}}]})
    if path == "/rates":
        return httpx.Response(200, json={"meta": meta, "data": [{
            "id": "r1", "version": 1, "availability": "public",
            "rateTableName": [{"language": "en", "string": "Tariff"}],
            "rateLineCollections": [{
                "id": "1", "version": 1, "collectionSequence": 1, "applicableCurrency": "GBP",
                "resetTime": "00:00", "validStart": "2026-01-01T00:00:00Z",
                "relativeTimes": False, "taxIncluded": True,
                "rateLines": [{"id": "1", "version": 1, "sequence": 1,
                               "rateLineType": "incrementingRate", "value": 1.5,
                               "durationStart": "00:00", "incrementPeriod": "P1M"}]}]}]})
    if path == "/rights/assigned":
        return httpx.Response(200, json={"meta": meta, "data": [{
            "id": "a1", "version": 1, "rightSpecification": {"id": "s1", "version": 1},
            "rightHolder": {"credentials": [{"type": "licensePlate", "identifier": {
                "id": "AB12CDE", "className": "Plate"}}]},
            "plannedUses": [{"startTime": "2026-01-01T00:00:00Z"}]}]})
    if path.startswith("/places/"):
        return httpx.Response(404, json={"status": "error", "code": 404, "message": "no"})
    if path == "/places" or "latitude" in str(request.url):
        return httpx.Response(400, json={"status": "error"})
    return httpx.Response(200, json={"meta": meta, "data": []})


def test_a_foreign_endpoint_is_reported_per_path_and_message():
    client = httpx.Client(base_url="https://operator.example/apds",
                          transport=httpx.MockTransport(_foreign_endpoint))

    report = run("https://operator.example/apds", client=client).as_json()

    by_path = {(c["method"], c["path"]): c for c in report["checks"]}
    places = by_path[("GET", "/places")]
    assert places["conformsToApds4"] is False  # a Place needs its name and time zone
    assert any("name" in v for v in places["apds4Violations"])
    rates = by_path[("GET", "/rates")]
    assert rates["conformsToApds4"] is True and rates["conformsToProfile"] is False
    assert any("P1M" in v for v in rates["profileViolations"])
    assigned = by_path[("GET", "/rights/assigned")]
    assert assigned["conformsToProfile"] is False
    assert any("Plate" in v for v in assigned["profileViolations"])
    assert report["ok"] is False


def test_a_place_without_an_outline_is_valid_apds_but_not_the_registers_profile():
    place = {"id": "p1", "version": 1, "type": "place", "layer": 0, "timeZone": "Europe/Brussels",
             "name": [{"language": "nl", "string": "Zone"}],
             "hierarchyElementRecord": {"creationTime": "2026-01-01T00:00:00Z"}}

    assert any("geometry" in v for v in profile_violations("HierarchyElement", place))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.slow
def test_the_command_runs_against_a_server_on_127_0_0_1(app):
    port = _free_port()
    # log_config=None: uvicorn must not reconfigure the process's loggers (other tests read
    # the access log through the root logger).
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None,
                                           lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        result = CliRunner().invoke(cli, [
            "conformance", "apds", f"http://127.0.0.1:{port}/apds", "--token",
            credential("enforcement").key, "--json"])
    finally:
        server.should_exit = True
        thread.join(timeout=5)

    report = json.loads(result.output)
    assert result.exit_code == 0, result.output
    assert report["ok"] and report["failed"] == 0 and report["passed"] >= 17
