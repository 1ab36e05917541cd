"""The store answers every read a check makes (vptr.domain.sources.CheckSources), by index."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from vptr.domain.sources import CheckSources
from vptr.services.demo import (
    GENT,
    ID,
    PLATE_APP_RIGHT,
    PLATE_RESIDENT,
    PLATE_WHITELISTED,
    POINT_KOUTER,
    ZONE_KERN,
    ZONE_KOUTER,
    ZONE_ROOD,
    ZONE_ZUID,
)
from vptr.store.check_sources import StoreCheckSources
from vptr.store.plate_keys import hash_for

NOW = datetime.now(UTC)


def sources(connection) -> StoreCheckSources:
    found = StoreCheckSources(connection)
    assert isinstance(found, CheckSources)
    return found


def test_zones_are_found_by_point_and_by_id_with_their_owner_and_time_zone(store):
    with store.reading() as connection:
        at_point = sources(connection).zones_at_point(*POINT_KOUTER, NOW)
        by_id = sources(connection).zones_by_ids([ZONE_ZUID, ID + "zone/unknown"])
        far_away = sources(connection).zones_at_point(4.40, 51.22, NOW)

    assert {z.id for z in at_point} == {ZONE_ROOD, ZONE_KOUTER}
    assert [(z.id, z.area_manager, z.time_zone) for z in by_id] == [
        (ZONE_ZUID, GENT, "Europe/Brussels")]
    assert far_away == []


def test_the_regime_version_in_force_is_handed_over_as_the_generated_class(store):
    with store.reading() as connection:
        now = sources(connection).regimes_in_force([ZONE_ROOD], NOW)
        in_2025 = sources(connection).regimes_in_force([ZONE_ROOD],
                                                       datetime(2025, 5, 1, tzinfo=UTC))
        history = sources(connection).regime_history(ZONE_ROOD)

    assert [(r.version, str(r.tariff.dayMaximum)) for r in now] == [(2, "12.00")]
    assert [r.version for r in in_2025] == [1]
    assert sorted(r.version for r in history) == [1, 2]


def test_rights_are_found_by_plate_hash_in_the_zones_and_window(store):
    country, plate = PLATE_APP_RIGHT
    with store.reading() as connection:
        source = sources(connection)
        hashed = source.plate_hash(GENT, country, plate)
        now = source.rights_for_plate(hashed, [ZONE_ROOD, ZONE_KOUTER], NOW, NOW)
        elsewhere = source.rights_for_plate(hashed, [ZONE_ZUID], NOW, NOW)
        tomorrow = source.rights_for_plate(hashed, [ZONE_ROOD], NOW + timedelta(days=1),
                                           NOW + timedelta(days=1))
        assert hashed == hash_for(connection, GENT, country, plate)

    assert [(r.zone, r.status, r.right_kind) for r in now] == [(ZONE_ROOD, "active", "parking")]
    assert elsewhere == [] and tomorrow == []


def test_permits_are_found_by_a_plate_among_their_vehicles(store):
    country, plate = PLATE_RESIDENT
    with store.reading() as connection:
        source = sources(connection)
        hashed = source.plate_hash(GENT, country, plate)
        found = source.permits_for_plate(hashed, [ZONE_ROOD, ZONE_KOUTER], NOW)
        other_zone = source.permits_for_plate(hashed, [ZONE_ZUID], NOW)
        next_year = source.permits_for_plate(hashed, [ZONE_KOUTER], datetime(2027, 6, 1,
                                                                             tzinfo=UTC))

    assert [(p.permit_type, p.zones, p.status) for p in found] == [
        ("resident", (ZONE_KOUTER,), "active")]
    assert other_zone == [] and next_year == []


def test_whitelist_entries_hold_for_the_lists_zones_unless_they_name_their_own(store):
    country, plate = PLATE_WHITELISTED
    with store.reading() as connection:
        source = sources(connection)
        hashed = source.plate_hash(GENT, country, plate)
        found = source.whitelist_entries_for_plate(hashed, [ZONE_KERN], NOW)
        elsewhere = source.whitelist_entries_for_plate(hashed, [ZONE_ROOD], NOW)

    assert [(e.whitelist, e.list_zones, e.entry_zones, e.reason) for e in found] == [
        (ID + "whitelist/gent-hulpdiensten", (ZONE_KERN,), (), "emergencyServices")]
    assert elsewhere == []


def test_a_regime_change_reaches_the_check_at_once(store, client_as):
    manager = client_as("area-manager")
    change = manager.get("/regimes/gent-zuid-betalend").json()
    change.pop("version")
    change["tariff"]["dayMaximum"] = "7.50"
    change["validityPeriod"] = {"startTime": (NOW - timedelta(minutes=1)).isoformat()}
    with store.reading() as connection:
        before = sources(connection).regimes_in_force([ZONE_ZUID], NOW)
    assert manager.put("/regimes/gent-zuid-betalend", json=change).status_code == 200

    with store.reading() as connection:
        after = sources(connection).regimes_in_force([ZONE_ZUID], NOW)
        old = sources(connection).regimes_in_force([ZONE_ZUID], NOW - timedelta(minutes=2))

    assert [r.version for r in before] == [1] and [r.version for r in after] == [2]
    assert str(after[0].tariff.dayMaximum) == "7.50"
    assert [r.version for r in old] == [1]
