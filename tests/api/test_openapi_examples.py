"""The interactive documentation (/docs) offers, for every write, an example body that works
against the demo as it stands: a newcomer can press "Try it out" and succeed."""

from __future__ import annotations

import pytest
from support.builders import right_body

#: (method, path template, role); {ref}s are filled from the demo or from an earlier step.
WRITES = [
    ("post", "/zones", "area-manager"),
    ("post", "/zones/import", "area-manager"),
    ("put", "/zones/{zone}", "area-manager"),
    ("post", "/regimes", "area-manager"),
    ("put", "/regimes/gent-zuid-betalend", "area-manager"),
    ("post", "/rights", "provider"),
    ("patch", "/rights/{right}", "provider"),
    ("post", "/rights/{right}/end", "provider"),
    ("post", "/permits", "area-manager"),
    ("put", "/permits/gent-bew-2026-004711", "area-manager"),
    ("post", "/whitelists", "area-manager"),
    ("put", "/whitelists/gent-hulpdiensten", "area-manager"),
    ("post", "/whitelists/gent-hulpdiensten/entries", "area-manager"),
    ("put", "/whitelists/gent-hulpdiensten/entries/gent-stadsvloot-42", "area-manager"),
    ("post", "/organisations", "area-manager"),
    ("put", "/organisations/parkplus", "area-manager"),
    ("post", "/organisations/parkplus/api-keys", "area-manager"),
    ("post", "/authorisations", "area-manager"),
    ("put", "/authorisations/gent-scanmobiel", "area-manager"),
]


def openapi_path(template: str) -> str:
    parts = []
    for part in template.split("/"):
        if part in ("{zone}", "{right}") or (parts and parts[-1] in (
                "zones", "regimes", "rights", "permits", "whitelists", "organisations",
                "authorisations") and part not in ("import", "")):
            parts.append("{ref}")
        elif parts and parts[-1] == "entries":
            parts.append("{entry_ref}")
        else:
            parts.append(part)
    return "/".join(parts)


@pytest.mark.parametrize(("method", "template", "role"), WRITES,
                         ids=[f"{m} {t}" for m, t, _ in WRITES])
def test_the_documented_example_body_is_accepted(app, client_as, method, template, role):
    client = client_as(role)
    refs = {}
    if "{zone}" in template:
        refs["zone"] = client_as("area-manager").post("/zones", json={
            "name": "Te vervangen", "zoneKind": "blueZone", "geometry": {
                "asWKT": "POLYGON ((3.70 51.00, 3.71 51.00, 3.71 51.01, 3.70 51.00))"}}
        ).headers["location"].rsplit("/", 1)[1]
    if "{right}" in template:
        # Registered for the documented right's period, so the documented end and adjustment
        # (fixed instants inside it) stay valid whatever day the test runs.
        documented = app.openapi()["paths"]["/rights"]["post"]["requestBody"]["content"][
            "application/ld+json"]["example"]
        registered = client_as("provider").post("/rights", json=right_body(
            validityPeriod=documented["validityPeriod"]))
        assert registered.status_code == 201, registered.text
        refs["right"] = registered.headers["location"].rsplit("/", 1)[1]
    operation = app.openapi()["paths"][openapi_path(template)][method]
    body = operation["requestBody"]["content"]["application/ld+json"]["example"]

    response = client.request(method.upper(), template.format(**refs), json=body)

    assert 200 <= response.status_code < 300, response.text
