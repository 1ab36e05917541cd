"""Generated parking rights for the validation benchmark and the engines' equivalence test.

Deterministic for a seed: realistic rights in a few Ghent zones, of which about ``defect_rate``
carry one defect each, drawn from :data:`DEFECTS` (each breaks a different rule of the profile,
generated or hand-written). The zones, the authorisation and the regime the rights refer to come
as supporting entities, so the cross-entity rules run too.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

CONTEXT = "https://data.vlaanderen.be/doc/applicatieprofiel/parkeren-en-toegang/context.jsonld"
ID = "https://data.parkeerregister.vlaanderen.be/id/"
GENT = ID + "organisation/stad-gent"
ANTWERPEN = ID + "organisation/stad-antwerpen"
PROVIDER = ID + "organisation/parkplus"
ZONES = [ID + f"zone/gent-{name}" for name in ("rood", "oranje", "geel", "groen")]
AUTHORISATION = ID + "authorisation/gent-parkplus-2026"
FOREIGN_AUTHORISATION = ID + "authorisation/antwerpen-parkplus-2026"
REGIME = ID + "regime/gent-rood-betalend/1"
_LETTERS = "ABCDEFGHJKLMNPRSTVWXZ"
_BRUSSELS = timezone(timedelta(hours=1))


def _plate(rng: random.Random) -> tuple[str, str]:
    country = rng.choices(["BE", "NL", "FR", "DE", "LU"], weights=[85, 6, 4, 3, 2])[0]
    letters = "".join(rng.choice(_LETTERS) for _ in range(4))
    digits = f"{rng.randrange(1000):03d}"
    if country == "BE":
        return f"{rng.randint(1, 2)}{letters[:3]}{digits}", country
    if country == "NL":
        return f"{letters[:3]}{digits[:2]}{letters[3]}", country  # sidecode 11: XXX-99-X
    if country == "FR":
        return f"{letters[:2]}{digits}{letters[2:]}", country
    if country == "DE":
        return f"{letters[:2]}{letters[2]}{rng.randint(1, 9999)}", country
    return f"{letters[:2]}{rng.randint(1000, 9999)}", country


def right(rng: random.Random, n: int) -> dict[str, Any]:
    start = datetime(2026, 3, 2, 8, 0, tzinfo=_BRUSSELS) + timedelta(minutes=rng.randrange(600))
    minutes = rng.choice([15, 30, 45, 60, 90, 120, 180])
    plate, country = _plate(rng)
    amount = f"{minutes / 60 * 2.7:.2f}"
    document: dict[str, Any] = {
        "id": ID + f"right/bench-{n:06d}",
        "type": "Right",
        "rightKind": "parking",
        "vehicle": {"licencePlate": {"plateNumber": plate, "country": country}},
        "zone": rng.choice(ZONES),
        "regime": REGIME,
        "usage": "paidParking",
        "validityPeriod": {"startTime": start.isoformat(),
                           "endTime": (start + timedelta(minutes=minutes)).isoformat()},
        "provider": PROVIDER,
        "authorisation": AUTHORISATION,
        "channel": rng.choice(["app", "app", "app", "meter", "sms"]),
        "amountPaid": {"value": amount, "currency": "EUR"},
        "rightStatus": "active",
        "clientReference": f"PP-{n:08d}",
        "created": start.isoformat(),
    }
    if rng.random() < 0.3:
        document["identifiers"] = [{"notation": f"{n:010d}", "identifierScheme": "nprRightId"}]
    return document


def _lower_case_plate(d: dict[str, Any]) -> None:
    plate = d["vehicle"]["licencePlate"]
    plate["plateNumber"] = plate["plateNumber"].lower()


def _ends_before_start(d: dict[str, Any]) -> None:
    period = d["validityPeriod"]
    period["startTime"], period["endTime"] = period["endTime"], period["startTime"]


def _unknown_channel(d: dict[str, Any]) -> None:
    d["channel"] = "carrierPigeon"


def _no_zone(d: dict[str, Any]) -> None:
    del d["zone"]


def _belgian_form_on_dutch_plate(d: dict[str, Any]) -> None:
    d["vehicle"]["licencePlate"] = {"plateNumber": "1ABC234", "country": "NL"}


def _lower_case_currency(d: dict[str, Any]) -> None:
    d["amountPaid"]["currency"] = "eur"


def _negative_amount(d: dict[str, Any]) -> None:
    d["amountPaid"]["value"] = "-1.50"


def _two_zones(d: dict[str, Any]) -> None:
    d["zone"] = ZONES[:2]


def _unknown_property(d: dict[str, Any]) -> None:
    d["vptr:colour"] = "red"


def _longer_than_regime_allows(d: dict[str, Any]) -> None:
    start = datetime.fromisoformat(d["validityPeriod"]["startTime"])
    d["validityPeriod"]["endTime"] = (start + timedelta(hours=5)).isoformat()


def _authorised_by_another_city(d: dict[str, Any]) -> None:
    d["authorisation"] = FOREIGN_AUTHORISATION


def _start_not_a_date_time(d: dict[str, Any]) -> None:
    d["validityPeriod"]["startTime"] = "2 maart 2026 10u"


#: One defect each, by name.
DEFECTS: dict[str, Callable[[dict[str, Any]], None]] = {
    "lower-case plate": _lower_case_plate,
    "ends before it starts": _ends_before_start,
    "unknown channel": _unknown_channel,
    "no zone": _no_zone,
    "Belgian form on a Dutch plate": _belgian_form_on_dutch_plate,
    "lower-case currency": _lower_case_currency,
    "negative amount": _negative_amount,
    "two zones": _two_zones,
    "unknown property": _unknown_property,
    "longer than the regime allows": _longer_than_regime_allows,
    "authorised by another city": _authorised_by_another_city,
    "start not a date-time": _start_not_a_date_time,
}


def rights(count: int, defect_rate: float = 0.03, seed: int = 2026) -> tuple[list[dict[str, Any]],
                                                                           dict[str, int]]:
    """``count`` rights and how many carry each defect."""
    rng = random.Random(seed)
    documents = []
    defects: dict[str, int] = {}
    names = sorted(DEFECTS)
    for n in range(count):
        document = right(rng, n)
        if rng.random() < defect_rate:
            name = names[rng.randrange(len(names))]
            DEFECTS[name](document)
            defects[name] = defects.get(name, 0) + 1
        documents.append(document)
    return documents, defects


def bulk_document(count: int, defect_rate: float = 0.03, seed: int = 2026
                  ) -> tuple[dict[str, Any], dict[str, int]]:
    """The rights as one JSON-LD document (``@graph``)."""
    documents, defects = rights(count, defect_rate, seed)
    return {"@context": CONTEXT, "@graph": documents}, defects


def supporting() -> list[dict[str, Any]]:
    """The zones, authorisations and regime the rights refer to (stored entities, not validated)."""
    geometry = {"asWKT": "POLYGON ((3.719 51.05, 3.7215 51.0555, 3.727 51.056, 3.719 51.05))"}
    zones = [{"@context": CONTEXT, "id": iri, "type": "Zone", "name": iri.rsplit("/", 1)[-1],
              "zoneKind": "paidParking", "geometry": geometry, "areaManager": GENT}
             for iri in ZONES]
    authorisations = [
        {"@context": CONTEXT, "id": iri, "type": "Authorisation", "grantor": grantor,
         "grantee": PROVIDER, "scopes": ["writeRights", "readRights"]}
        for iri, grantor in ((AUTHORISATION, GENT), (FOREIGN_AUTHORISATION, ANTWERPEN))
    ]
    regime = {"@context": CONTEXT, "id": REGIME, "type": "Regime", "name": "Betalend parkeren",
              "rightKind": "parking", "usage": "paidParking", "zones": ZONES,
              "areaManager": GENT, "validityPeriod": {"startTime": "2026-01-01T00:00:00+01:00"},
              "version": 1, "maximumDuration": 240}
    return [*zones, *authorisations, regime]


def single_payload() -> dict[str, Any]:
    """One small right as a provider posts it: plain JSON, no context, nested objects untyped."""
    document = right(random.Random(7), 1)
    return document
