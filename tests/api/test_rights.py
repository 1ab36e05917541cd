"""Rights: registered by providers in zones they are authorised for, idempotently; ended early,
revoked and adjusted; searched by plate or zone and period; never visible to another tenant."""

from __future__ import annotations

import sqlalchemy as sa
from support.builders import instant, right_body

from vptr.services.demo import (
    METERS,
    PARKPLUS,
    PLATE_APP_RIGHT,
    SCANMOBIEL,
    ZONE_KOUTER,
    ZONE_ROOD,
    ZONE_ZUID,
)
from vptr.store import tables


def test_a_provider_registers_a_right_and_the_register_completes_it(client_as):
    response = client_as("provider").post("/rights", json=right_body(reference="sess-1"))

    assert response.status_code == 201, response.text
    right = response.json()
    assert right["rightStatus"] == "active"
    assert right["provider"] == PARKPLUS
    assert right["authorisation"].endswith("/authorisation/gent-parkplus")
    assert right["id"].startswith("https://data.parkeerregister.vlaanderen.be/id/right/")
    assert response.headers["location"] == "/rights/" + right["id"].rsplit("/", 1)[1]
    again = client_as("provider").get(response.headers["location"])
    assert again.json()["vehicle"]["licencePlate"] == {"plateNumber": "1XYZ987", "country": "BE"}


def test_a_right_re_sent_with_its_client_reference_returns_the_first_and_stores_nothing(
        client_as, count_rows):
    body = right_body(reference="sess-2")
    first = client_as("provider").post("/rights", json=body)
    before = count_rows("rights")

    again = client_as("provider").post("/rights", json=body)

    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert count_rows("rights") == before


def test_the_same_client_reference_with_another_right_is_a_conflict(client_as, count_rows):
    client_as("provider").post("/rights", json=right_body(reference="sess-3"))
    before = count_rows("rights")

    clash = client_as("provider").post("/rights", json=right_body(plate="9ZZZ999",
                                                                  reference="sess-3"))

    assert clash.status_code == 409
    assert clash.json()["errors"][0]["field"] == "clientReference"
    assert count_rows("rights") == before


def test_an_idempotency_key_makes_a_retry_safe_and_refuses_a_different_body(client_as, count_rows):
    provider, body = client_as("provider"), right_body()
    first = provider.post("/rights", json=body, headers={"Idempotency-Key": "k-1"})
    retry = provider.post("/rights", json=body, headers={"Idempotency-Key": "k-1"})
    stored = count_rows("rights")
    other = provider.post("/rights", json=right_body(plate="8YYY888"),
                          headers={"Idempotency-Key": "k-1"})

    assert (first.status_code, retry.status_code, other.status_code) == (201, 200, 409)
    assert retry.json()["id"] == first.json()["id"]
    assert count_rows("rights") == stored
    assert other.json()["errors"][0]["field"] == "Idempotency-Key"


def test_a_provider_may_only_write_in_zones_its_authorisation_lists(client_as, count_rows):
    before = count_rows("rights")
    refused = client_as("provider-limited").post("/rights", json=right_body(zone=ZONE_ROOD))
    assert refused.status_code == 403
    assert refused.headers["content-type"] == "application/problem+json"
    assert count_rows("rights") == before

    allowed = client_as("provider-limited").post("/rights", json=right_body(zone=ZONE_ZUID))
    assert allowed.status_code == 201, allowed.text
    assert allowed.json()["provider"] == METERS


def test_enforcement_cannot_register_rights(client_as):
    assert client_as("enforcement").post("/rights", json=right_body()).status_code == 403


def test_a_provider_cannot_register_in_another_providers_name(client_as):
    response = client_as("provider").post("/rights", json=right_body(provider=METERS))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "provider"


def test_a_right_that_breaks_the_standard_is_refused_naming_the_fields(client_as, count_rows):
    body = right_body()
    body["vehicle"]["licencePlate"] = {"plateNumber": "1-abc-123", "country": "BEL"}
    before = count_rows("rights")

    response = client_as("provider").post("/rights", json=body)

    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"vehicle.licencePlate.plateNumber", "vehicle.licencePlate.country"}
    assert count_rows("rights") == before


def test_unreadable_bodies_are_400_and_unknown_zones_are_422(client_as):
    provider = client_as("provider")
    not_json = provider.post("/rights", content=b"{nope", headers={"content-type":
                                                                   "application/json"})
    unknown_term = provider.post("/rights", json={**right_body(), "colour": "red"})
    unknown_zone = provider.post("/rights", json=right_body(zone=ZONE_ROOD + "-nowhere"))

    assert not_json.status_code == 400
    assert unknown_term.status_code == 400
    assert unknown_term.json()["errors"][0]["field"] == "colour"
    assert unknown_zone.status_code == 422
    assert unknown_zone.json()["errors"][0]["field"] == "zone"


def test_a_right_ends_early_once(client_as):
    provider = client_as("provider")
    right = provider.post("/rights", json=right_body(start=-30, end=60)).json()
    ref = right["id"].rsplit("/", 1)[1]
    end_time = instant(10)

    ended = provider.post(f"/rights/{ref}/end", json={"endTime": end_time})
    twice = provider.post(f"/rights/{ref}/end")

    assert ended.status_code == 200, ended.text
    assert ended.json()["rightStatus"] == "ended"
    assert ended.json()["validityPeriod"]["endTime"] == end_time
    assert twice.status_code == 409


def test_ending_cannot_extend_a_right_or_end_it_before_it_started(client_as):
    provider = client_as("provider")
    ref = provider.post("/rights", json=right_body(start=-30, end=60)).json()["id"].rsplit("/")[-1]

    later = provider.post(f"/rights/{ref}/end", json={"endTime": instant(120)})
    before = provider.post(f"/rights/{ref}/end", json={"endTime": instant(-60)})

    assert later.status_code == before.status_code == 422
    assert later.json()["errors"][0]["field"] == "endTime"


def test_a_revoked_right_stays_revoked_and_cannot_be_adjusted(client_as):
    provider = client_as("provider")
    ref = provider.post("/rights", json=right_body()).json()["id"].rsplit("/")[-1]

    revoked = provider.post(f"/rights/{ref}/revoke")
    adjust = provider.patch(f"/rights/{ref}", json={"amountPaid": {"value": "1.00",
                                                                   "currency": "EUR"}})

    assert revoked.json()["rightStatus"] == "revoked"
    assert provider.post(f"/rights/{ref}/revoke").status_code == 409
    assert adjust.status_code == 409


def test_a_right_is_adjusted_and_validated_again(client_as, store):
    provider = client_as("provider")
    ref = provider.post("/rights", json=right_body()).json()["id"].rsplit("/")[-1]
    new_end = instant(100)

    adjusted = provider.patch(f"/rights/{ref}", json={"validityPeriod": {"endTime": new_end},
                                                      "amountPaid": {"value": "4", "currency":
                                                                     "EUR"}})
    invalid = provider.patch(f"/rights/{ref}", json={"amountPaid": {"value": "-1",
                                                                    "currency": "EUR"}})
    not_adjustable = provider.patch(f"/rights/{ref}", json={"zone": ZONE_ZUID})

    assert adjusted.status_code == 200, adjusted.text
    assert adjusted.json()["validityPeriod"]["endTime"] == new_end
    assert adjusted.json()["amountPaid"]["value"] == "4"
    assert invalid.status_code == 422
    assert invalid.json()["errors"][0]["field"] == "amountPaid.value"
    assert not_adjustable.status_code == 422
    assert not_adjustable.json()["errors"][0]["field"] == "zone"
    with store.reading() as connection:
        row = connection.execute(sa.select(tables.rights.c.amount_minor).where(
            tables.rights.c.id.endswith(ref))).one()
    assert row.amount_minor == 4 * tables.AMOUNT_SCALE


def test_only_the_registering_provider_or_the_area_manager_changes_a_right(client_as):
    ref = client_as("provider").post("/rights", json=right_body(zone=ZONE_ZUID)
                                     ).json()["id"].rsplit("/")[-1]

    by_other_provider = client_as("provider-limited").post(f"/rights/{ref}/revoke")
    by_enforcement = client_as("enforcement").post(f"/rights/{ref}/revoke")
    by_area_manager = client_as("area-manager").post(f"/rights/{ref}/revoke")

    assert by_other_provider.status_code == 404  # it may not even read it
    assert by_enforcement.status_code == 403  # it reads it, but does not change it
    assert by_area_manager.status_code == 200


def test_rights_are_found_by_plate_as_people_type_it(client_as):
    country, plate = PLATE_APP_RIGHT
    found = client_as("enforcement").get("/rights", params={"plate": "1-abc 123",
                                                            "country": country.lower()})

    assert found.status_code == 200
    assert [r["vehicle"]["licencePlate"]["plateNumber"] for r in found.json()["@graph"]] == [plate]


def test_a_search_by_plate_in_a_country_outside_iso_3166_is_refused_naming_country(client_as):
    for path in ("/rights", "/permits", "/admin/audit"):
        refused = client_as("area-manager").get(path, params={"plate": "1.abc.123",
                                                              "country": "ZZ"})
        assert refused.status_code == 422, (path, refused.text)
        assert [e["field"] for e in refused.json()["errors"]] == ["country"], path
        assert "abc" not in refused.text.lower(), path


def test_rights_are_found_by_zone_and_period(client_as):
    provider = client_as("provider")
    provider.post("/rights", json=right_body(plate="5AAA001", start=-300, end=-240))
    provider.post("/rights", json=right_body(plate="5AAA002", start=-30, end=30))

    window = client_as("area-manager").get("/rights", params={
        "zone": "gent-rood", "from": instant(-60), "to": instant(0)})

    plates = {r["vehicle"]["licencePlate"]["plateNumber"] for r in window.json()["@graph"]}
    assert "5AAA002" in plates and "5AAA001" not in plates


def test_search_parameters_are_checked(client_as):
    manager = client_as("area-manager")
    assert manager.get("/rights", params={"plate": "1ABC123"}).json()["errors"][0]["field"] \
        == "country"
    assert manager.get("/rights", params={"status": "paused"}).status_code == 422
    assert manager.get("/rights", params={"from": "2026-01-01T10:00:00"}).json()["errors"][0][
        "field"] == "from"


def test_a_provider_without_read_scope_sees_only_its_own_rights(client_as):
    mine = client_as("provider-limited").post("/rights", json=right_body(zone=ZONE_ZUID)).json()

    listed = client_as("provider-limited").get("/rights").json()["@graph"]

    assert mine["id"] in [r["id"] for r in listed]
    assert {r["provider"] for r in listed} == {METERS}  # ParkPlus's rights in Gent stay hidden


def test_another_tenant_sees_nothing_of_gent(client_as, antwerpen):
    right = client_as("provider").post("/rights", json=right_body()).json()
    ref = right["id"].rsplit("/", 1)[1]

    assert antwerpen.client.get(f"/rights/{ref}").status_code == 404
    assert antwerpen.client.get("/rights").json()["total"] == 0
    assert antwerpen.client.get("/rights", params={"plate": "1XYZ987", "country": "BE"}
                                ).json()["total"] == 0
    assert antwerpen.client.post(f"/rights/{ref}/revoke").status_code == 404
    assert antwerpen.client.post("/rights", json=right_body(zone=ZONE_KOUTER)).status_code == 422


def test_the_stored_document_holds_no_plate_and_hashes_differ_per_tenant(client_as, store,
                                                                         antwerpen):
    from vptr.store.plate_keys import hash_for

    client_as("provider").post("/rights", json=right_body(plate="7PLT777"))
    with store.reading() as connection:
        row = connection.execute(sa.select(tables.rights).where(
            tables.rights.c.plate == "7PLT777")).one()
        other_tenant = hash_for(connection, antwerpen.organisation, "BE", "7PLT777")
    assert "7PLT777" not in str(row.document)
    assert row.plate_hash != other_tenant


def test_a_blanked_plate_is_shown_as_a_pseudonym(client_as, store):
    ref = client_as("provider").post("/rights", json=right_body(plate="6RET666")
                                     ).json()["id"].rsplit("/")[-1]
    with store.transaction() as connection:
        connection.execute(tables.rights.update().where(tables.rights.c.plate == "6RET666")
                           .values(plate=None))

    shown = client_as("area-manager").get(f"/rights/{ref}").json()

    plate = shown["vehicle"]["licencePlate"]["plateNumber"]
    assert plate != "6RET666" and plate.startswith("X")


def test_the_enforcement_principal_reads_rights_under_its_authorisation(client_as):
    listed = client_as("enforcement").get("/rights").json()
    assert listed["total"] == 2
    assert {r["provider"] for r in listed["@graph"]} == {PARKPLUS, METERS}
    assert SCANMOBIEL not in {r["provider"] for r in listed["@graph"]}
