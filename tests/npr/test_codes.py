"""An area manager gives its own zones, regimes and usages their NPR codes (also those made on
the native API), after which NPR clients find and use them."""

from __future__ import annotations

from vptr.services.demo import ID


def test_an_area_manager_codes_its_zones_and_clients_find_them(antwerpen, npr_as):
    client = antwerpen.client
    assert client.put("/npr/codes/areaManager/4402", json={}).status_code == 409  # Gent's
    response = client.put("/npr/codes/areaManager/9003", json={})
    assert response.status_code == 200, response.text
    response = client.put("/npr/codes/area/9003_CENT", json={"target": antwerpen.zone})
    assert response.json() == {"kind": "area", "code": "9003_CENT", "target": antwerpen.zone}
    # a zone has one AreaId: a new one replaces the old
    assert client.put("/npr/codes/area/9003_C", json={"target": antwerpen.zone}
                      ).status_code == 200
    codes = client.get("/npr/codes").json()["codes"]
    assert {(c["kind"], c["code"]) for c in codes} == {("areaManager", "9003"),
                                                      ("area", "9003_C")}
    response = client.post("/npr/RetrieveAreasByLocation", json={
        "RetrieveAreasByLocationRequestData": {"AreaManagerId": "9003"}})
    data = response.json()["RetrieveAreasByLocationResponse"]
    assert data["RetrieveAreasByLocationResponseData"]["AreaTable"]["AreaData"][0]["AreaId"] \
        == "9003_C"
    _, managers = npr_as("provider")("RetrieveAreaManagers", {})
    assert 9003 in {m["AreaManagerId"] for m in managers["AreaManagerList"]["AreaManagerInfoData"]}


def test_codes_name_only_the_area_managers_own_things(antwerpen, client_as):
    client = antwerpen.client
    response = client.put("/npr/codes/area/X1", json={"target": ID + "zone/gent-rood"})
    assert response.status_code == 404 and response.json()["errors"][0]["where"] == "target"
    assert client.put("/npr/codes/area/far too long code", json={"target": antwerpen.zone}
                      ).status_code == 400
    assert client.put("/npr/codes/planet/X", json={"target": antwerpen.zone}).status_code == 400
    assert client.put("/npr/codes/usage/ZZ", json={"target": "flying"}).status_code == 400
    assert client_as("provider").get("/npr/codes").status_code == 403
    gent = client_as("area-manager")
    assert gent.put("/npr/codes/regulation/X", json={
        "target": ID + "regime/gent-rood-betalend/2"}).status_code == 404  # a version
    assert gent.put("/npr/codes/regulation/4402_RB2", json={
        "target": ID + "regime/gent-rood-betalend"}).status_code == 200
