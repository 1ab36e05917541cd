"""One rule for public holidays (issue 13, docs/model-decisions.md): a regime free on public
holidays lists the exempt day ``{"recurringDay": "publicHoliday"}``; the removed flag
``exemptPublicHolidays`` is read as that entry until version 2.0 (the client told so), its IRIs
and the two combinations that said nothing are refused on the native API with a 4xx naming the
field, and nothing is stored."""

from __future__ import annotations

import pytest

from vptr.services.demo import ZONE_ZUID

HOLIDAYS = {"recurringDay": "publicHoliday"}
FEESTEN = {"calendarDate": "2026-07-20", "name": "Gentse Feesten"}


def regime(**fields: object) -> dict:
    return {"name": "Zuid avond", "rightKind": "parking", "usage": "paidParking",
            "zones": [ZONE_ZUID], "validityPeriod": {"startTime": "2026-01-01T00:00:00+01:00"},
            "timeSlots": [{"daysOfWeek": ["monday", "tuesday"], "opens": "18:00:00",
                           "closes": "22:00:00"}], **fields}


def fields_of(response) -> list[str]:
    return [e["field"] for e in response.json()["errors"]]


def test_a_regime_free_on_public_holidays_says_so_in_its_exempt_days(client_as):
    manager = client_as("area-manager")

    made = manager.post("/regimes", json=regime(exemptDays=[FEESTEN, HOLIDAYS]))

    assert made.status_code == 201, made.text
    assert made.json()["exemptDays"] == [FEESTEN, HOLIDAYS]
    assert manager.get(made.headers["location"]).json()["exemptDays"] == [FEESTEN, HOLIDAYS]


@pytest.mark.parametrize("key", [
    "vptr:exemptPublicHolidays", "vptr:vrijOpWettelijkeFeestdagen",
    "https://data.vlaanderen.be/ns/parkeren-en-toegang#vrijOpWettelijkeFeestdagen"])
@pytest.mark.parametrize("value", [True, False])
def test_the_removed_term_named_by_an_iri_is_refused_by_name_with_its_replacement(
        client_as, count_rows, key, value):
    manager = client_as("area-manager")
    before = count_rows("regime_versions")

    refused = manager.post("/regimes", json=regime(**{key: value}))

    assert refused.status_code == 400, refused.text
    assert fields_of(refused) == [key]
    assert '{"recurringDay": "publicHoliday"} in exemptDays' in refused.json()["errors"][0][
        "reason"]
    assert count_rows("regime_versions") == before


@pytest.mark.parametrize(("flag", "sent", "stored"), [
    (True, None, [HOLIDAYS]),
    (True, [FEESTEN], [FEESTEN, HOLIDAYS]),
    (True, [HOLIDAYS], [HOLIDAYS]),
    (False, [FEESTEN], [FEESTEN]),
    (False, None, None),
], ids=["true", "true beside a date", "true beside the entry", "false beside a date", "false"])
def test_the_old_key_is_read_as_the_exempt_day_until_2_0_and_the_client_is_told(
        client_as, flag, sent, stored):
    """A client has until version 2.0 of the standard to move (docs/reuse.md, "Old keys"): the
    flag is read as the entry, stored as the entry only, with Deprecation and Warning headers."""
    manager = client_as("area-manager")
    body = regime(exemptPublicHolidays=flag, **({"exemptDays": sent} if sent else {}))

    made = manager.post("/regimes", json=body)

    assert made.status_code == 201, made.text
    assert made.headers["Deprecation"].startswith("@")
    assert "exemptPublicHolidays is deprecated" in made.headers["Warning"]
    document = manager.get(made.headers["Location"]).json()
    assert "exemptPublicHolidays" not in document
    assert document.get("exemptDays") == stored


def test_the_old_key_is_read_in_a_new_version_too_and_a_wrong_value_is_refused(client_as,
                                                                               count_rows):
    manager = client_as("area-manager")
    change = manager.get("/regimes/gent-zuid-betalend").json()
    change.pop("version")
    change.pop("exemptDays", None)
    change["validityPeriod"] = {"startTime": "2027-01-01T00:00:00+01:00"}
    before = count_rows("regime_versions")

    refused = manager.put("/regimes/gent-zuid-betalend",
                          json={**change, "exemptPublicHolidays": "ja"})
    assert refused.status_code in (400, 422), refused.text
    assert fields_of(refused) == ["exemptPublicHolidays"]
    assert count_rows("regime_versions") == before

    changed = manager.put("/regimes/gent-zuid-betalend",
                          json={**change, "exemptPublicHolidays": True})
    assert changed.status_code == 200, changed.text
    assert changed.json()["exemptDays"] == [HOLIDAYS]
    assert "Deprecation" in changed.headers


def test_holiday_hours_beside_exempt_holidays_are_refused_naming_the_day(client_as, count_rows):
    manager = client_as("area-manager")
    before = count_rows("regime_versions")
    body = regime(exemptDays=[HOLIDAYS])
    body["timeSlots"].append({"daysOfWeek": ["publicHoliday"], "opens": "12:00:00",
                              "closes": "14:00:00"})

    refused = manager.post("/regimes", json=body)

    assert refused.status_code == 422, refused.text
    assert fields_of(refused) == ["timeSlots.daysOfWeek"]
    assert "would never apply" in refused.json()["errors"][0]["reason"]
    assert count_rows("regime_versions") == before


def test_holiday_hours_without_exempt_holidays_are_accepted(client_as):
    body = regime(exemptDays=[FEESTEN])
    body["timeSlots"].append({"daysOfWeek": ["publicHoliday"], "opens": "12:00:00",
                              "closes": "14:00:00"})

    assert client_as("area-manager").post("/regimes", json=body).status_code == 201


def test_a_dated_public_holiday_beside_every_public_holiday_is_refused(client_as, count_rows):
    manager = client_as("area-manager")
    before = count_rows("regime_versions")

    refused = manager.post("/regimes", json=regime(exemptDays=[
        FEESTEN, {"calendarDate": "2026-12-25", "name": "Kerstmis"}, HOLIDAYS]))

    assert refused.status_code == 422, refused.text
    assert fields_of(refused) == ["exemptDays[1].calendarDate"]
    assert "Christmas Day" in refused.json()["errors"][0]["reason"]
    assert count_rows("regime_versions") == before
    # Alone, a dated public holiday is a choice (this one holiday free, the others paid).
    alone = manager.post("/regimes", json=regime(exemptDays=[
        {"calendarDate": "2026-12-25", "name": "Kerstmis"}]))
    assert alone.status_code == 201, alone.text


@pytest.mark.parametrize(("day", "field"), [
    ({"calendarDate": "2026-07-20", "recurringDay": "publicHoliday"}, "exemptDays.recurringDay"),
    ({"name": "Braderie"}, "exemptDays.calendarDate"),
    ({"recurringDay": "easterSunday"}, "exemptDays.recurringDay"),
])
def test_an_exempt_day_is_a_date_or_a_recurring_day(client_as, count_rows, day, field):
    manager = client_as("area-manager")
    before = count_rows("regime_versions")

    refused = manager.post("/regimes", json=regime(exemptDays=[FEESTEN, day]))

    assert refused.status_code in (400, 422), refused.text
    assert fields_of(refused) == [field]
    assert count_rows("regime_versions") == before
