"""Rights (vptr.services.rights): a provider registers them only in zones an authorisation lets it
write in, idempotently; a refused registration stores and audits nothing; the provider that
registered a right, or the area manager, ends, revokes and adjusts it; every registration, change
and read is audited under the right's tenant with the plate's pseudonym, never the plate."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from support.builders import right_body

from vptr.errors import Conflict, Forbidden, Invalid, NotFound
from vptr.paging import Page
from vptr.services import demo, rights
from vptr.store import tables

from .world import (
    GENT,
    METERS,
    PARKPLUS,
    SCANMOBIEL,
    assert_no_clear_plate,
    caller,
    pseudonym,
)

PAGE = Page(1, 50)


def stored(store, iri):
    with store.reading() as connection:
        return connection.execute(sa.select(tables.rights).where(tables.rights.c.id == iri)).one()


def test_a_provider_registers_a_right_in_a_zone_it_is_authorised_for(store, runtime, count_rows,
                                                                     audit_log):
    served: list[str] = []
    before = count_rows("rights")

    registered = rights.register(runtime, caller(PARKPLUS, served.append),
                                 right_body(plate="1SRV001", reference="svc-1"))

    right = registered.document
    assert registered.created
    assert (right["rightStatus"], right["provider"]) == ("active", demo.PARKPLUS)
    assert right["authorisation"] == demo.ID + "authorisation/gent-parkplus"
    assert count_rows("rights") == before + 1
    row = stored(store, right["id"])
    assert (row.tenant_id, row.provider_id, row.status) == (demo.GENT, demo.PARKPLUS, "active")
    assert row.plate_hash == pseudonym(store, demo.GENT, "1SRV001")
    entries = audit_log()
    assert [(e.action, e.resource_kind, e.resource_id, e.tenant_id, e.plate_hash,
             e.organisation_id, e.operation) for e in entries] == [
        ("create", "right", right["id"], demo.GENT, row.plate_hash, demo.PARKPLUS, "test")]
    assert_no_clear_plate(entries, "1SRV001")
    assert served == [demo.GENT]  # metered to the municipality it served


def test_a_provider_is_refused_outside_the_zones_of_its_authorisation_and_nothing_is_stored(
        runtime, count_rows, audit_log):
    before = count_rows("rights"), count_rows("audit_events")

    with pytest.raises(Forbidden):
        rights.register(runtime, caller(METERS), right_body(zone=demo.ZONE_ROOD))

    assert (count_rows("rights"), count_rows("audit_events")) == before
    assert audit_log() == []
    allowed = rights.register(runtime, caller(METERS), right_body(zone=demo.ZONE_ZUID))
    assert allowed.created and allowed.document["provider"] == demo.METERS


def test_enforcement_registers_no_rights(runtime, count_rows):
    before = count_rows("rights")
    with pytest.raises(Forbidden):
        rights.register(runtime, caller(SCANMOBIEL), right_body())
    assert count_rows("rights") == before


def test_a_provider_registers_only_in_its_own_name(runtime, count_rows):
    before = count_rows("rights")
    with pytest.raises(Invalid) as refused:
        rights.register(runtime, caller(PARKPLUS), right_body(provider=demo.METERS))
    assert [e.field for e in refused.value.errors] == ["provider"]
    assert count_rows("rights") == before


def test_the_area_manager_registers_for_a_provider_it_names(runtime):
    registered = rights.register(runtime, caller(GENT), right_body(provider=demo.PARKPLUS))
    assert registered.document["provider"] == demo.PARKPLUS


def test_a_re_send_with_the_same_client_reference_stores_nothing_and_answers_the_first(
        store, runtime, count_rows, audit_log):
    body = right_body(plate="1SRV002", reference="svc-2")
    first = rights.register(runtime, caller(PARKPLUS), body)
    before = count_rows("rights")

    again = rights.register(runtime, caller(PARKPLUS), body)

    assert (first.created, again.created) == (True, False)
    assert again.document == first.document
    assert count_rows("rights") == before
    hashed = pseudonym(store, demo.GENT, "1SRV002")
    assert [(e.action, e.resource_id, e.plate_hash) for e in audit_log()] == [
        ("create", first.document["id"], hashed), ("read", first.document["id"], hashed)]


def test_the_same_client_reference_for_another_right_is_a_conflict(runtime, count_rows):
    rights.register(runtime, caller(PARKPLUS), right_body(reference="svc-3"))
    before = count_rows("rights")

    with pytest.raises(Conflict) as clash:
        rights.register(runtime, caller(PARKPLUS), right_body(plate="9ZZZ999",
                                                              reference="svc-3"))

    assert [e.field for e in clash.value.errors] == ["clientReference"]
    assert count_rows("rights") == before


def test_an_idempotency_key_answers_a_retry_and_refuses_another_body(runtime, count_rows):
    body = right_body(plate="1SRV004")
    first = rights.register(runtime, caller(PARKPLUS), body, idempotency_key="svc-k")
    retry = rights.register(runtime, caller(PARKPLUS), body, idempotency_key="svc-k")
    before = count_rows("rights")

    with pytest.raises(Conflict) as clash:
        rights.register(runtime, caller(PARKPLUS), right_body(plate="1SRV005"),
                        idempotency_key="svc-k")
    with pytest.raises(Invalid) as too_long:
        rights.register(runtime, caller(PARKPLUS), body, idempotency_key="k" * 256)

    assert (first.created, retry.created) == (True, False)
    assert retry.document["id"] == first.document["id"]
    assert [e.field for e in clash.value.errors] == ["Idempotency-Key"]
    assert [e.field for e in too_long.value.errors] == ["Idempotency-Key"]
    assert count_rows("rights") == before


def test_a_right_invalid_deep_inside_its_vehicle_is_refused_naming_the_field(
        runtime, count_rows, audit_log):
    body = right_body()
    body["vehicle"]["licencePlate"]["plateNumber"] = "1abc123"
    before = count_rows("rights"), count_rows("audit_events")

    with pytest.raises(Invalid) as refused:
        rights.register(runtime, caller(PARKPLUS), body)

    assert "vehicle.licencePlate.plateNumber" in {e.field for e in refused.value.errors}
    assert (count_rows("rights"), count_rows("audit_events")) == before
    assert audit_log() == []


def test_a_right_in_an_unknown_zone_or_with_an_end_before_its_start_is_refused(runtime,
                                                                               count_rows):
    before = count_rows("rights")
    with pytest.raises(Invalid) as nowhere:
        rights.register(runtime, caller(PARKPLUS), right_body(zone=demo.ZONE_ROOD + "-nergens"))
    with pytest.raises(Invalid) as backwards:
        rights.register(runtime, caller(PARKPLUS), right_body(start=30, end=10))
    assert [e.field for e in nowhere.value.errors] == ["zone"]
    assert backwards.value.errors and all(
        e.field and e.field.startswith("validityPeriod") for e in backwards.value.errors)
    assert count_rows("rights") == before


def test_the_provider_ends_its_right_early_and_the_end_is_stored_and_audited(store, runtime,
                                                                             audit_log):
    right = rights.register(runtime, caller(PARKPLUS), right_body(plate="1SRV006")).document
    until = datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=10)

    ended = rights.end(runtime, caller(PARKPLUS), right["id"], until)

    row = stored(store, right["id"])
    assert ended["rightStatus"] == "ended" and row.status == "ended"
    assert row.end_time == until
    assert [(e.action, e.resource_id) for e in audit_log()] == [
        ("create", right["id"]), ("update", right["id"])]
    with pytest.raises(Conflict):
        rights.end(runtime, caller(PARKPLUS), right["id"], None)


def test_an_end_not_after_the_start_is_refused_and_changes_nothing(store, runtime):
    right = rights.register(runtime, caller(PARKPLUS), right_body()).document
    with pytest.raises(Invalid) as refused:
        rights.end(runtime, caller(PARKPLUS), right["id"],
                   datetime.now(UTC) - timedelta(hours=1))
    assert [e.field for e in refused.value.errors] == ["endTime"]
    assert stored(store, right["id"]).status == "active"


def test_only_the_registering_provider_or_the_area_manager_changes_a_right(store, runtime):
    right = rights.register(runtime, caller(PARKPLUS), right_body()).document

    with pytest.raises(NotFound):  # it may not even read it
        rights.revoke(runtime, caller(METERS), right["id"])
    with pytest.raises(Forbidden):  # it may read it, not change it
        rights.revoke(runtime, caller(SCANMOBIEL), right["id"])
    assert stored(store, right["id"]).status == "active"

    revoked = rights.revoke(runtime, caller(GENT), right["id"])
    assert revoked["rightStatus"] == "revoked" and stored(store, right["id"]).status == "revoked"
    with pytest.raises(Conflict):
        rights.adjust(runtime, caller(GENT), right["id"], {"amountPaid": None})


def test_an_adjustment_changes_only_the_end_and_the_amount_paid(store, runtime):
    right = rights.register(runtime, caller(PARKPLUS), right_body()).document

    with pytest.raises(Invalid) as refused:
        rights.adjust(runtime, caller(PARKPLUS), right["id"], {"zone": demo.ZONE_ZUID})
    adjusted = rights.adjust(runtime, caller(PARKPLUS), right["id"],
                             {"amountPaid": {"value": "3.75", "currency": "EUR"}})

    assert [e.field for e in refused.value.errors] == ["zone"]
    assert adjusted["amountPaid"]["value"] == "3.75"
    row = stored(store, right["id"])
    assert (row.amount_minor, row.currency, row.zone_id) == (
        375 * tables.AMOUNT_SCALE // 100, "EUR", demo.ZONE_ROOD)


def test_another_tenants_right_is_not_found_and_a_search_is_audited_by_pseudonym(
        store, runtime, antwerpen_tenant, audit_log):
    plate, country = demo.PLATE_APP_RIGHT[1], demo.PLATE_APP_RIGHT[0]
    found, total = rights.search(runtime, caller(SCANMOBIEL),
                                 rights.Search(plate=plate, country=country), PAGE)
    with pytest.raises(NotFound):
        rights.get(runtime, caller(antwerpen_tenant.principal), found[0]["id"])
    nothing, none = rights.search(runtime, caller(antwerpen_tenant.principal),
                                  rights.Search(plate=plate, country=country), PAGE)

    assert total == 1 and found[0]["zone"] == demo.ZONE_ROOD
    assert (nothing, none) == ([], 0)
    entries = audit_log()
    assert [(e.action, e.organisation_id, e.tenant_id, e.plate_hash) for e in entries] == [
        ("search", demo.SCANMOBIEL, demo.GENT, pseudonym(store, demo.GENT, plate))]
    assert_no_clear_plate(entries, plate)


def test_a_search_with_an_unknown_status_is_invalid(runtime):
    with pytest.raises(Invalid) as refused:
        rights.search(runtime, caller(GENT), rights.Search(status="paused"), PAGE)
    assert [e.field for e in refused.value.errors] == ["status"]


def test_the_report_per_provider_is_the_area_managers_alone(runtime):
    now = datetime.now(UTC)
    report = rights.report(runtime, caller(GENT), now - timedelta(days=1), now + timedelta(days=1))
    with pytest.raises(Forbidden):
        rights.report(runtime, caller(PARKPLUS), now - timedelta(days=1), now)
    with pytest.raises(Invalid):
        rights.report(runtime, caller(GENT), now, now)
    assert {line["provider"] for line in report} == {demo.PARKPLUS, demo.METERS}
