"""The Linked Data Event Stream at /ldes: every change to a public resource is a version member, in
pages by time joined by tree:relation; replaying it from the start gives the full dump's graph,
and a consumer following from a bookmark gets exactly the changes after it."""

from __future__ import annotations

import itertools

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from support.ldes import AS, LDES, PROV, STREAM, TREE, Consumer, replay

from vptr.store import tables

from .conftest import new_zone


def dump_graph(client) -> Graph:
    answer = client.get("/dumps/register.nt")
    assert answer.status_code == 200
    return Graph().parse(data=answer.text, format="nt")


def change_the_register(manager) -> None:
    """A zone created, changed and deleted, one created and kept, a regime's new version."""
    assert manager.post("/zones", json=new_zone("proef-weg")).status_code == 201
    changed = new_zone("proef-weg", name="Proefzone, hernoemd")
    assert manager.put("/zones/proef-weg", json=changed).status_code == 200
    assert manager.delete("/zones/proef-weg").status_code == 204
    assert manager.post("/zones", json=new_zone("proef-blijft")).status_code == 201
    newest = manager.get("/regimes/gent-rood-betalend").json()
    body = {k: v for k, v in newest.items() if k not in ("id", "version", "@context")}
    body["validityPeriod"] = {"startTime": "2027-01-01T00:00:00+01:00"}
    body["maximumDuration"] = 120
    answer = manager.put("/regimes/gent-rood-betalend", json=body)
    assert answer.status_code in (200, 201), answer.text


def test_the_stream_describes_itself(public):
    graph = Graph().parse(data=public.get("/ldes", headers={"Accept": "text/turtle"}).text,
                          format="turtle")
    assert (STREAM, LDES.versionOfPath, PROV.specializationOf) in graph
    assert (STREAM, LDES.timestampPath, PROV.generatedAtTime) in graph
    assert (STREAM, TREE.view, URIRef(str(STREAM) + "/0")) in graph


@pytest.mark.parametrize("accept", ["text/turtle", "application/ld+json"])
def test_replaying_the_stream_from_the_start_gives_the_dump(public, manager, accept):
    change_the_register(manager)
    members, _ = Consumer(public, accept).follow()
    assert isomorphic(replay(members), dump_graph(public))


def test_a_deleted_zone_is_a_delete_member(public, manager):
    assert manager.post("/zones", json=new_zone("proef-weg")).status_code == 201
    assert manager.delete("/zones/proef-weg").status_code == 204
    members, _ = Consumer(public).follow()
    last = members[-1]
    assert str(last.resource).endswith("/zone/proef-weg") and last.deleted
    assert str(members[-2].resource) == str(last.resource) and not members[-2].deleted


def test_a_new_regime_version_also_publishes_the_version_it_ended(public, manager):
    change_the_register(manager)
    members, _ = Consumer(public).follow()
    resources = [str(m.resource).rsplit("/id/", 1)[-1] for m in members[-2:]]
    assert resources == ["regime/gent-rood-betalend/2", "regime/gent-rood-betalend/3"]


def test_a_consumer_following_from_a_bookmark_gets_exactly_the_changes_after_it(
        public, manager):
    consumer = Consumer(public)
    seen, bookmark = consumer.follow()
    change_the_register(manager)
    later, _ = consumer.follow(bookmark.page, bookmark.seq)
    assert [m.seq for m in later] == list(range(bookmark.seq + 1, bookmark.seq + 1 + 6))
    assert {str(m.resource).rsplit("/", 1)[-1] for m in later} == {
        "proef-weg", "proef-blijft", "2", "3"}
    assert isomorphic(replay(later, replay(seen)), dump_graph(public))


def test_pages_are_by_time_joined_by_relations_and_full_ones_are_immutable(store, store_url):
    from fastapi.testclient import TestClient

    from vptr.app import create_app
    from vptr.services.demo import credential
    from vptr.settings import Settings

    app = create_app(Settings(database_url=store_url, ldes_page_size=4), store)
    with TestClient(app) as public, TestClient(app, headers={
            "Authorization": f"Bearer {credential('area-manager').key}"}) as manager:
        change_the_register(manager)
        consumer = Consumer(public)
        members, _ = consumer.follow()
        assert len(consumer.pages_fetched) > 2
        first = public.get("/ldes/0", headers={"Accept": "text/turtle"})
        assert "immutable" in first.headers["cache-control"]
        graph = Graph().parse(data=first.text, format="turtle")
        relation = graph.value(URIRef(str(STREAM) + "/0"), TREE.relation)
        assert graph.value(relation, TREE.path) == PROV.generatedAtTime
        assert (relation, None, TREE.GreaterThanOrEqualToRelation) in graph
        boundary = graph.value(relation, TREE.value).toPython()
        on_page = [m for m in members if m.seq <= 4]
        assert max(m.at for m in on_page) == boundary
        assert all(m.at >= boundary for m in members if m.seq > 4)
        newest = public.get(consumer.pages_fetched[-1], headers={"Accept": "text/turtle"})
        assert "immutable" not in newest.headers["cache-control"]
        assert isomorphic(replay(members), dump_graph(public))
        assert public.get("/ldes/999").status_code == 404


def test_members_are_numbered_without_gaps_in_time_order(public, manager, store):
    change_the_register(manager)
    with store.reading() as connection:
        rows = connection.execute(tables.change_events.select()
                                  .order_by(tables.change_events.c.seq)).all()
    assert [r.seq for r in rows] == list(range(1, len(rows) + 1))
    assert all(a.at <= b.at for a, b in itertools.pairwise(rows))


def test_a_refused_change_publishes_nothing(public, manager, count_rows):
    before = count_rows("change_events")
    bad = new_zone("proef-fout")
    bad["geometry"] = {"asWKT": "POLYGON ((nonsense))"}
    assert manager.post("/zones", json=bad).status_code in (400, 422)
    assert count_rows("change_events") == before


def test_deletion_members_carry_no_data(public, manager):
    assert manager.post("/zones", json=new_zone("proef-weg")).status_code == 201
    assert manager.delete("/zones/proef-weg").status_code == 204
    members, _ = Consumer(public).follow()
    assert len(members[-1].triples) == 0
    page = public.get("/ldes/0", headers={"Accept": "text/turtle"}).text
    graph = Graph().parse(data=page, format="turtle")
    assert (members[-1].iri, None, AS.Delete) in graph


ORG = "https://data.parkeerregister.vlaanderen.be/id/organisation/"


def test_every_use_case_that_changes_public_data_publishes_it(public, manager, store):
    """Imports, organisations (a provider becoming enforcement-only leaves the public data) and a
    new tenant: the replay still gives the dump."""
    from vptr.services import tenants
    from vptr.services.runtime import Runtime

    collection = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": f"Import {i}", "gisId": f"IMP-{i}"},
         "geometry": {"type": "Polygon", "coordinates": [[[3.70, 51.04], [3.71, 51.04],
                                                          [3.71, 51.05], [3.70, 51.04]]]}}
        for i in range(3)]}
    assert manager.post("/zones/import?zoneKind=paidParking", json=collection).status_code == 201
    collection["features"][0]["properties"]["name"] = "Import 0, hernoemd"
    assert manager.post("/zones/import?zoneKind=paidParking", json=collection).status_code == 200
    provider = {"type": "Organisation", "id": ORG + "proef-app", "name": "Proef App",
                "roles": ["provider"]}
    assert manager.post("/organisations", json=provider).status_code == 201
    provider["roles"] = ["enforcement"]
    assert manager.put("/organisations/proef-app", json=provider).status_code == 200
    scanner = {"type": "Organisation", "id": ORG + "proef-scan", "name": "Proef Scan",
               "roles": ["enforcement"]}
    assert manager.post("/organisations", json=scanner).status_code == 201
    other = {"type": "Organisation", "id": ORG + "proef-weg", "name": "Weg", "roles": ["provider"]}
    assert manager.post("/organisations", json=other).status_code == 201
    assert manager.delete("/organisations/proef-weg").status_code == 204
    runtime = Runtime(store)
    try:
        tenants.create(runtime, "Stad Proef", reference="stad-proef")
    finally:
        runtime.close()

    members, _ = Consumer(public).follow()
    names = [str(m.resource).rsplit("/", 1)[-1] for m in members]
    assert "proef-scan" not in names  # never public, never published
    app_members = [m for m in members if str(m.resource).endswith("/proef-app")]
    assert [m.deleted for m in app_members] == [False, True]
    assert names[-1] == "stad-proef"
    assert isomorphic(replay(members), dump_graph(public))


def test_apds_writes_of_places_right_specifications_and_rate_tables_publish_them(public,
                                                                                 manager):
    """The APDS channel changes zones and regimes through services of its own (places,
    specifications): each change is a member too, so the replay still gives the dump."""
    from tests.apds.test_configuration import _place
    from tests.apds.test_configuration_writes import rate_body, spec_body

    before, bookmark = Consumer(public).follow()
    for method, path, body, expected in [
            ("post", "/apds/places", _place("apds-plaats"), 201),
            ("put", "/apds/places/apds-plaats", _place("apds-plaats", version=2,
                                                      name=[{"language": "nl",
                                                             "string": "Hernoemd"}]), 200),
            ("delete", "/apds/places/apds-plaats", None, 200),
            ("post", "/apds/rights/specs", spec_body("apds-avond"), 201),
            ("post", "/apds/rates", rate_body("apds-avond"), 200)]:
        answer = manager.request(method.upper(), path, json=body)
        assert answer.status_code == expected, (path, answer.text)

    after, _ = Consumer(public).follow(bookmark.page, bookmark.seq)
    changed = [str(m.resource).split("/id/", 1)[-1] for m in after]
    assert changed.count("zone/apds-plaats") == 3
    assert changed[-3:] == ["regime/apds-avond/1", "regime/apds-avond/1",
                            "regime/apds-avond/2"]  # the rate table ended version 1
    assert isomorphic(replay(before + after), dump_graph(public))
