"""A reference the profile accepts but the register cannot resolve (formerly the example
``examples/invalid/Right-zone-reference-not-resolved``): SHACL judges a payload on its own, so a
zone IRI of the right form conforms wherever the zone lives; only the store knows whether it is a
zone of this tenant."""

from __future__ import annotations

from typing import Any

from support.builders import right_body

from vptr.services.demo import METERS, ZONE_ROOD
from vptr.validation import validate_document


def conforms_as_stored(body: dict[str, Any]) -> bool:
    """The right as the register completes it (provider, status) against the profile alone."""
    return validate_document({**body, "provider": METERS, "rightStatus": "active"}).conforms


def test_a_well_formed_reference_to_no_zone_conforms_but_the_register_refuses_it(client_as,
                                                                               count_rows):
    body = right_body(zone=ZONE_ROOD + "-nowhere")
    assert conforms_as_stored(body)  # the profile: an IRI of a zone, nothing more
    before = count_rows("rights")

    response = client_as("provider").post("/rights", json=body)

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "zone"
    assert "no zone" in response.text
    assert count_rows("rights") == before


def test_another_tenants_zone_conforms_but_the_register_refuses_it(client_as, antwerpen,
                                                                  count_rows):
    body = right_body(zone=antwerpen.zone)
    assert conforms_as_stored(body)
    before = count_rows("rights")

    response = client_as("provider").post("/rights", json=body)

    # Exactly what a zone that does not exist gets: another tenant's zone is no oracle.
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "zone"
    assert "no zone" in response.text
    assert count_rows("rights") == before
