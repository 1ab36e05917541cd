"""The bad-input corpus (issue 18): what an attacker or a careless client sends is answered with a
4xx problem document naming the field, never a 500, and never echoes a plate. Each case runs on
SQLite and on PostgreSQL (the ``store`` fixture), where the failures differed.

The corpus is built from families (every body route gets every unreadable body, every paged list
every bad page), plus the single inputs the issue's probes found; ``CORPUS_SIZE`` is the figure
docs/security.md records.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from vptr.http.bodies import MAX_BODY_DEPTH
from vptr.services.demo import ZONE_ROOD, ZONE_ZUID

PROBLEM = "application/problem+json"
PLATE = "1BAD001"
JSON = {"content-type": "application/json"}
SQUARE = "POLYGON ((3.70 51.00, 3.71 51.00, 3.71 51.01, 3.70 51.01, 3.70 51.00))"


@dataclass(frozen=True)
class Case:
    id: str
    role: str
    method: str
    path: str
    status: int
    where: str | None = None  # the field the problem must name (None: the body as a whole)
    params: dict[str, Any] | None = None
    body: bytes | None = None
    headers: dict[str, str] = dataclass_field(default_factory=lambda: dict(JSON))


def _zone(**extra: Any) -> dict[str, Any]:
    return {"name": "Proefzone", "zoneKind": "blueZone", "geometry": {"asWKT": SQUARE}, **extra}


def _right(**extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "rightKind": "parking", "zone": ZONE_ROOD, "channel": "app",
        "vehicle": {"licencePlate": {"plateNumber": PLATE, "country": "BE"}},
        "validityPeriod": {"startTime": "2026-11-23T10:00:00+01:00",
                           "endTime": "2026-11-23T12:00:00+01:00"}}
    for key, value in extra.items():
        body[key] = value
    return body


def _json(value: Any) -> bytes:
    return json.dumps(value).encode()


#: Every route that reads a JSON body, with a role allowed to call it.
BODY_ROUTES = [
    ("area-manager", "POST", "/zones"),
    ("area-manager", "PUT", "/zones/gent-rood"),
    ("area-manager", "POST", "/zones/import"),
    ("area-manager", "POST", "/regimes"),
    ("area-manager", "PUT", "/regimes/gent-zuid-betalend"),
    ("provider", "POST", "/rights"),
    ("provider", "PATCH", "/rights/x"),
    ("provider", "POST", "/rights/x/end"),
    ("area-manager", "POST", "/permits"),
    ("area-manager", "PUT", "/permits/gent-bew-2026-004711"),
    ("area-manager", "POST", "/whitelists"),
    ("area-manager", "POST", "/whitelists/gent-hulpdiensten/entries"),
    ("area-manager", "POST", "/organisations"),
    ("area-manager", "PUT", "/organisations/parkplus"),
    ("area-manager", "POST", "/organisations/parkplus/api-keys"),
    ("area-manager", "POST", "/authorisations"),
    ("area-manager", "PUT", "/authorisations/gent-parkplus"),
    ("enforcement", "POST", "/check"),
]

#: Bodies no route can read one way only (400), or that are not JSON at all (415).
UNREADABLE: list[tuple[str, bytes, dict[str, str], int, str | None]] = [
    ("lone-surrogate", b'{"name": "\\ud800"}', JSON, 400, "name"),
    ("lone-surrogate-in-key", b'{"\\udfff": 1}', JSON, 400, None),
    ("nul-in-a-string", b'{"clientReference": "a\\u0000b"}', JSON, 400, "clientReference"),
    ("nested-900", b'{"a":' * 900 + b"1" + b"}" * 900, JSON, 400, None),
    ("nested-array-900", b"[" * 900 + b"]" * 900, JSON, 400, None),
    ("nested-just-too-deep", b'{"a":' * (MAX_BODY_DEPTH + 2) + b"1" + b"}" * (MAX_BODY_DEPTH + 2),
     JSON, 400, None),
    ("duplicate-key", b'{"name": "a", "name": "b"}', JSON, 400, "name"),
    ("nan", b'{"capacity": NaN}', JSON, 400, "capacity"),
    ("infinity", b'{"capacity": -Infinity}', JSON, 400, "capacity"),
    ("number-1e400", b'{"capacity": 1e400}', JSON, 400, "capacity"),
    ("integer-5000-digits", b'{"capacity": ' + b"9" * 5000 + b"}", JSON, 400, "capacity"),
    ("not-json", b"{name: 'x'}", JSON, 400, None),
    ("not-utf8", b'{"name": "\xff\xfe"}', JSON, 400, None),
    ("no-content-type", b'{"name": "x"}', {}, 415, "Content-Type"),
    ("text-plain", b'{"name": "x"}', {"content-type": "text/plain"}, 415, "Content-Type"),
    ("form", b"name=x", {"content-type": "application/x-www-form-urlencoded"}, 415,
     "Content-Type"),
]

#: Every paged list, with a role that may read it.
PAGED = [
    ("area-manager", "/zones"), ("area-manager", "/regimes"), ("area-manager", "/rights"),
    ("area-manager", "/permits"), ("area-manager", "/whitelists"),
    ("area-manager", "/whitelists/gent-hulpdiensten/entries"), ("area-manager", "/organisations"),
    ("area-manager", "/authorisations"), ("area-manager", "/admin/audit"),
    ("area-manager", "/regimes/gent-zuid-betalend/versions"),
]
#: Query filters PostgreSQL cannot compare (NUL) or no filter holds, on every list with one.
NUL_QUERIES = [
    ("area-manager", "/zones", "name"), ("area-manager", "/rights", "clientReference"),
    ("area-manager", "/rights", "provider"), ("area-manager", "/organisations", "name"),
    ("area-manager", "/regimes", "zone"), ("area-manager", "/admin/audit", "resource"),
    ("area-manager", "/permits", "zone"), ("area-manager", "/whitelists", "zone"),
    ("provider", "/price", "zone"), ("enforcement", "/check", "zone"),
]
BAD_PAGES = [("page", "184467440737095518"), ("page", "0"), ("page", "-1"), ("page", "x"),
             ("pageSize", "501"), ("pageSize", "99999999999999999999")]


def _families() -> dict[str, list[Case]]:
    """The families, one list per route: the inputs of one route share one store."""
    families: dict[str, list[Case]] = {}
    for role, method, path in BODY_ROUTES:
        families[f"{method} {path}"] = [
            Case(f"{method} {path} {name}", role, method, path, status, where, body=body,
                 headers=headers)
            for name, body, headers, status, where in UNREADABLE]
    for role, path in PAGED:
        families[f"GET {path}"] = [
            Case(f"GET {path}?{name}={value}", role, "GET", path, 422, name,
                 params={name: value})
            for name, value in BAD_PAGES]
    for role, path, name in NUL_QUERIES:
        families.setdefault(f"GET {path}", []).extend(
            Case(f"GET {path}?{name}={label}", role, "GET", path, 422, name,
                 params={name: value})
            for label, value in (("NUL", "a\x00b"), ("escape", "a\x1bb"), ("DEL", "a\x7f")))
    return families


def _cases() -> list[Case]:
    cases: list[Case] = []
    cases += [
        # 1. data that would break later reads
        Case("right ending in 9999", "provider", "POST", "/rights", 422,
             "validityPeriod.endTime", body=_json(_right(validityPeriod={
                 "startTime": "2026-11-23T10:00:00+01:00", "endTime": "9999-12-31T23:59:59Z"}))),
        Case("right starting in year 1", "provider", "POST", "/rights", 422,
             "validityPeriod.startTime", body=_json(_right(validityPeriod={
                 "startTime": "0001-01-01T00:00:00+01:00"}))),
        Case("check at the end of 9999 +14:00", "enforcement", "GET", "/check", 422, "at",
             params={"plate": PLATE, "country": "BE", "zone": ZONE_ROOD,
                     "at": "9999-12-31T23:59:59+14:00"}),
        Case("check by body at the end of 9999", "enforcement", "POST", "/check", 422, "at",
             body=_json({"plate": PLATE, "country": "BE", "zone": ZONE_ROOD,
                         "at": "9999-12-31T23:59:59+14:00"})),
        Case("regime with grace 2^70", "area-manager", "POST", "/regimes", 422, "gracePeriod",
             body=_json({"name": "Genade", "rightKind": "parking", "usage": "paidParking",
                         "zones": [ZONE_ZUID], "gracePeriod": 2**70})),
        Case("regime with grace 100", "area-manager", "POST", "/regimes", 422, "gracePeriod",
             body=_json({"name": "Genade", "rightKind": "parking", "usage": "paidParking",
                         "zones": [ZONE_ZUID], "gracePeriod": 100})),
        Case("zone capacity 10^12", "area-manager", "POST", "/zones", 422, "capacity",
             body=_json(_zone(capacity=10**12))),
        # 4. 500s on client input
        Case("amountPaid 1e400", "provider", "POST", "/rights", 422, "amountPaid.value",
             body=_json(_right(amountPaid={"value": "1e400", "currency": "EUR"}))),
        Case("amountPaid 40 digits", "provider", "POST", "/rights", 422, "amountPaid.value",
             body=_json(_right(amountPaid={"value": "9" * 40, "currency": "EUR"}))),
        Case("amountPaid 3 decimals", "provider", "POST", "/rights", 422, "amountPaid.value",
             body=_json(_right(amountPaid={"value": "1.005", "currency": "EUR"}))),
        Case("amountPaid as a JSON number", "provider", "POST", "/rights", 400,
             "amountPaid.value", body=_json(_right(amountPaid={"value": 4.15, "currency": "EUR"}))),
        Case("tariff step amount as a JSON number", "area-manager", "POST", "/regimes", 400,
             "amount", body=_json({
                 "name": "Getal", "rightKind": "parking", "usage": "paidParking",
                 "zones": [ZONE_ZUID], "tariff": {"currency": "EUR", "tariffSteps": [
                     {"startDuration": 0, "endDuration": 60, "stepSize": 15,
                      "amount": 2}]}})),
        Case("adjust amountPaid 1e400", "provider", "PATCH", "/rights/x", 404, None,
             body=_json({"amountPaid": {"value": "1e400", "currency": "EUR"}})),
        Case("price for 10^20 minutes", "provider", "GET", "/price", 422, "duration",
             params={"zone": ZONE_ROOD, "start": "2026-03-02T10:00:00+01:00",
                     "duration": "99999999999999999999"}),
        Case("price for P99999999999D", "provider", "GET", "/price", 422, "duration",
             params={"zone": ZONE_ROOD, "start": "2026-03-02T10:00:00+01:00",
                     "duration": "P99999999999D"}),
        Case("price starting at the end of 9999", "provider", "GET", "/price", 422, "start",
             params={"zone": ZONE_ROOD, "start": "9999-12-31T23:00:00+01:00", "duration": "60"}),
        Case("price ending in 9999", "provider", "GET", "/price", 422, "end",
             params={"zone": ZONE_ROOD, "start": "2026-03-02T10:00:00+01:00",
                     "end": "9999-12-31T23:00:00+01:00"}),
        Case("report with an empty to", "area-manager", "GET", "/reports/providers", 422, "to",
             params={"from": "2026-01-01T00:00:00Z", "to": ""}),
        Case("report from year 10000", "area-manager", "GET", "/reports/providers", 422, "from",
             params={"from": "+10000-01-01T00:00:00Z", "to": "2026-01-01T00:00:00Z"}),
        Case("900 kB name", "area-manager", "POST", "/zones", 422, "name",
             body=_json(_zone(name="x" * 900_000))),
        Case("501-character name", "area-manager", "POST", "/organisations", 422, "name",
             body=_json({"name": "x" * 501, "roles": ["provider"]})),
        Case("201-character GIS id", "area-manager", "POST", "/zones", 422,
             "notation", body=_json(_zone(identifiers=[
                 {"notation": "x" * 201, "identifierScheme": "gisId"}]))),
        Case("5001-character description", "area-manager", "POST", "/zones", 422, "description",
             body=_json(_zone(description="x" * 5001))),
        # 7. smaller ones
        Case("api key body false", "area-manager", "POST", "/organisations/parkplus/api-keys",
             422, None, body=b"false"),
        Case("api key body a list", "area-manager", "POST", "/organisations/parkplus/api-keys",
             422, None, body=b'["label"]'),
        Case("api key label not text", "area-manager", "POST",
             "/organisations/parkplus/api-keys", 422, "label", body=b'{"label": 7}'),
        Case("zones at lon NaN", "area-manager", "GET", "/zones", 422, "lon",
             params={"lon": "NaN", "lat": "51"}),
        Case("zones at lon 1e400", "area-manager", "GET", "/zones", 422, "lon",
             params={"lon": "1e400", "lat": "51"}),
        Case("zones at lat 91", "area-manager", "GET", "/zones", 422, "lat",
             params={"lon": "3.7", "lat": "91"}),
        Case("check at lon NaN", "enforcement", "GET", "/check", 422, "lon",
             params={"plate": PLATE, "country": "BE", "lon": "NaN", "lat": "51"}),
        # 8. ambiguous input
        Case("name with a bell", "area-manager", "POST", "/zones", 422, "name",
             body=_json(_zone(name="Zone\u0007"))),
        Case("name with a newline", "area-manager", "POST", "/zones", 422, "name",
             body=_json(_zone(name="Zone\nB"))),
        Case("name with NUL", "area-manager", "POST", "/zones", 400, "name",
             body=_json(_zone(name="Zone\u0000"))),
        Case("description with an escape", "area-manager", "POST", "/zones", 422, "description",
             body=_json(_zone(description="a\u001b[31m"))),
        Case("organisation name with a tab", "area-manager", "POST", "/organisations", 422,
             "name", body=_json({"name": "4411\tNV", "roles": ["provider"]})),
        Case("self-intersecting outline", "area-manager", "POST", "/zones", 422,
             "geometry.asWKT", body=_json(_zone(geometry={
                 "asWKT": "POLYGON ((0 0, 1 1, 1 0, 0 1, 0 0))"}))),
        Case("outline off the globe", "area-manager", "POST", "/zones", 422, "geometry.asWKT",
             body=_json(_zone(geometry={
                 "asWKT": "POLYGON ((300 0, 301 0, 301 1, 300 1, 300 0))"}))),
        Case("GeoJSON string nested 5000 levels", "area-manager", "POST", "/zones", 422,
             "geometry.asGeoJSON", body=_json(_zone(geometry={
                 "asGeoJSON": "[" * 5000 + "]" * 5000}))),
        Case("GeoJSON string with a 5000-digit number", "area-manager", "POST", "/zones", 422,
             "geometry.asGeoJSON", body=_json(_zone(geometry={
                 "asGeoJSON": '{"type": "Point", "coordinates": [' + "9" * 5000 + ", 1]}"}))),
        *[Case(f"/validate {name}", "anonymous", "POST", "/validate", 400, None, body=body)
          for name, body in (("NaN", b'{"type": "Zone", "capacity": NaN}'),
                             ("1e400", b'{"type": "Zone", "capacity": 1e400}'),
                             ("5000 digits", b'{"type": "Zone", "capacity": ' + b"9" * 5000
                              + b"}"),
                             ("duplicate key", b'{"type": "Zone", "name": "a", "name": "b"}'),
                             ("nested 900", b'{"a":' * 900 + b"1" + b"}" * 900))],
        # unbounded or unchecked strings (the audit after issue 18)
        *[Case(f"homepage {label}", "area-manager", "POST", "/organisations", status,
               "homepage", body=_json({"name": "Proef", "roles": ["provider"],
                                       "homepage": value}))
          for label, value, status in (
              ("of 900 kB", "https://x.be/" + "a" * 900_000, 422),
              ("of 501 characters", "https://x.be/" + "a" * 488, 422),
              ("with a bell", "https://x.be/a\u0007b", 422),
              ("javascript:", "javascript:alert(1)", 422),
              ("ftp:", "ftp://x.be/", 422),
              # not even an IRI: refused when the JSON-LD is read
              ("with a space", "https://x.be/a b", 400),
              ("data:", "data:text/html,<script>alert(1)</script>", 400),
              ("without a scheme", "www.parkplus.be", 400))],
        Case("api key label of 900 kB", "area-manager", "POST",
             "/organisations/parkplus/api-keys", 422, "label",
             body=_json({"label": "x" * 900_000})),
        Case("api key label of 201 characters", "area-manager", "POST",
             "/organisations/parkplus/api-keys", 422, "label", body=_json({"label": "x" * 201})),
        Case("clientReference with an escape", "provider", "POST", "/rights", 422,
             "clientReference", body=_json(_right(clientReference="a\u001b[31mb"))),
        Case("clientReference with a newline", "provider", "POST", "/rights", 422,
             "clientReference", body=_json(_right(clientReference="a\nb"))),
        Case("time zone of 900 kB", "area-manager", "POST", "/zones", 422, "timeZone",
             body=_json(_zone(timeZone="Europe/" + "B" * 900_000))),
        Case("start with ten decimals of a second", "provider", "POST", "/rights", 422,
             "validityPeriod.startTime", body=_json(_right(validityPeriod={
                 "startTime": "2026-11-23T10:00:00.1234567890+01:00",
                 "endTime": "2026-11-23T12:00:00+01:00"}))),
        Case("start with a fraction of 900 kB", "provider", "POST", "/rights", 422,
             "validityPeriod.startTime", body=_json(_right(validityPeriod={
                 "startTime": "2026-11-23T10:00:00." + "1" * 900_000 + "+01:00",
                 "endTime": "2026-11-23T12:00:00+01:00"}))),
        Case("regime version 10^20", "area-manager", "GET",
             "/regimes/gent-zuid-betalend/versions/99999999999999999999", 422, "number"),
        Case("regime version 0", "area-manager", "GET",
             "/regimes/gent-zuid-betalend/versions/0", 422, "number"),
        Case("duplicate key in a right", "provider", "POST", "/rights", 400, "plateNumber",
             body=b'{"vehicle": {"licencePlate": {"plateNumber": "1BAD001", '
                  b'"plateNumber": "2BAD002", "country": "BE"}}}'),
    ]
    return cases


#: Paths whose parameters hold a control character once decoded (PostgreSQL cannot compare a
#: NUL: these answered 500 there), on every channel: (role, method, path, channel). Each channel
#: refuses in its own format: a problem document (native API, open data), an APDS
#: ResponseStatus, an NPR ResponseError or the NPR management's refusal.
CONTROL_PATHS = [
    ("anonymous", "GET", "/id/zone/a%00b", "problem"),
    ("anonymous", "GET", "/id/regime/a%00b", "problem"),
    ("anonymous", "GET", "/id/organisation/a%00b", "problem"),
    ("anonymous", "GET", "/id/zone/gent-rood%1b", "problem"),
    ("area-manager", "GET", "/zones/a%00b", "problem"),
    ("area-manager", "GET", "/zones/a%7Fb/versions", "problem"),
    ("area-manager", "PUT", "/zones/a%00b", "problem"),
    ("area-manager", "DELETE", "/zones/a%00b", "problem"),
    ("area-manager", "GET", "/regimes/a%00b", "problem"),
    ("area-manager", "GET", "/regimes/gent-zuid-betalend/versions/1%00", "problem"),
    ("area-manager", "GET", "/permits/a%00b", "problem"),
    ("area-manager", "GET", "/whitelists/a%00b/entries", "problem"),
    ("area-manager", "GET", "/organisations/a%00b", "problem"),
    ("area-manager", "GET", "/authorisations/a%00b", "problem"),
    ("provider", "GET", "/rights/a%00b", "problem"),
    ("provider", "PATCH", "/rights/a%00b", "problem"),
    ("provider", "POST", "/rights/a%00b/end", "problem"),
    ("provider", "GET", "/apds/rights/assigned/a%00b", "apds"),
    ("provider", "GET", "/apds/sessions/a%00b", "apds"),
    ("area-manager", "GET", "/apds/places/a%00b", "apds"),
    ("area-manager", "DELETE", "/apds/places/a%00b", "apds"),
    ("area-manager", "GET", "/apds/rates/a%00b", "apds"),
    ("provider", "GET", "/apds/rights/specs/a%09b", "apds"),
    ("provider", "POST", "/npr/CheckPSRight%00", "npr"),
    ("area-manager", "PUT", "/npr/codes/area/a%00b", "npr-management"),
    ("provider", "POST", "/npr/CheckPSRight?x=a%00b", "npr"),
    ("provider", "POST", "/npr/soap?x=a%00b", "soap"),
    ("anonymous", "GET", "/beheer/zones/a%00b", "page"),
    ("anonymous", "GET", "/beheer/rechten/a%00b", "page"),
]


CASES = _cases()
FAMILIES = _families()
CORPUS_SIZE = len(CASES) + sum(len(f) for f in FAMILIES.values()) + len(CONTROL_PATHS)


def _send(client: TestClient, case: Case) -> Any:
    return client.request(case.method, case.path, params=case.params, content=case.body,
                          headers=case.headers)


def _wrong(client: TestClient, case: Case) -> str | None:
    """What is wrong with the answer to a case, or None."""
    response = _send(client, case)
    if response.status_code != case.status:
        return f"{case.id}: {response.status_code} {response.text[:300]}"
    if not response.headers["content-type"].startswith(PROBLEM):
        return f"{case.id}: {response.headers['content-type']}"
    problem = response.json()
    if problem["status"] != case.status or not problem["detail"]:
        return f"{case.id}: {problem}"
    named = [e["field"] for e in problem["errors"]]
    if case.where is not None and not any(
            f == case.where or (f or "").endswith(case.where) for f in named):
        return f"{case.id}: names {named}, not {case.where}"
    if PLATE in response.text:
        return f"{case.id}: echoes the plate"
    return None


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_a_bad_input_is_a_4xx_problem_naming_the_field(
        client_as: Callable[[str], TestClient], case: Case) -> None:
    assert _wrong(client_as(case.role), case) is None


@pytest.mark.parametrize("family", list(FAMILIES), ids=list(FAMILIES))
def test_every_route_refuses_every_unreadable_input(
        client_as: Callable[[str], TestClient], family: str) -> None:
    """Every body route gets every unreadable body, every paged list every bad page."""
    cases = FAMILIES[family]
    client = client_as(cases[0].role)
    assert [w for w in (_wrong(client, c) for c in cases) if w] == []


def _refused_in_its_channel(response: Any, channel: str) -> str | None:
    """What is wrong with the refusal of a path holding a control character, or None."""
    if response.status_code >= 500 or response.status_code < 400:
        return f"{response.status_code} {response.text[:300]}"
    if channel == "problem":
        if not response.headers["content-type"].startswith(PROBLEM):
            return f"{response.headers['content-type']} {response.text[:200]}"
        problem = response.json()
        if response.status_code != 422 or not any(e["field"] for e in problem["errors"]):
            return f"{response.status_code} {problem}"
        return None
    if channel == "page":
        if response.status_code != 400 or "text/html" not in response.headers["content-type"]:
            return f"not the management screens' error page: {response.text[:300]}"
        return None
    if channel == "soap":
        if b"<faultcode>s:Client</faultcode>" not in response.content:
            return f"not a SOAP fault: {response.text[:300]}"
        return None
    body = response.json()
    if channel == "apds":
        if body.get("status") != "error" or body.get("code") != response.status_code or \
                "control character" not in body.get("message", ""):
            return f"not an APDS ResponseStatus: {body}"
        return None
    if channel == "npr":
        (element,) = body.values()
        error = element if "ErrorCode" in element else next(iter(element.values()))
        if error.get("ErrorCode") != 110 or not error.get("ErrorVariable"):
            return f"not an NPR ResponseError: {body}"
        return None
    if not body.get("errors") or not body["errors"][0].get("where"):
        return f"not the NPR management's refusal: {body}"
    return None


@pytest.mark.parametrize(("role", "method", "path", "channel"), CONTROL_PATHS,
                         ids=[f"{m} {p}" for _, m, p, _ in CONTROL_PATHS])
def test_a_path_holding_a_control_character_is_refused_in_its_channels_format(
        client_as: Callable[[str], TestClient], role: str, method: str, path: str,
        channel: str) -> None:
    response = client_as(role).request(method, path, content=b"{}", headers=JSON)
    assert _refused_in_its_channel(response, channel) is None


def test_the_corpus_covers_the_issues_probes() -> None:
    assert CORPUS_SIZE >= 145


def test_docs_security_records_the_corpus_as_it_is() -> None:
    security = (Path(__file__).resolve().parents[2] / "docs" / "security.md").read_text()
    assert f"| bad-input corpus | {CORPUS_SIZE} hand-made inputs" in security
    assert f"{len(CONTROL_PATHS)} paths holding a control character" in security


def test_a_405_lists_every_method_of_the_path(client_as: Callable[[str], TestClient]) -> None:
    response = client_as("area-manager").delete("/regimes/gent-zuid-betalend")
    assert response.status_code == 405
    assert set(response.headers["allow"].split(", ")) == {"GET", "HEAD", "PUT"}


def test_a_homepage_and_a_key_label_at_their_bounds_are_kept_whole(
        client_as: Callable[[str], TestClient]) -> None:
    manager = client_as("area-manager")
    homepage = "https://www.parkplus.be/" + "p" * (500 - len("https://www.parkplus.be/"))
    made = manager.post("/organisations", json={"name": "Proef", "roles": ["provider"],
                                                "homepage": homepage})
    assert made.status_code == 201, made.text[:300]
    assert made.json()["homepage"] == homepage
    reference = made.json()["id"].rsplit("/", 1)[1]
    key = manager.post(f"/organisations/{reference}/api-keys", json={"label": "é" * 200})
    assert key.status_code == 201, key.text[:300]


def test_a_name_at_the_bound_is_stored_the_same_on_both_stores(
        client_as: Callable[[str], TestClient]) -> None:
    response = client_as("area-manager").post("/zones", json=_zone(name="é" * 500))
    assert response.status_code == 201, response.text[:300]
    assert response.json()["name"] == "é" * 500


def test_a_zone_reference_is_enough_for_check_and_price(
        client_as: Callable[[str], TestClient]) -> None:
    assert client_as("enforcement").get("/check", params={
        "plate": "1ABC123", "country": "BE", "zone": "gent-rood"}).status_code == 200
    assert client_as("provider").get("/price", params={
        "zone": "gent-rood", "start": "2026-03-02T10:00:00+01:00",
        "duration": "60"}).status_code == 200


def test_the_limited_provider_reads_its_own_rights(client_as: Callable[[str], TestClient]
                                                   ) -> None:
    """What README.md says of the limited provider."""
    client = client_as("provider-limited")
    made = client.post("/rights", json=_right(zone=ZONE_ZUID))
    assert made.status_code == 201, made.text[:300]
    assert client.get(f"/rights/{made.json()['id'].rsplit('/', 1)[1]}").status_code == 200
    assert client.get("/check", params={"plate": PLATE, "country": "BE",
                                        "zone": ZONE_ZUID}).status_code == 403

