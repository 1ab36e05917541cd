"""Zones: outlines kept as WKT and GeoJSON, found by point, imported in bulk from any GIS."""

from __future__ import annotations

import json

from vptr.services.demo import POINT_KOUTER, ZONE_KOUTER, ZONE_ROOD

SQUARE = "POLYGON ((3.70 51.00, 3.71 51.00, 3.71 51.01, 3.70 51.01, 3.70 51.00))"


def zone_body(**extra):
    return {"name": "Testzone", "zoneKind": "blueZone", "geometry": {"asWKT": SQUARE}, **extra}


def feature(name, gis_id, lon=3.70, kind="paidParking"):
    ring = [[lon, 51.0], [lon + 0.01, 51.0], [lon + 0.01, 51.01], [lon, 51.01], [lon, 51.0]]
    return {"type": "Feature", "id": gis_id, "geometry": {"type": "Polygon", "coordinates": [ring]},
            "properties": {"naam": name, "zoneKind": kind}}


def collection(*features):
    return {"type": "FeatureCollection", "features": list(features)}


def test_a_zone_given_as_wkt_is_also_kept_as_geojson(client_as):
    created = client_as("area-manager").post("/zones", json=zone_body())

    assert created.status_code == 201, created.text
    zone = created.json()
    assert json.loads(zone["geometry"]["asGeoJSON"])["type"] == "Polygon"
    assert zone["areaManager"].endswith("/organisation/stad-gent")
    assert client_as("area-manager").get(created.headers["location"]).json() == zone


def test_two_encodings_of_different_outlines_are_refused(client_as, count_rows):
    other = {"type": "Polygon", "coordinates": [[[4, 50], [4.1, 50], [4.1, 50.1], [4, 50]]]}
    before = count_rows("zones")
    response = client_as("area-manager").post("/zones", json=zone_body(
        geometry={"asWKT": SQUARE, "asGeoJSON": json.dumps(other)}))

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "geometry.asGeoJSON"
    assert count_rows("zones") == before


def test_an_outline_that_is_no_valid_area_is_refused(client_as):
    bow_tie = "POLYGON ((3.70 51.00, 3.71 51.01, 3.71 51.00, 3.70 51.01, 3.70 51.00))"
    point = "POINT (3.7 51.0)"
    lambert = "POLYGON ((104000 194000, 105000 194000, 105000 195000, 104000 194000))"
    for wkt in (bow_tie, point, lambert, "POLYGON ((nonsense))"):
        response = client_as("area-manager").post("/zones", json=zone_body(
            geometry={"asWKT": wkt}))
        assert response.status_code == 422, wkt
        assert response.json()["errors"][0]["field"] == "geometry.asWKT"


def test_a_zone_missing_required_fields_names_them(client_as):
    response = client_as("area-manager").post("/zones", json={"geometry": {"asWKT": SQUARE}})

    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} >= {"name", "zoneKind"}


def test_zones_at_a_point_are_the_stacked_layers(client_as):
    lon, lat = POINT_KOUTER
    found = client_as("enforcement").get("/zones", params={"lon": lon, "lat": lat}).json()

    assert {z["id"] for z in found["@graph"]} == {ZONE_ROOD, ZONE_KOUTER}


def test_only_area_managers_change_zones_and_only_their_own(client_as, antwerpen):
    assert client_as("provider").post("/zones", json=zone_body()).status_code == 403
    assert antwerpen.client.get("/zones/gent-rood").status_code == 404
    assert antwerpen.client.put("/zones/gent-rood", json=zone_body()).status_code == 404
    assert antwerpen.client.get("/zones").json()["total"] == 1


def test_a_zone_is_replaced_and_deleted_when_nothing_refers_to_it(client_as):
    manager = client_as("area-manager")
    location = manager.post("/zones", json=zone_body()).headers["location"]

    replaced = manager.put(location, json=zone_body(name="Hernoemd"))
    deleted = manager.delete(location)

    assert replaced.json()["name"] == "Hernoemd"
    assert deleted.status_code == 204
    assert manager.get(location).status_code == 404


def test_a_zone_in_use_is_not_deleted(client_as):
    response = client_as("area-manager").delete("/zones/gent-rood")
    assert response.status_code == 409
    assert client_as("area-manager").get("/zones/gent-rood").status_code == 200


def test_a_gis_layer_is_imported_and_a_reimport_updates_the_same_zones(client_as):
    manager = client_as("area-manager")
    layer = collection(feature("Blauwe zone A", "BZ-1", 3.60), feature("Blauwe zone B", "BZ-2",
                                                                       3.62))

    first = manager.post("/zones/import", json=layer, params={"zoneKind": "blueZone"})
    layer["features"][0]["properties"]["naam"] = "Blauwe zone A (nieuw)"
    second = manager.post("/zones/import", json=layer)

    assert first.status_code == 201, first.text
    assert len(first.json()["created"]) == 2
    assert second.status_code == 200
    assert sorted(second.json()["updated"]) == sorted(first.json()["created"])
    names = {z["name"] for z in manager.get("/zones", params={"name": "Blauwe zone"}
                                            ).json()["@graph"]}
    assert names == {"Blauwe zone A (nieuw)", "Blauwe zone B"}
    # A re-import is a new version of each zone: the layer as it was stays readable.
    ref = first.json()["created"][0].rsplit("/", 1)[1]
    history = manager.get(f"/zones/{ref}/versions").json()["@graph"]
    assert [v["version"] for v in history] == [1, 2]
    assert history[0]["id"].endswith(f"/zone/{ref}/1")
    assert manager.get(f"/zones/{ref}/versions/3").status_code == 404


def test_an_import_with_a_bad_feature_stores_nothing_and_names_it(client_as, count_rows):
    before = count_rows("zones")
    nameless = feature(None, "X-2", 3.62)
    nameless["properties"].pop("naam")
    layer = collection(feature("Goed", "X-1", 3.60), nameless,
                       feature("Fout soort", "X-3", 3.64, kind="parkingGarage"))

    response = client_as("area-manager").post("/zones/import", json=layer)

    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert "features[1].properties.name" in fields
    assert "features[2].properties.zoneKind" in fields
    assert not any(f.startswith("features[0]") for f in fields)
    assert count_rows("zones") == before


def test_an_import_in_another_coordinate_system_is_refused(client_as):
    layer = collection(feature("A", "A-1"))
    layer["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::31370"}}

    response = client_as("area-manager").post("/zones/import", json=layer)

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "crs"


def test_import_property_names_can_be_chosen_per_layer(client_as):
    item = feature(None, None, 3.66)
    item.pop("id")
    item["properties"] = {"STRAAT": "Sint-Pietersplein", "OBJ": 77, "SOORT": "paidParking"}

    response = client_as("area-manager").post(
        "/zones/import", json=collection(item),
        params={"nameProperty": "STRAAT", "gisIdProperty": "OBJ", "kindProperty": "SOORT"})

    assert response.status_code == 201, response.text
    zone = response.json()["@graph"][0]
    assert zone["name"] == "Sint-Pietersplein"
    assert zone["identifiers"] == [{"notation": "77", "identifierScheme": "gisId"}]
