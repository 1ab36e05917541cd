"""The NPR mapping files under mappings/npr: round trips over generated data (the same harness as
APDS, vptr.mapping.testing) and examples of what is lossy by design or decided by the gateway."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vptr.mapping import TranslationError, registry, translator
from vptr.mapping.testing import (
    assert_message_round_trip,
    assert_native_round_trip,
    messages,
    native_documents,
)
from vptr.standard.datamodel import Right

NPR = sorted(key for key in registry() if key[0] == "npr")


def test_the_npr_messages_the_gateway_translates_are_mapped():
    assert {m for _, m in NPR} >= {"AreaManagerInfoData", "AreaData",
                                   "PSRightEnrollRequestData", "PSRightInfoData"}


@pytest.mark.parametrize("key", NPR, ids=[m for _, m in NPR])
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_npr_mappings_round_trip_both_ways(key, data):
    t = registry()[key]
    assert_native_round_trip(t, data.draw(native_documents(t)))
    assert_message_round_trip(t, data.draw(messages(t)))


def test_an_enrolment_becomes_the_mapped_part_of_a_right():
    right = translator("npr", "PSRightEnrollRequestData").to_native({
        "VehicleId": "1ABC123", "VehicleIdType": "KENTEKEN", "CountryCodeVehicle": "B",
        "AreaManagerId": 4402, "AreaId": "4402_ROOD", "UsageId": "BETAALDP",
        "StartTimePSright": "2026-03-02T09:00:00Z", "EndTimePSright": "2026-03-02T10:30:00Z",
        "AmountPSright": 3.5, "VATPSright": 0.61, "ReferencePSRight": "app-7781",
        "TokenList": {"TokenListData": [{"Token": "t", "TokenType": "card"}]}})
    assert right == {
        "vehicle": {"licencePlate": {"plateNumber": "1ABC123", "country": "BE"}},
        "validityPeriod": {"startTime": "2026-03-02T10:00:00+01:00",
                           "endTime": "2026-03-02T11:30:00+01:00"},
        "amountPaid": {"value": "3.50", "vatAmount": "0.61", "currency": "EUR"},
        "clientReference": "app-7781"}
    # what the gateway and the register add (zone, kind, channel, provider, status) make it whole
    Right.model_validate({**right, "id": "https://data.parkeerregister.vlaanderen.be/id/right/r",
                          "rightKind": "parking", "channel": "app", "rightStatus": "active",
                          "provider": "https://data.parkeerregister.vlaanderen.be/id/"
                                      "organisation/parkplus",
                          "zone": "https://data.parkeerregister.vlaanderen.be/id/zone/z"})


def test_unece_signs_map_to_iso_countries_and_unknown_ones_are_refused():
    t = translator("npr", "PSRightEnrollRequestData")
    assert t.to_native({"CountryCodeVehicle": "D"})["vehicle"]["licencePlate"]["country"] == "DE"
    assert t.to_message({"vehicle": {"licencePlate": {"country": "NL"}}}) == {
        "CountryCodeVehicle": "NL"}
    with pytest.raises(TranslationError, match="CountryCodeVehicle"):
        t.to_native({"CountryCodeVehicle": "ZRE"})


def test_a_right_goes_out_as_psright_info_with_its_id():
    info = translator("npr", "PSRightInfoData").to_message({
        "identifiers": [{"notation": "1000042", "identifierScheme": "nprRightId"}],
        "clientReference": "app-7781",
        "vehicle": {"licencePlate": {"plateNumber": "1ABC123", "country": "BE"}},
        "validityPeriod": {"startTime": "2026-03-02T10:00:00+01:00"},
        "created": "2026-03-02T09:59:30+01:00",
        "amountPaid": {"value": "3.50", "currency": "EUR"}})
    assert info == {"PSRightId": 1000042, "ReferencePSRight": "app-7781",
                    "CountryCodeVehicle": "B", "StartTimePSRightAdjusted": "2026-03-02T09:00:00Z",
                    "RegistrationTimePSRight": "2026-03-02T08:59:30Z", "AmountPSRight": 3.5}
    assert "VehicleId" not in info  # the plate travels once, at the response's top


def test_npr_dates_are_local_days_and_an_end_is_the_last_day_in_force():
    t = translator("npr", "AreaData")
    zone = t.to_native({"StartDateArea": 20250101, "EndDateArea": 20260331})
    assert zone["validityPeriod"] == {"startTime": "2025-01-01T00:00:00+01:00",
                                      "endTime": "2026-04-01T00:00:00+02:00"}
    assert t.to_message({"validityPeriod": {"startTime": "2024-12-31T23:00:00+00:00",
                                            "endTime": "2026-03-31T22:00:00Z"}}) == {
        "StartDateArea": 20250101, "EndDateArea": 20260331}
    with pytest.raises(TranslationError, match="StartDateArea"):
        t.to_native({"StartDateArea": 20251301})


def test_every_country_of_the_unece_tables_is_in_the_models_code_list():
    """The UNECE tables translate to ISO 3166-1 alpha-2 codes the model accepts (the United Kingdom
    is `GB` in both: the NPR's UneceLandCodesType has `GB` and no `UK`)."""
    import yaml

    from vptr.domain.plates import COUNTRIES
    from vptr.paths import mappings_dir

    tables = [rule["with"]["table"]
              for path in sorted((mappings_dir() / "npr").glob("*.yaml"))
              for rule in yaml.safe_load(path.read_text(encoding="utf-8"))["fields"]
              if rule.get("message") == "CountryCodeVehicle"]
    assert len(tables) == 2
    for table in tables:
        assert set(table) <= COUNTRIES, set(table) - COUNTRIES
        assert table["GB"] == "GB" and "UK" not in table
