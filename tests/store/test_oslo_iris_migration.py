"""Migration 0008_oslo_iris: after the upgrade, nothing stored names an IRI of version 0.1 of the
standard; documents written with keys and short names (nearly all) are left exactly as they were."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from vptr.store import migrations
from vptr.store.db import make_engine

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
V01 = "https://data.vlaanderen.be/ns/parkeren-en-toegang#"
CONCEPT = "https://data.vlaanderen.be/id/concept/"
ZONE = "https://data.parkeerregister.vlaanderen.be/id/zone/"
T = "2026-01-01 00:00:00"

#: A zone as a client could send it before 1.0: a key as a compact IRI, a concept IRI as the
#: code-list value, a period under its old (reused) IRI, a concept IRI deep in a list.
OLD_STYLE = {
    "id": ZONE + "oud", "type": "Zone", "name": "Oud", "zoneKind": CONCEPT + "Zonetype/blueZone",
    "vptr:capacity": 12, "dcterms:temporal": {"startTime": "2026-01-01T00:00:00Z"},
    "identifiers": [{"notation": "x", "identifierScheme": CONCEPT + "Identificatorschema/gisId"}],
}
NEW_STYLE = {
    "id": ZONE + "oud", "type": "Zone", "name": "Oud",
    "zoneKind": CONCEPT + "Zonetype/blauweZone",
    "vptr:capaciteit": 12, "mobiliteit:periode": {"startTime": "2026-01-01T00:00:00Z"},
    "identifiers": [{"notation": "x",
                     "identifierScheme": CONCEPT + "Identificatorschema/gisIdentificator"}],
}
#: The common case: keys and short names, which 1.0 kept.
PLAIN = {"id": ZONE + "gewoon", "type": "Zone", "name": "Gewoon", "zoneKind": "blueZone",
         "description": "Zie https://data.vlaanderen.be/ns/parkeren-en-toegang (geen term)."}


def _zone(connection: sa.Connection, zone_id: str, kind: str, document: dict) -> None:
    connection.execute(sa.text(
        "INSERT INTO zones (id, tenant_id, name, zone_kind, wkt, geojson, min_lon, min_lat, "
        "max_lon, max_lat, document, created_at, updated_at, version) VALUES (:id, 'urn:o', "
        "'z', :kind, 'POINT (0 0)', '{}', 0, 0, 0, 0, :doc, :t, :t, 1)"),
        {"id": zone_id, "kind": kind, "doc": json.dumps(document), "t": T})


def _stored(connection: sa.Connection, zone_id: str) -> tuple[str, dict]:
    kind, document = connection.execute(sa.text(
        "SELECT zone_kind, document FROM zones WHERE id = :id"), {"id": zone_id}).one()
    return kind, json.loads(document) if isinstance(document, str) else document


@pytest.mark.parametrize("backend", BACKENDS)
def test_old_iris_in_stored_documents_and_columns_become_the_new_ones(backend, empty_store_url):
    engine = make_engine(empty_store_url(backend))
    try:
        migrations.upgrade(engine, "0005_sealed_plate_keys")
        with engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO organisations (id, tenant_id, name, is_area_manager, is_provider, "
                "is_enforcement, document, created_at, updated_at, version) VALUES "
                "('urn:o', 'urn:o', 'Stad', true, false, false, '{}', :t, :t, 1)"), {"t": T})
            _zone(connection, ZONE + "oud", CONCEPT + "Zonetype/blueZone", OLD_STYLE)
            _zone(connection, ZONE + "gewoon", "blueZone", PLAIN)

        assert migrations.upgrade(engine, "0008_oslo_iris") == "0008_oslo_iris"

        with engine.connect() as connection:
            assert _stored(connection, ZONE + "oud") == (CONCEPT + "Zonetype/blauweZone",
                                                         NEW_STYLE)
            assert _stored(connection, ZONE + "gewoon") == ("blueZone", PLAIN)
            everything = " ".join(json.dumps(_stored(connection, z))
                                  for z in (ZONE + "oud", ZONE + "gewoon"))
        assert V01 + "Zone" not in everything and "Zonetype/blueZone" not in everything
    finally:
        engine.dispose()


def test_the_frozen_pairs_cover_every_replaced_iri_of_the_published_mapping():
    """The migration's own copy of the pairs is the published mapping of 1.0.0; followed by the
    pairs of 0014_model_rules (the whitelist reasons became user classes) and 0015_holiday_rule
    (the holiday flag became an exempt day), it is today's."""
    from pathlib import Path

    from rdflib import Graph
    from rdflib.namespace import DCTERMS

    from vptr.paths import Artefact

    frozen = json.loads((Path(migrations.__file__).parent / "versions" / "0008_oslo_iris.json")
                        .read_text(encoding="utf-8"))["replaced"]
    published = Graph().parse(Artefact.IRI_MAPPING.path())
    later = {**_migration_pairs("0014_model_rules"), **_migration_pairs("0015_holiday_rule")}
    followed = {old: later.get(new, new) for old, new in frozen.items()}
    scheme = "https://data.vlaanderen.be/id/conceptscheme/"  # 1.0 kept it; now a user class
    followed[scheme + "RedenWitteLijst"] = scheme + "Gebruikersklasse"
    assert followed == {str(s): str(o) for s, o in published.subject_objects(DCTERMS.isReplacedBy)}


def _migration_pairs(name: str) -> dict[str, str]:
    import importlib.util
    from pathlib import Path

    path = Path(migrations.__file__).parent / "versions" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"migration_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return dict(module.PAIRS)
