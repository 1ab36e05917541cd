"""A refusal by the application profile speaks the language Accept-Language asks for (Dutch or
English; English, the register's own, otherwise): the same field, the reason in that language."""

from __future__ import annotations

from vptr.services.demo import ZONE_ROOD

RIGHT = {"rightKind": "parking", "zone": ZONE_ROOD, "channel": "app",
         # Invalid deep inside: the plate's country, two objects down.
         "vehicle": {"licencePlate": {"plateNumber": "1ABC123", "country": "be1"}},
         "validityPeriod": {"startTime": "2026-03-02T10:00:00+01:00",
                            "endTime": "2026-03-02T11:00:00+01:00"}}
FIELD = "vehicle.licencePlate.country"


def reasons(response) -> list[str]:
    assert response.status_code == 422, response.text
    return [e["reason"] for e in response.json()["errors"] if e["field"] == FIELD]


def test_a_nested_refusal_is_worded_in_dutch_or_english_as_asked(client_as):
    provider = client_as("provider")
    english = reasons(provider.post("/rights", json=RIGHT))
    dutch = reasons(provider.post("/rights", json=RIGHT, headers={"Accept-Language": "nl-BE"}))
    ranked = reasons(provider.post("/rights", json=RIGHT,
                                   headers={"Accept-Language": "fr, en;q=0.5, nl;q=0.9"}))
    # The value breaks the form and the code list (ISO 3166-1 alpha-2) alike.
    assert sorted(english) == ["must be two capital letters, the country code (BE)",
                               "not a value of the code list"]
    assert sorted(dutch) == ["geen waarde van de codelijst",
                             "moet twee hoofdletters, de landcode (BE) zijn"]
    assert ranked == dutch
    preferred_english = reasons(provider.post("/rights", json=RIGHT, headers={
        "Accept-Language": "en-GB, nl;q=0.8"}))
    assert preferred_english == english
