"""The zones and regime versions a check reads are held in each instance's memory, and are never
stale: a change through any instance, or straight in the database, counts at the next check.

Each test works with two stores (two engines, as two instances would) on one database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from vptr.services.demo import GENT, POINT_KOUTER, ZONE_KOUTER, ZONE_ROOD
from vptr.settings import Settings
from vptr.store import catalogue, hot_reads, tables
from vptr.store.check_sources import StoreCheckSources
from vptr.store.database import Store

NOW = datetime.now(UTC)
SQUARE = "POLYGON ((3.70 51.00, 3.71 51.00, 3.71 51.01, 3.70 51.01, 3.70 51.00))"


@pytest.fixture
def other(store: Store) -> Iterator[Store]:
    """A second instance's store on the same database."""
    second = Store(Settings(database_url=store.engine.url.render_as_string(hide_password=False),
                            demo=False))
    second.mark_ready()
    yield second
    second.dispose()


def held(store: Store) -> catalogue.Catalogue:
    with store.reading() as connection:
        return catalogue.current(connection)


def test_an_unchanged_catalogue_is_reused_and_costs_one_read(store, other):
    first = held(other)
    statements: list[str] = []
    sa.event.listen(other.engine, "before_cursor_execute",
                    lambda *args: statements.append(args[2]))
    with hot_reads.observe(lambda sql, _parameters: statements.append(sql)):
        assert held(other) is first
    assert len(statements) == 1 and "catalogue_state" in statements[0]


def test_a_zone_made_through_one_instance_is_found_through_the_other_at_once(
        store, other, client_as):
    held(other)  # the second instance has its copy
    made = client_as("area-manager").post("/zones", json={
        "name": "Nieuw blok", "zoneKind": "blueZone",
        "geometry": {"asWKT": SQUARE}})
    assert made.status_code == 201, made.text
    iri = made.json()["id"]

    with other.reading() as connection:
        source = StoreCheckSources(connection)
        by_id = source.zones_by_ids([iri])
        at_point = source.zones_at_point(3.705, 51.005, NOW)
    assert [z.id for z in by_id] == [iri] and by_id[0].area_manager == GENT
    assert [z.id for z in at_point] == [iri]


def test_a_change_made_straight_in_the_database_counts_too(store, other):
    """The triggers, not the register's code, keep the counter: an operator's SQL is seen."""
    before = held(other)
    with store.transaction() as connection:
        connection.execute(tables.zones.update().where(tables.zones.c.id == ZONE_KOUTER)
                           .values(valid_to=NOW - timedelta(days=1),
                                   version=tables.zones.c.version + 1))
    after = held(other)

    assert after is not before
    with other.reading() as connection:
        at_point = StoreCheckSources(connection).zones_at_point(*POINT_KOUTER, NOW)
    assert [z.id for z in at_point] == [ZONE_ROOD]
    # Only the changed zone was read again; the other outlines are the same objects.
    assert after.zones[ZONE_ROOD] is before.zones[ZONE_ROOD]
    assert after.zones[ZONE_KOUTER] is not before.zones[ZONE_KOUTER]


def test_a_new_regime_version_through_one_instance_applies_through_the_other(
        store, other, client_as):
    held(other)
    manager = client_as("area-manager")
    change = manager.get("/regimes/gent-zuid-betalend").json()
    change.pop("version")
    change["tariff"]["dayMaximum"] = "6.50"
    change["validityPeriod"] = {"startTime": (NOW - timedelta(minutes=1)).isoformat()}
    assert manager.put("/regimes/gent-zuid-betalend", json=change).status_code == 200

    zone = change["zones"][0]
    with other.reading() as connection:
        in_force = StoreCheckSources(connection).regimes_in_force([zone], NOW)
        before = StoreCheckSources(connection).regimes_in_force([zone],
                                                                NOW - timedelta(minutes=2))
    assert [str(r.tariff.dayMaximum) for r in in_force] == ["6.50"]
    assert [r.version for r in before] == [1]


def test_a_deleted_zone_is_gone_from_the_other_instance(store, other, client_as):
    manager = client_as("area-manager")
    iri = manager.post("/zones", json={"name": "Kort leven", "zoneKind": "blueZone",
                                       "geometry": {"asWKT": SQUARE}}).json()["id"]
    assert [z.id for z in held(other).zones_by_ids([iri])] == [iri]
    assert manager.delete("/zones/" + iri.rsplit("/", 1)[1]).status_code == 204

    assert held(other).zones_by_ids([iri]) == []


def test_every_store_has_its_own_epoch(store, tmp_path):
    """A store rebuilt from scratch never matches a copy taken from its predecessor, even at the
    same change count."""
    fresh = Store(Settings(database_url=f"sqlite:///{tmp_path}/fresh.sqlite", demo=False))
    fresh.prepare()
    try:
        with fresh.reading() as a, store.reading() as b:
            read = sa.select(tables.catalogue_state.c.epoch)
            assert a.execute(read).scalar_one() != b.execute(read).scalar_one()
    finally:
        fresh.dispose()


def test_a_store_rebuilt_under_the_same_engine_is_read_afresh(store, other):
    """Row versions only mean something within one database: a new epoch reloads every zone."""
    held(other)
    z = tables.zones.c
    with store.transaction() as connection:
        document = connection.execute(sa.select(z.document).where(z.id == ZONE_ROOD)).scalar_one()
        connection.execute(tables.zones.update().where(z.id == ZONE_ROOD)
                           .values(document={**document, "name": "Herbouwd"}))  # same version
        connection.execute(tables.catalogue_state.update().values(epoch="rebuilt"))

    assert held(other).zones[ZONE_ROOD].record.name == "Herbouwd"
