"""The APDS conformance kit: runs against any APDS v4 endpoint (this gateway, or a provider's or
operator's own implementation) and reports, per path and message, whether it conforms

- to **apds4.yaml** (the UK NPP profile of APDS 4, as amended by the reference notes: every
  response body against its schema, with every ``$ref`` resolved; ``vptr.apds.schemas``), and
- to the **register's profile**: the message translates through the register's declarative
  mappings (``mappings/apds/``) into the model's class, and that document, completed with what
  the gateway itself would add (an IRI, a zone kind, ...), conforms to the application profile
  (SHACL, ``vptr.validation``). A place without an outline, a plate credential of an unknown
  scheme or a rate line the model cannot hold fail here while still valid APDS.

The read paths are exercised always; with ``write`` also the pay-on-arrival flow (start a
session, find its assigned right as enforcement would, end the session, delete it, re-send it).
``vptr conformance apds URL [--token T] [--write]`` is the command line.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from vptr.apds import schemas
from vptr.mapping import TranslationError, translator
from vptr.validation import PayloadError, validate_document

ID = "https://data.parkeerregister.vlaanderen.be/id/"
#: How many messages of a list are checked against the profile (all are against the schema).
PROFILE_SAMPLE = 20
RESTRICTION_KINDS = {"residentialPermitOnly": "permitParking",
                     "disabledPersonPermitOnly": "permitParking", "loadingZone": "loadingZone",
                     "loadingZoneCommercial": "loadingZone", "parkingTimeLimit": "blueZone"}


@dataclass
class Check:
    """One request: what was asked, what came back, and every finding."""

    method: str
    path: str
    schema: str | None
    status: int | None = None
    expected: tuple[int, ...] = (200,)
    messages: int = 0
    spec: list[str] = field(default_factory=list)  # violations of apds4.yaml
    profile: list[str] = field(default_factory=list)  # violations of the register's profile
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and self.status in self.expected and not self.spec \
            and not self.profile

    def as_json(self) -> dict[str, Any]:
        return {"method": self.method, "path": self.path, "schema": self.schema,
                "status": self.status, "expected": list(self.expected),
                "messages": self.messages, "conformsToApds4": not self.spec and
                self.error is None, "conformsToProfile": not self.profile,
                "apds4Violations": self.spec, "profileViolations": self.profile,
                "error": self.error, "ok": self.ok}

    def line(self) -> str:
        verdict = "PASS" if self.ok else "FAIL"
        head = f"{verdict} {self.method} {self.path} -> {self.status}"
        if self.schema:
            head += f" ({self.schema}, {self.messages} message(s))"
        details = [f"  error: {self.error}"] if self.error else []
        if self.status not in self.expected and self.error is None:
            details.append(f"  status: expected {' or '.join(map(str, self.expected))}")
        details += [f"  apds4.yaml: {v}" for v in self.spec[:10]]
        details += [f"  profile: {v}" for v in self.profile[:10]]
        return "\n".join([head, *details])


@dataclass
class Report:
    base_url: str
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(check.ok for check in self.checks)

    def as_json(self) -> dict[str, Any]:
        return {"baseUrl": self.base_url, "ok": self.ok,
                "passed": sum(c.ok for c in self.checks), "failed": sum(not c.ok
                                                                         for c in self.checks),
                "checks": [c.as_json() for c in self.checks]}

    def text(self) -> str:
        lines = [f"APDS conformance of {self.base_url}: against apds4.yaml (as amended by the "
                 "reference notes) and the register's profile"]
        lines += [check.line() for check in self.checks]
        lines.append(f"{sum(c.ok for c in self.checks)} passed, "
                     f"{sum(not c.ok for c in self.checks)} failed")
        return "\n".join(lines)


# --- the register's profile -------------------------------------------------------------------

def _slug(value: Any) -> str:
    text = str(value or "conformance")
    return "".join(c if c.isalnum() or c in "-._~" else "-" for c in text) or "conformance"


def _local(reference: Any) -> str | None:
    return reference.get("id") if isinstance(reference, dict) else None


def _place(message: dict[str, Any]) -> dict[str, Any]:
    document = translator("apds", "Place").to_native(message)
    restrictions = [r.get("operatingRestriction") for r in
                    message.get("operatingRestrictions", []) if isinstance(r, dict)]
    kind = next((RESTRICTION_KINDS[r] for r in restrictions if r in RESTRICTION_KINDS),
                "paidParking")
    document.update({"id": ID + "zone/" + _slug(message.get("id")), "type": "Zone",
                     "zoneKind": kind})
    document.setdefault("areaManager", ID + "organisation/conformance")
    document.setdefault("name", "conformance")
    return document


def _right_specification(message: dict[str, Any]) -> dict[str, Any]:
    document = translator("apds", "RightSpecification").to_native(message)
    usage = document.get("usage", "")
    document.update({"id": f"{ID}regime/{_slug(message.get('id'))}/{message.get('version', 1)}",
                     "type": "Regime",
                     "rightKind": "access" if usage.endswith("Access") else "parking",
                     "areaManager": ID + "organisation/" + _slug(_local(message.get("issuer")))})
    document.setdefault("name", "conformance")
    return document


def _rate_table(message: dict[str, Any]) -> dict[str, Any]:
    """A tariff lives inside its regime (the profile checks it there): the rate table's tariff
    in a regime that holds nothing else of note."""
    tariff = translator("apds", "RateTable").to_native(message)
    start = ((message.get("validity") or {}).get("validityTimeSpecification") or {}).get(
        "overallStartTime", "2026-01-01T00:00:00Z")
    return {"id": f"{ID}regime/{_slug(message.get('id'))}/{message.get('version', 1)}",
            "type": "Regime", "name": "conformance", "rightKind": "parking",
            "usage": "paidParking", "areaManager": ID + "organisation/conformance",
            "zones": [ID + "zone/conformance"], "version": message.get("version", 1),
            "validityPeriod": {"startTime": start}, "tariff": tariff}


def _right(name: str, message: dict[str, Any], issuer: str) -> dict[str, Any]:
    document = translator("apds", name).to_native(message)
    document.update({"id": ID + "right/" + _slug(message.get("id")), "type": "Right",
                     "rightKind": "parking", "rightStatus": "active",
                     "provider": ID + "organisation/" + _slug(_local(message.get(issuer)))})
    document.setdefault("zone", ID + "zone/conformance")
    document.setdefault("channel", "app")
    return document


PROFILES: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "HierarchyElement": _place,
    "RightSpecification": _right_specification,
    "RateTable": _rate_table,
    "AssignedRight": lambda m: _right("AssignedRight", m, "assignedRightIssuer"),
    "Session": lambda m: _right("Session", m, "initiator"),
}


def profile_violations(schema: str, message: Any) -> list[str]:
    """Why a message (valid APDS or not) does not fit the register's profile."""
    completed = PROFILES.get(schema)
    if completed is None or not isinstance(message, dict):
        return []
    where = f"{schema} {message.get('id', '?')}"
    try:
        document = completed(message)
    except TranslationError as exc:
        return [f"{where}: {exc}"]
    try:
        report = validate_document(document)
    except PayloadError as exc:
        return [f"{where}: {exc}"]
    return [f"{where}: {v.field or v.property}: {v.message}"
            for v in report.violations if v.severity == "Violation"]


# --- running ----------------------------------------------------------------------------------

class Kit:
    def __init__(self, client: httpx.Client, report: Report) -> None:
        self.client = client
        self.report = report

    def request(self, method: str, path: str, schema: str | None,
                expected: tuple[int, ...] = (200,), body: Any = None, item: str | None = None
                ) -> tuple[Check, Any]:
        """One request, its body checked against ``schema`` (a list's items against ``item``
        for the profile)."""
        check = Check(method, path, schema, expected=expected)
        self.report.checks.append(check)
        try:
            response = self.client.request(method, path, json=body)
        except httpx.HTTPError as exc:
            check.error = f"{exc.__class__.__name__}: {exc}"
            return check, None
        check.status = response.status_code
        try:
            answer = response.json() if response.content else None
        except ValueError:
            check.error = "the body is not JSON"
            return check, None
        if response.status_code >= 400:
            schema = "ResponseStatus"
            check.schema = schema
        if schema is not None:
            check.messages = len(answer.get("data", [])) if item and isinstance(answer, dict) \
                else 1
            check.spec = [f"{f or '(body)'}: {m}" for f, m in schemas.problems(schema, answer)]
            if response.status_code < 400:
                if item and isinstance(answer, dict):
                    for message in answer.get("data", [])[:PROFILE_SAMPLE]:
                        check.profile += profile_violations(item, message)
                else:
                    check.profile += profile_violations(schema, answer)
        return check, answer

    def first_id(self, answer: Any) -> str | None:
        if isinstance(answer, dict) and answer.get("data"):
            first = answer["data"][0]
            return first.get("id") if isinstance(first, dict) else None
        return None

    def read_paths(self) -> str | None:
        """Every read path of apds4.yaml; a place to park in for the write flow (one of a
        oneTimeUseParking right specification, else the first place)."""
        place = parking = None
        for collection, list_schema, item in (
                ("/places", "HierarchyElementList", "HierarchyElement"),
                ("/rights/specs", "RightSpecificationList", "RightSpecification"),
                ("/rates", "RateTableList", "RateTable"),
                ("/rights/assigned", "AssignedRightList", "AssignedRight"),
                ("/sessions", "SessionList", "Session")):
            _, answer = self.request("GET", collection, list_schema, item=item)
            first = self.first_id(answer)
            if collection == "/places":
                place = first
            if collection == "/rights/specs" and isinstance(answer, dict):
                parking = next((s["hierarchyElements"][0].get("id") for s in answer.get("data", [])
                                if isinstance(s, dict) and s.get("type") == "oneTimeUseParking"
                                and s.get("hierarchyElements")), None)
            if first is not None:
                self.request("GET", f"{collection}/{first}", item)
            self.request("GET", f"{collection}?modified_since=0", list_schema,
                         item=item)
        self.request("GET", "/places/conformance-kit-unknown-id", "ResponseStatus",
                     expected=(404,))
        self.request("GET", "/places?latitude=51", "ResponseStatus", expected=(400,))
        return parking or place

    def pay_on_arrival(self, place: str | None, plate: str) -> None:
        """Start a session (pay on arrival), find its assigned right, end it, delete it."""
        if place is None:
            check = Check("POST", "/sessions", "ResponseStatus", expected=(201,))
            check.error = "no place to park in: GET /places listed none"
            self.report.checks.append(check)
            return
        now = datetime.now(UTC).replace(microsecond=0)
        start = (now - timedelta(minutes=1)).isoformat().replace("+00:00", "Z")
        end = (now + timedelta(minutes=20)).isoformat().replace("+00:00", "Z")
        session_id, assigned_id = str(uuid.uuid4()), str(uuid.uuid4())
        session = {
            "id": session_id, "version": 1, "actualStart": start,
            "hierarchyElement": {"id": place, "version": 1},
            "identifiedCredentials": [{"type": "licensePlate", "credentialAssignedType":
                                       "vehicle", "identifier": {"id": plate,
                                                                 "className": "BENumberPlate"}}],
            "segments": [{"id": "1", "version": 1, "actualStart": start,
                          "assignedRight": {"id": assigned_id, "version": 1},
                          "validationType": ["licensePlate"]}]}
        problems = schemas.problems("Session", session, request=True)
        assert not problems, problems  # the kit's own message is valid APDS
        self.request("POST", "/sessions", "ResponseStatus", (201,), session)
        self.request("POST", "/sessions", "ResponseStatus", (409,), session)
        check, answer = self.request("GET", f"/rights/assigned?place={place}&credential_id="
                                            f"{plate}", "AssignedRightList",
                                     item="AssignedRight")
        if isinstance(answer, dict) and assigned_id not in {
                a.get("id") for a in answer.get("data", []) if isinstance(a, dict)}:
            check.profile.append(f"the assigned right {assigned_id} the session created is "
                                 "not found by place and credential")
        self.request("GET", f"/sessions/{session_id}", "Session")
        ended = {**session, "version": 2, "actualEnd": end}
        self.request("PUT", f"/sessions/{session_id}", "ResponseStatus", (200,), ended)
        self.request("PUT", f"/sessions/{session_id}", "ResponseStatus", (409,), ended)
        self.request("DELETE", f"/sessions/{session_id}", "ResponseStatus", (200,))


def run(base_url: str, token: str | None = None, write: bool = False,
        client: httpx.Client | None = None, plate: str = "9CONF001") -> Report:
    """Runs the kit against ``base_url`` (the APDS root, e.g. ``https://host/apds``)."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    own = client is None
    client = client or httpx.Client(base_url=base_url.rstrip("/"), headers=headers,
                                    timeout=30.0)
    report = Report(base_url)
    try:
        kit = Kit(client, report)
        place = kit.read_paths()
        if write:
            kit.pay_on_arrival(place, plate)
    finally:
        if own:
            client.close()
    return report
