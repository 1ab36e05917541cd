"""SOAP 1.1 at /npr/soap, driven by zeep: a client generated from the WSDL the gateway serves
(its XSD import and address pointing here, the PIN header part kept, WS-Addressing on), with the
register's API key in the HTTP headers instead of the RDW's client certificate."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from lxml import etree
from zeep import Client, Settings
from zeep.exceptions import Fault
from zeep.helpers import serialize_object
from zeep.transports import Transport
from zeep.wsa import WsAddressingPlugin

from vptr.npr.schema import NS, schema

from .conftest import next_monday, z

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
WSDL_URL = "http://testserver/npr/soap?wsdl"


class _InProcess:
    """What zeep's transport needs of a requests session, answered by the app in-process."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.headers: dict[str, str] = {}

    def mount(self, *args: Any) -> None:
        pass

    def get(self, url: str, **kwargs: Any) -> Any:
        return self.client.get(url)

    def post(self, url: str, data: bytes, headers: dict[str, str], **kwargs: Any) -> Any:
        return self.client.post(url, content=data, headers=headers)


@pytest.fixture
def zeep_as(client_as):
    def make(role: str) -> Client:
        transport = Transport(session=_InProcess(client_as(role)))
        return Client(WSDL_URL, transport=transport, plugins=[WsAddressingPlugin()],
                      settings=Settings(strict=True))
    return make


def test_the_served_wsdl_is_self_contained_and_soap_1_1_only(client_as):
    client = client_as("anonymous")
    wsdl = etree.fromstring(client.get("/npr/soap?wsdl").content)
    ns = {"wsdl": "http://schemas.xmlsoap.org/wsdl/", "soap": "http://schemas.xmlsoap.org/wsdl/soap/",
          "xsd": "http://www.w3.org/2001/XMLSchema"}
    (imported,) = wsdl.findall(".//xsd:import", ns)
    assert imported.get("schemaLocation") == "http://testserver/npr/soap?xsd=registration.xsd"
    (port,) = wsdl.findall("wsdl:service/wsdl:port", ns)
    assert port.find("soap:address", ns).get("location") == "http://testserver/npr/soap"
    assert len(wsdl.findall("wsdl:binding", ns)) == 1
    assert b"soap12" not in client.get("/npr/soap?wsdl").content.replace(b"wsdl/soap12", b"")
    assert wsdl.findall(".//wsdl:part[@name='PIN']", ns)  # the header parts are kept
    xsd = client.get("/npr/soap?xsd=registration.xsd")
    assert xsd.status_code == 200 and b'targetNamespace="http://rdw.nl/rpv/1.0"' in xsd.content


def test_a_generated_client_discovers_checks_enrols_and_stops(zeep_as):
    enforcement, provider = zeep_as("enforcement"), zeep_as("provider")
    managers = enforcement.service.RetrieveAreaManagers(
        RetrieveAreaManagersRequestData={}, _soapheaders={"PIN": "1234"})
    info = managers.RetrieveAreaManagersResponseData.AreaManagerList.AreaManagerInfoData
    assert [(m.AreaManagerId, m.AreaManagerDesc) for m in info] == [(4402, "Stad Gent")]

    start = next_monday(9)
    enrolled = provider.service.EnrollPSRight(PSRightEnrollRequestData={
        "VehicleId": "1SOAP01", "CountryCodeVehicle": "B", "AreaManagerId": 4402,
        "AreaId": "4402_ROOD", "UsageId": "BETAALDP", "StartTimePSright": start,
        "EndTimePSright": start + timedelta(hours=1), "ReferencePSRight": "soap-1"},
        _soapheaders={"PIN": "1234"})
    data = enrolled.PSRightEnrollResponseData
    assert enrolled.PSRightEnrollResponseError is None
    assert data.AreaId == "4402_ROOD" and float(data.AmountPSRightCalculated) == 2.0

    checked = enforcement.service.CheckPSRight(PSRightCheckRequestData={
        "AreaManagerId": 4402, "AreaId": "4402_ROOD", "UsageId": "BETAALDP",
        "VehicleId": "1SOAP01", "CountryCodeVehicle": "B",
        "CheckTime": start + timedelta(minutes=10), "ExtraInfoIndicator": "N"},
        _soapheaders={"PIN": "1234"})
    answer = checked.PSRightCheckResponseData
    assert answer.CheckAnswer == "Y"
    assert [r.PSRightId for r in answer.PSRightCheckPSRightList.PSRightCheckPSRightData] == [
        data.PSRightId]

    stopped = provider.service.RevokePSRight(PSRightRevokeRequestData={
        "PSRightId": data.PSRightId, "EndTimePSRight": start + timedelta(minutes=30)},
        _soapheaders={"PIN": "1234"})
    assert float(stopped.PSRightRevokeResponseData.AmountPSRightCalculated) == 1.0

    price = provider.service.CalculatePrice(CalculatePriceRequestData={
        "AreaManagerId": 4402, "AreaId": "4402_ZUID", "UsageId": "BETAALDP",
        "StartTimePSright": start, "EndTimePSright": start + timedelta(hours=2)},
        _soapheaders={"PIN": "1234"})
    assert float(price.CalculatePriceResponseData.AmountPSRightCalculated) == 2.0
    assert serialize_object(price)["CalculatePriceResponseError"] is None


def test_refusals_are_response_errors_not_faults(zeep_as):
    checked = zeep_as("provider-limited").service.CheckPSRight(PSRightCheckRequestData={
        "AreaManagerId": 4402, "AreaId": "4402_ROOD", "UsageId": "BETAALDP",
        "VehicleId": "1ABC123", "CheckTime": next_monday(9), "ExtraInfoIndicator": "N"},
        _soapheaders={"PIN": "1234"})
    assert checked.PSRightCheckResponseData is None
    assert checked.PSRightCheckResponseError.ErrorCode == 310


def envelope(body: str, header: str = "") -> bytes:
    return (f'<s:Envelope xmlns:s="{SOAP_ENV}" xmlns:n="{NS}"><s:Header>{header}</s:Header>'
            f"<s:Body>{body}</s:Body></s:Envelope>").encode()


def post(client: Any, content: bytes, action: str = "") -> tuple[int, Any]:
    response = client.post("/npr/soap", content=content,
                           headers={"Content-Type": "text/xml", "SOAPAction": action})
    return response.status_code, etree.fromstring(response.content)


def test_a_schema_violation_is_a_response_error_and_an_unreadable_envelope_a_fault(client_as):
    client = client_as("enforcement")
    status, reply = post(client, envelope(
        "<n:PSRightCheckRequest><n:PSRightCheckRequestData><n:AreaManagerId>44021</n:AreaManagerId>"
        "</n:PSRightCheckRequestData></n:PSRightCheckRequest>"),
        '"http://rdw.nl/rpv/1.0/IRegistration/CheckPSRight"')
    assert status == 200
    error = reply.find(f".//{{{NS}}}PSRightCheckResponseError")
    assert error.findtext(f"{{{NS}}}ErrorCode") == "100"
    assert error.findtext(f"{{{NS}}}ErrorVariable") == "AreaManagerId"
    schema().validate(reply.find(f"{{{SOAP_ENV}}}Body")[0])

    for content, code in ((b"<not-xml", "s:Client"),
                          (b'<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"/>',
                           "s:VersionMismatch"),
                          (envelope("<n:EnrollLinkRequest/>"), "s:Client"),
                          (envelope("<n:StatusRequestRequest/>",
                                    '<x:Secret xmlns:x="urn:x" s:mustUnderstand="1"/>'),
                           "s:MustUnderstand")):
        status, reply = post(client, content)
        assert status == 400
        assert reply.findtext(f".//{{{SOAP_ENV}}}Fault/faultcode") == code
    status, reply = post(client, envelope("<n:EnrollLinkRequest/>"))
    assert reply.findtext(f".//{{{NS}}}ErrorCode") == "900"
    status, reply = post(client, envelope(
        f"<n:StatusRequestRequest><n:StatusRequestRequestData><n:StatusTime>{z(next_monday(9))}"
        "</n:StatusTime></n:StatusRequestRequestData></n:StatusRequestRequest>"),
        '"http://rdw.nl/rpv/1.0/IRegistration/CheckPSRight"')
    assert status == 400 and "SOAPAction" in reply.findtext(f".//{{{SOAP_ENV}}}Fault/faultstring")


def test_an_operation_not_offered_is_a_fault_for_a_generated_client(zeep_as):
    with pytest.raises(Fault, match="not offered"):
        zeep_as("provider").service.RetrieveSellingPoints(
            RetrieveSellingPointsRequestData={}, _soapheaders={"PIN": "1234"})


def test_ws_addressing_is_answered(client_as):
    header = ('<a:Action xmlns:a="http://www.w3.org/2005/08/addressing">'
              "http://rdw.nl/rpv/1.0/IRegistration/StatusRequest</a:Action>"
              '<a:MessageID xmlns:a="http://www.w3.org/2005/08/addressing">urn:uuid:1</a:MessageID>'
              '<n:PIN>1234</n:PIN>')
    status, reply = post(client_as("provider"), envelope(
        f"<n:StatusRequestRequest><n:StatusRequestRequestData><n:StatusTime>{z(next_monday(9))}"
        "</n:StatusTime></n:StatusRequestRequestData></n:StatusRequestRequest>", header))
    assert status == 200
    wsa = "{http://www.w3.org/2005/08/addressing}"
    assert reply.findtext(f".//{wsa}RelatesTo") == "urn:uuid:1"
    assert reply.findtext(f".//{wsa}Action").endswith("/StatusRequestResponse")
    assert reply.findtext(f".//{{{NS}}}StatusRPV") == "OK"


def test_calls_are_metered_per_npr_operation_and_tenant(app, client_as, store):
    import sqlalchemy as sa

    from vptr.store import tables

    client = client_as("enforcement")
    post(client, envelope(
        f"<n:StatusRequestRequest><n:StatusRequestRequestData><n:StatusTime>{z(next_monday(9))}"
        "</n:StatusTime></n:StatusRequestRequestData></n:StatusRequestRequest>"))
    client.post("/npr/CheckPSRight", json={"PSRightCheckRequestData": {
        "AreaManagerId": 4402, "AreaId": "4402_ROOD", "UsageId": "BETAALDP",
        "VehicleId": "1ABC123", "CheckTime": z(next_monday(9)), "ExtraInfoIndicator": "N"}})
    app.state.runtime.metering.flush()
    m = tables.metering_counts.c
    with store.reading() as connection:
        counted = {(r.operation, r.tenant_id) for r in connection.execute(
            sa.select(m.operation, m.tenant_id))}
    assert any(op == "npr:StatusRequest" for op, _ in counted)
    assert ("npr:CheckPSRight",
            "https://data.parkeerregister.vlaanderen.be/id/organisation/stad-gent") in counted


def test_a_providers_price_question_is_billed_to_the_municipality(app, client_as, store):
    import sqlalchemy as sa

    from vptr.store import tables

    client_as("provider").post("/npr/CalculatePrice", json={"CalculatePriceRequestData": {
        "AreaManagerId": 4402, "AreaId": "4402_ZUID", "UsageId": "BETAALDP",
        "StartTimePSright": "2026-03-02T09:00:00Z", "EndTimePSright": "2026-03-02T10:00:00Z"}})
    app.state.runtime.metering.flush()
    m = tables.metering_counts.c
    with store.reading() as connection:
        counted = {(r.operation, r.tenant_id) for r in connection.execute(
            sa.select(m.operation, m.tenant_id))}
    assert ("npr:CalculatePrice",
            "https://data.parkeerregister.vlaanderen.be/id/organisation/stad-gent") in counted


def test_a_generated_client_reads_areas_regulations_and_rights(zeep_as):
    """The three read operations as a client generated from the WSDL calls them: the areas at
    a point, an area's regulations and fares, and a right it enrolled."""
    provider = zeep_as("provider")
    found = provider.service.RetrieveAreasByLocation(RetrieveAreasByLocationRequestData={
        "AreaLocation": {"Latitude": 51.0535, "Longitude": 3.7250}},
        _soapheaders={"PIN": "1234"})
    assert found.RetrieveAreasByLocationResponseError is None
    areas = found.RetrieveAreasByLocationResponseData.AreaTable.AreaData
    assert "4402_ROOD" in {a.AreaId for a in areas}

    info = provider.service.RetrieveAreaRegulationFareInfo(
        AreaArrangeAccountInfoRequestData={  # the XSD's name for it
            "AreaManagerId": 4402, "AreaId": "4402_ROOD",
            "CheckTime": next_monday(9)},
        _soapheaders={"PIN": "1234"})
    data = info.AreaRegulationFareInfoResponseData
    assert info.AreaRegulationFareInfoResponseError is None
    (regulation,) = data.RegulationTable.RegulationData
    assert regulation.RegulationId == "4402_RBET"
    assert {f.MaxDurationRight for f in regulation.TimeFrameTable.TimeFrameData} == {240}
    (fare,) = data.FareTable.FareData
    assert [(p.StartDurationFarePart, float(p.AmountFarePart))
            for p in fare.FarePartTable.FarePartData] == [(0, 0.5), (60, 1.0)]

    start = next_monday(9)
    enrolled = provider.service.EnrollPSRight(PSRightEnrollRequestData={
        "VehicleId": "1SOAP02", "AreaManagerId": 4402, "AreaId": "4402_ZUID",
        "UsageId": "BETAALDP", "StartTimePSright": start,
        "EndTimePSright": start + timedelta(hours=1)}, _soapheaders={"PIN": "1234"})
    right_id = enrolled.PSRightEnrollResponseData.PSRightId
    read = provider.service.RetrieveRightInfo(RightInfoRequestData={
        "PSRightId": right_id}, _soapheaders={"PIN": "1234"})
    assert read.RightInfoResponseError is None
    (right,) = read.PSRightInfoResponseData.PSRightInfoList.PSRightInfoData
    assert (right.PSRightId, right.AreaId, float(right.AmountPSRight)) == (
        right_id, "4402_ZUID", 1.0)
    missing = zeep_as("provider-limited").service.RetrieveRightInfo(
        RightInfoRequestData={"PSRightId": right_id}, _soapheaders={"PIN": "1234"})
    assert missing.PSRightInfoResponseData is None
    assert missing.RightInfoResponseError.ErrorCode == 200
