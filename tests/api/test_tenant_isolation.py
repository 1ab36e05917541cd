"""Tenant isolation, as a property: whatever sequence of operations the organisations of two
tenants (and providers with and without authorisations, and anonymous callers) perform, nothing of
a tenant ever reaches a caller with no business there, and every refused attempt leaves the store
exactly as it was.

Each example replays a random sequence of steps (create a zone, right, permit or whitelist entry;
read; list; search by plate; update; delete; check; export) against the real app over a copy of a
two-tenant store. A small model of who may see and change what (the tenant rules and the
authorisations of ``two_tenants``) judges every answer:

- no response, success or error, contains the IRI or the clear plate of a resource the caller may
  not see (unless the caller itself sent it in the request);
- a change the model forbids is answered 4xx, and any 4xx leaves every table but the request
  counts and the audit log unchanged;
- a successful creation is of something the caller was allowed to create.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import two_tenants as world
from support.two_tenants import Actor

from vptr.app import create_app
from vptr.settings import Settings
from vptr.store import tables
from vptr.store.database import Store
from vptr.store.db import sqlite_url

#: Tables whose rows a refused request must leave alone (counts and the audit log grow anyway).
GUARDED = [t for t in tables.metadata.sorted_tables
           if t.name not in ("metering_counts", "audit_events")]


@dataclass
class Thing:
    """A resource the model knows: whose it is, where, who registered it, which plates it holds."""

    kind: str
    iri: str
    tenant: str
    zone: str | None = None
    provider: str | None = None
    plates: tuple[str, ...] = ()
    whitelist: str | None = None
    body: dict[str, Any] | None = field(default=None, repr=False)

    @property
    def path(self) -> str:
        ref = self.iri.rsplit("/", 1)[1]
        if self.kind == "regime":
            ref = self.iri.split("/regime/")[1].split("/")[0]
            return f"/regimes/{ref}"
        if self.kind == "whitelist-entry":
            return f"/whitelists/{self.whitelist.rsplit('/', 1)[1]}/entries/{ref}"
        return f"/{self.kind}s/{ref}"


def may_see(actor: Actor, thing: Thing) -> bool:
    if actor.tenant == thing.tenant:
        return True
    if thing.kind in ("zone", "regime"):  # an authorised provider sees its grantors' setup
        return thing.tenant in actor.reads or thing.tenant in actor.writes
    if thing.kind == "right":
        return thing.provider == actor.organisation or actor.covers(
            actor.reads, thing.tenant, thing.zone)
    return False  # permits, whitelists and their entries: the area manager only


def may_change(actor: Actor, thing: Thing) -> bool:
    if actor.tenant == thing.tenant:
        return True
    return thing.kind == "right" and thing.provider == actor.organisation and actor.covers(
        actor.writes, thing.tenant, thing.zone)


def may_register_right(actor: Actor, zone: Thing) -> bool:
    return actor.tenant == zone.tenant or actor.covers(actor.writes, zone.tenant, zone.iri)


def known_things(engine: sa.Engine) -> list[Thing]:
    """Everything the two-tenant store starts with."""
    with engine.connect() as c:
        things = [Thing("zone", r.id, r.tenant_id) for r in c.execute(sa.select(tables.zones))]
        things += [Thing("regime", r.id, r.tenant_id)
                   for r in c.execute(sa.select(tables.regime_versions))]
        things += [Thing("right", r.id, r.tenant_id, r.zone_id, r.provider_id, (r.plate,))
                   for r in c.execute(sa.select(tables.rights))]
        for p in c.execute(sa.select(tables.permits)):
            plates = tuple(c.execute(sa.select(tables.permit_vehicles.c.plate).where(
                tables.permit_vehicles.c.permit_id == p.id)).scalars())
            things.append(Thing("permit", p.id, p.tenant_id, plates=plates))
        things += [Thing("whitelist", r.id, r.tenant_id)
                   for r in c.execute(sa.select(tables.whitelists))]
        things += [Thing("whitelist-entry", r.id, r.tenant_id, plates=(r.plate,),
                         whitelist=r.whitelist_id)
                   for r in c.execute(sa.select(tables.whitelist_entries))]
    return things


def snapshot(engine: sa.Engine) -> dict[str, list[tuple[str, ...]]]:
    with engine.connect() as c:
        return {t.name: sorted(tuple(map(str, row)) for row in c.execute(sa.select(t)))
                for t in GUARDED}


@pytest.fixture(scope="session")
def two_tenant_store(tmp_path_factory) -> tuple[Path, dict[str, Actor]]:
    path = tmp_path_factory.mktemp("two-tenants") / "store.sqlite"
    actors = world.build(path)
    return path, actors


class Run:
    """One example: a fresh copy of the store, the app over it, and the model of its contents."""

    def __init__(self, template: Path, actors: dict[str, Actor], directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / "store.sqlite"
        shutil.copyfile(template, path)
        settings_ = Settings(database_url=sqlite_url(path))
        self.store = Store(settings_)
        self.store.mark_ready()
        self.client = TestClient(create_app(settings_, self.store))
        self.actors = actors
        self.things = known_things(self.store.engine)
        self.ever = list(self.things)  # deleted things must not come back either
        self.serial = 0

    def of(self, *kinds: str, tenant: str | None = None) -> list[Thing]:
        return [t for t in self.things
                if t.kind in kinds and (tenant is None or t.tenant == tenant)]

    def plate(self, tenant: str, number: int) -> str:
        return ("QG" if tenant == world.GENT else "QN") + f"{number:04d}"

    def call(self, actor: Actor, method: str, path: str, *, json: Any = None,
             params: dict[str, str] | None = None, revealing: tuple[Thing, ...] = ()) -> Any:
        """Make the request and judge the answer; ``revealing`` are things this request may
        legitimately show beyond what the caller may see anyway (what a check finds)."""
        headers = {"Authorization": f"Bearer {actor.key}"} if actor.key else {}
        before = snapshot(self.store.engine)
        response = self.client.request(method, path, json=json, params=params, headers=headers)
        sent = f"{path} {params or ''} {json or ''}"
        self.assert_nothing_leaked(actor, response.text, sent, f"{method} {path}", revealing)
        if response.status_code >= 400:
            assert snapshot(self.store.engine) == before, (
                f"{actor.name}: refused {method} {path} ({response.status_code}) changed the store")
        return response

    def assert_nothing_leaked(self, actor: Actor, text: str, sent: str, what: str,
                              revealing: tuple[Thing, ...] = ()) -> None:
        def visible(thing: Thing) -> bool:
            return may_see(actor, thing) or thing in revealing

        visible_plates = {p for t in self.ever if visible(t) for p in t.plates}
        for thing in self.ever:
            if visible(thing):
                continue
            reference = thing.iri.rsplit("/", 1)[1]  # what a path names it by
            assert thing.iri not in text or reference in sent, (
                f"{actor.name} got {thing.kind} {thing.iri} of {thing.tenant} from {what}")
            for plate in thing.plates:
                if plate and plate not in visible_plates and plate not in sent:
                    assert plate not in text, (
                        f"{actor.name} got plate {plate} of {thing.tenant} from {what}")

    def forbidden_change(self, actor: Actor, response: Any, what: str) -> None:
        assert 400 <= response.status_code < 500, (
            f"{actor.name} was allowed to {what} ({response.status_code}): {response.text[:300]}")

    def created(self, response: Any, thing: Thing) -> None:
        thing.iri = response.json()["id"]
        self.things.append(thing)
        self.ever.append(thing)

    # --- the steps -------------------------------------------------------------------------

    def create_zone(self, actor: Actor, n: int, _plate: int) -> None:
        self.serial += 1
        body = world.zone_body(f"Zone {self.serial}", 3.0 + n % 7 / 10, 50.9 + self.serial / 100)
        response = self.call(actor, "POST", "/zones", json=body)
        if actor.tenant is None:
            self.forbidden_change(actor, response, "create a zone")
        elif response.status_code == 201:
            self.created(response, Thing("zone", "", actor.tenant))

    def create_right(self, actor: Actor, n: int, plate: int) -> None:
        zones = self.of("zone")
        zone = zones[n % len(zones)]
        body = world.right_body(zone.iri, self.plate(zone.tenant, plate))
        response = self.call(actor, "POST", "/rights", json=body)
        if not may_register_right(actor, zone):
            self.forbidden_change(actor, response, f"register a right in {zone.iri}")
        elif response.status_code == 201:
            self.created(response, Thing("right", "", zone.tenant, zone.iri, actor.organisation,
                                         (self.plate(zone.tenant, plate),)))

    def create_permit(self, actor: Actor, n: int, plate: int) -> None:
        zones = self.of("zone")
        zone = zones[n % len(zones)]
        number = self.plate(zone.tenant, plate)
        body = world.permit_body(zone.iri, number)
        response = self.call(actor, "POST", "/permits", json=body)
        if actor.tenant != zone.tenant:
            self.forbidden_change(actor, response, f"issue a permit in {zone.iri}")
        elif response.status_code == 201:
            self.created(response, Thing("permit", "", zone.tenant, plates=(number,), body=body))

    def create_entry(self, actor: Actor, n: int, plate: int) -> None:
        lists = self.of("whitelist")
        if not lists:
            return
        whitelist = lists[n % len(lists)]
        number = self.plate(whitelist.tenant, plate)
        response = self.call(actor, "POST", whitelist.path + "/entries",
                             json=world.entry_body(number))
        if actor.tenant != whitelist.tenant:
            self.forbidden_change(actor, response, f"add to {whitelist.iri}")
        elif response.status_code == 201:
            self.created(response, Thing("whitelist-entry", "", whitelist.tenant,
                                         plates=(number,), whitelist=whitelist.iri))

    def read(self, actor: Actor, n: int, _plate: int) -> None:
        things = self.of("zone", "regime", "right", "permit", "whitelist", "whitelist-entry")
        thing = things[n % len(things)]
        response = self.call(actor, "GET", thing.path)
        if response.status_code == 200:
            assert may_see(actor, thing), f"{actor.name} read {thing.iri}"

    def list(self, actor: Actor, n: int, _plate: int) -> None:
        paths = ["/rights", "/permits", "/whitelists", "/zones", "/regimes", "/authorisations"]
        paths += [w.path + "/entries" for w in self.of("whitelist")]
        self.call(actor, "GET", paths[n % len(paths)], params={"pageSize": "500"})

    def search_plate(self, actor: Actor, n: int, plate: int) -> None:
        tenant = (world.GENT, world.ANTWERPEN)[n % 2]
        plates = sorted({p for t in self.ever if t.tenant == tenant for p in t.plates if p})
        number = plates[plate % len(plates)]
        for path in ("/rights", "/permits"):
            self.call(actor, "GET", path, params={"plate": number, "country": "BE"})

    def update(self, actor: Actor, n: int, _plate: int) -> None:
        things = self.of("right", "permit", "whitelist-entry")
        thing = things[n % len(things)]
        if thing.kind == "right":
            response = self.call(actor, "POST", thing.path + "/end")
        elif thing.kind == "permit":
            body = thing.body or world.permit_body(
                self.of("zone", tenant=thing.tenant)[0].iri, thing.plates[0])
            response = self.call(actor, "PUT", thing.path, json={**body, "id": thing.iri,
                                                                 "permitStatus": "suspended"})
        else:
            response = self.call(actor, "PUT", thing.path, json=world.entry_body(thing.plates[0]))
        if not may_change(actor, thing):
            self.forbidden_change(actor, response, f"change {thing.iri}")

    def delete(self, actor: Actor, n: int, _plate: int) -> None:
        things = self.of("permit", "whitelist-entry")
        thing = things[n % len(things)]
        response = self.call(actor, "DELETE", thing.path)
        if not may_change(actor, thing):
            self.forbidden_change(actor, response, f"delete {thing.iri}")
        elif response.status_code == 204:
            self.things.remove(thing)

    def check(self, actor: Actor, n: int, plate: int) -> None:
        zones = self.of("zone")
        zone = zones[n % len(zones)]
        plates = sorted({p for t in self.ever if t.tenant == zone.tenant for p in t.plates if p})
        number = plates[plate % len(plates)]
        revealing: tuple[Thing, ...] = ()
        if actor.tenant == zone.tenant or actor.covers(actor.reads, zone.tenant, zone.iri):
            # A check names the permit or whitelist entry (and its list) that lets the plate in.
            found = [t for t in self.things if t.tenant == zone.tenant and number in t.plates]
            lists = {t.whitelist for t in found if t.whitelist}
            revealing = (*found, *(t for t in self.things if t.iri in lists))
        self.call(actor, "GET", "/check", revealing=revealing,
                  params={"plate": number, "country": "BE", "zone": zone.iri})

    def export(self, actor: Actor, _n: int, _plate: int) -> None:
        self.call(actor, "GET", "/export")


STEPS: dict[str, Callable[[Run, Actor, int, int], None]] = {
    name: getattr(Run, name) for name in (
        "create_zone", "create_right", "create_permit", "create_entry", "read", "list",
        "search_plate", "update", "delete", "check", "export")
}
ACTORS = ("gent", "parkplus", "meters", "scan", "antwerpen", "a-park", "nergens", "anonymous")

step = st.tuples(st.sampled_from(sorted(STEPS)), st.sampled_from(ACTORS),
                 st.integers(0, 1_000), st.integers(0, 5))


@pytest.mark.slow  # about 5 s: 25 examples of up to 10 steps, each on a fresh store
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, min_size=1, max_size=10))
def test_no_sequence_of_operations_crosses_a_tenant_boundary(two_tenant_store, tmp_path, steps):
    template, actors = two_tenant_store
    run = Run(template, actors, tmp_path / f"example-{abs(hash(tuple(steps)))}")
    with run.client:
        for name, actor, n, plate in steps:
            STEPS[name](run, actors[actor], n, plate)
    run.store.dispose()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(actor=st.sampled_from(ACTORS[1:]), n=st.integers(0, 1_000), plate=st.integers(0, 5))
def test_whatever_another_tenant_asks_of_gents_data_it_gets_nothing(two_tenant_store, tmp_path,
                                                                     actor, n, plate):
    """The same property aimed at one tenant's data: every kind of request Antwerpen's
    organisations, Gent's providers and strangers can make about Gent's resources."""
    template, actors = two_tenant_store
    run = Run(template, actors, tmp_path / f"aimed-{actor}-{n}-{plate}")
    with run.client:
        for name in ("read", "update", "delete", "check", "search_plate"):
            STEPS[name](run, actors[actor], n, plate)
    run.store.dispose()
