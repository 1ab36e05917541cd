"""The check: rights, grace, revocation, permits, whitelists, regime exemptions and history."""

from __future__ import annotations

from datetime import datetime

import pytest

from vptr.domain.checking import (
    NO_REGIME,
    PERMIT,
    REGIME_EXEMPT,
    RIGHT,
    WHITELIST_ENTRY,
    CheckError,
    UnknownZoneError,
    check,
)
from vptr.domain.memory_sources import InMemorySources
from vptr.domain.regime_time import EXEMPT_DAY, OUTSIDE_HOURS, PUBLIC_HOLIDAY
from vptr.domain.sources import PermitRecord, RightRecord, WhitelistEntryRecord, ZoneRecord

from .builders import AM_GENK, AM_GENT, BASE, WEEKDAYS, at, paid_weekdays, regime, slot, zone_iri

CENTRUM = zone_iri("centrum")
BEWONERS = zone_iri("bewoners")
GENK = zone_iri("genk-centrum")
PLATE, COUNTRY = "1ABC123", "BE"
# Two overlapping squares in Ghent and one in Genk, as WKT (lon lat).
CENTRUM_WKT = "POLYGON((3.70 51.04, 3.74 51.04, 3.74 51.06, 3.70 51.06, 3.70 51.04))"
BEWONERS_WKT = "POLYGON((3.72 51.05, 3.76 51.05, 3.76 51.07, 3.72 51.07, 3.72 51.05))"
GENK_WKT = "POLYGON((5.49 50.95, 5.51 50.95, 5.51 50.97, 5.49 50.97, 5.49 50.95))"


@pytest.fixture
def sources() -> InMemorySources:
    s = InMemorySources()
    s.add_zone(ZoneRecord(CENTRUM, AM_GENT), CENTRUM_WKT)
    s.add_zone(ZoneRecord(BEWONERS, AM_GENT), BEWONERS_WKT)
    s.add_zone(ZoneRecord(GENK, AM_GENK), GENK_WKT)
    s.add_regime(paid_weekdays(gracePeriod=10, gracePeriodBefore=2,
                               allowedPermitTypes=["resident"]))
    s.add_regime(paid_weekdays("genk-centrum", area_manager=AM_GENK))
    return s


def right(ref: str, start: str, end: str | None, status: str = "active",
          zone: str = CENTRUM) -> RightRecord:
    return RightRecord(f"{BASE}right/{ref}", zone, at(start), at(end) if end else None, status)


def ask(sources: InMemorySources, when: str | datetime, plate: str = PLATE, **kw):
    if "point" not in kw:
        kw.setdefault("zone_ids", [CENTRUM])
    moment = at(when) if isinstance(when, str) else when
    return check(sources, country=COUNTRY, plate=plate, moment=moment, **kw)


def kinds(result) -> list[tuple[str, str | None]]:
    return [(g.kind, g.id or g.reason) for g in result.grants]


def test_no_right_during_paid_hours_means_no(sources) -> None:
    result = ask(sources, "2026-03-02 10:00")
    assert not result.allowed and result.grants == ()
    assert [(r.regime, r.applies) for r in result.regimes] == [(f"{BASE}regime/centrum/1", True)]


def test_an_active_right_grants_and_is_named(sources) -> None:
    sources.add_right(COUNTRY, PLATE, right("r1", "2026-03-02 09:30", "2026-03-02 11:00"))
    result = ask(sources, "2026-03-02 10:00")
    assert result.allowed
    assert kinds(result) == [(RIGHT, f"{BASE}right/r1")]
    assert result.grants[0].end == at("2026-03-02 11:00") and not result.grants[0].within_grace


def test_plates_are_matched_in_normal_form(sources) -> None:
    sources.add_right(COUNTRY, PLATE, right("r1", "2026-03-02 09:30", "2026-03-02 11:00"))
    assert ask(sources, "2026-03-02 10:00", plate="1-abc-123").allowed
    assert not ask(sources, "2026-03-02 10:00", plate="1ABC124").allowed


@pytest.mark.parametrize(("when", "allowed", "within_grace"), [
    ("2026-03-02 10:59:59", True, False),
    ("2026-03-02 11:00", True, True),        # the end is exclusive, grace takes over
    ("2026-03-02 11:09:59", True, True),
    ("2026-03-02 11:10", False, False),      # end + 10 minutes of grace: over
    ("2026-03-02 09:28", True, True),        # 2 minutes of grace before the start
    ("2026-03-02 09:27:59", False, False),
])
def test_grace_period_boundaries(sources, when: str, allowed: bool, within_grace: bool) -> None:
    sources.add_right(COUNTRY, PLATE, right("r1", "2026-03-02 09:30", "2026-03-02 11:00"))
    result = ask(sources, when)
    assert result.allowed is allowed
    assert (result.grace_period, result.grace_period_before) == (10, 2)
    if allowed:
        assert result.grants[0].within_grace is within_grace


def test_an_ended_right_counts_up_to_its_end_but_a_revoked_one_never(sources) -> None:
    sources.add_right(COUNTRY, PLATE, right("ended", "2026-03-02 09:00", "2026-03-02 10:00",
                                            status="ended"))
    sources.add_right(COUNTRY, PLATE, right("revoked", "2026-03-02 09:00", "2026-03-02 12:00",
                                            status="revoked"))
    during = ask(sources, "2026-03-02 09:30")
    assert kinds(during) == [(RIGHT, f"{BASE}right/ended")]  # the revoked one is not there
    assert not ask(sources, "2026-03-02 11:00").allowed


def test_outside_paid_hours_no_payment_is_needed(sources) -> None:
    result = ask(sources, "2026-03-02 19:00")
    assert result.allowed
    assert [(g.kind, g.reason) for g in result.grants] == [(REGIME_EXEMPT, OUTSIDE_HOURS)]
    holiday = ask(sources, "2026-07-21 10:00")
    assert [(g.kind, g.reason, g.name) for g in holiday.grants] == [
        (REGIME_EXEMPT, PUBLIC_HOLIDAY, "Belgian National Day")]


def test_an_exempt_day_of_the_version_then_in_force_frees_the_plate() -> None:
    s = InMemorySources()
    s.add_zone(ZoneRecord(CENTRUM, AM_GENT))
    s.add_regime(paid_weekdays(exemptDays=[{"calendarDate": "2026-03-04"}]))
    result = ask(s, "2026-03-04 10:00")
    assert [(g.kind, g.reason) for g in result.grants] == [(REGIME_EXEMPT, EXEMPT_DAY)]


def test_a_recurring_exempt_day_frees_every_holiday_and_holiday_hours_hold_without_it() -> None:
    exempt = InMemorySources()
    exempt.add_zone(ZoneRecord(CENTRUM, AM_GENT))
    exempt.add_regime(paid_weekdays(exemptDays=[{"recurringDay": "publicHoliday"}]))
    easter = ask(exempt, "2026-04-06 12:30")
    assert easter.allowed
    assert [(g.kind, g.reason, g.name) for g in easter.grants] == [
        (REGIME_EXEMPT, PUBLIC_HOLIDAY, "Easter Monday")]
    hours = InMemorySources()
    hours.add_zone(ZoneRecord(CENTRUM, AM_GENT))
    hours.add_regime(paid_weekdays(exemptDays=[], timeSlots=[
        slot(WEEKDAYS, "09:00:00", "18:00:00"), slot(["publicHoliday"], "12:00:00", "14:00:00")]))
    assert not ask(hours, "2026-04-06 12:30").allowed  # within the holiday hours: pay
    morning = ask(hours, "2026-04-06 10:00")  # outside them: free, though a Monday
    assert [(g.kind, g.reason) for g in morning.grants] == [(REGIME_EXEMPT, OUTSIDE_HOURS)]


def test_a_zone_without_a_regime_in_force_regulates_nothing() -> None:
    s = InMemorySources()
    s.add_zone(ZoneRecord(CENTRUM, AM_GENT))
    s.add_regime(paid_weekdays(valid_from="2027-01-01 00:00"))
    result = ask(s, "2026-03-02 10:00")
    assert result.allowed and [(g.kind, g.reason) for g in result.grants] == [
        (REGIME_EXEMPT, NO_REGIME)]


def test_historical_check_uses_the_regime_version_then_in_force() -> None:
    # Until 1 June paid hours end at 18:00; from 1 June they run to 21:00.
    s = InMemorySources()
    s.add_zone(ZoneRecord(CENTRUM, AM_GENT))
    s.add_regime(paid_weekdays(version=1, valid_to="2026-06-01 00:00"))
    s.add_regime(paid_weekdays(version=2, valid_from="2026-06-01 00:00", timeSlots=[
        {"daysOfWeek": ["monday", "tuesday", "wednesday", "thursday", "friday"],
         "opens": "09:00:00", "closes": "21:00:00"}]))
    before = ask(s, "2026-05-29 19:00")   # a Friday under version 1: free
    after = ask(s, "2026-06-05 19:00")    # a Friday under version 2: paid, no right
    assert before.allowed and before.regimes[0].version == 1
    assert not after.allowed and after.regimes[0].version == 2
    s.add_right(COUNTRY, PLATE, right("old", "2026-05-29 18:30", "2026-05-29 20:00"))
    assert kinds(ask(s, "2026-05-29 19:30"))[-1] == (RIGHT, f"{BASE}right/old")


def test_a_permit_of_an_allowed_type_grants(sources) -> None:
    permit = PermitRecord(f"{BASE}permit/p1", "resident", (CENTRUM,), at("2026-01-01 00:00"),
                          at("2027-01-01 00:00"), "active")
    sources.add_permit(COUNTRY, PLATE, permit)
    result = ask(sources, "2026-03-02 10:00")
    assert [(g.kind, g.id, g.reason) for g in result.grants] == [
        (PERMIT, permit.id, "resident")]


def test_a_permit_of_another_type_or_not_active_does_not_grant(sources) -> None:
    sources.add_permit(COUNTRY, PLATE, PermitRecord(
        f"{BASE}permit/visitor", "visitor", (CENTRUM,), at("2026-01-01 00:00"), None, "active"))
    sources.add_permit(COUNTRY, PLATE, PermitRecord(
        f"{BASE}permit/susp", "resident", (CENTRUM,), at("2026-01-01 00:00"), None, "suspended",
        status_since=at("2026-02-01 00:00")))
    assert not ask(sources, "2026-03-02 10:00").allowed
    # Before it was suspended the resident permit did count.
    assert kinds(ask(sources, "2026-01-15 10:00")) == [(PERMIT, f"{BASE}permit/susp")]


def test_a_disability_card_is_never_found_by_plate() -> None:
    s = InMemorySources()
    s.add_zone(ZoneRecord(CENTRUM, AM_GENT))
    s.add_regime(paid_weekdays(exemptPermitTypes=["disabilityCard"]))
    s.add_permit(COUNTRY, PLATE, PermitRecord(
        f"{BASE}permit/card", "disabilityCard", (CENTRUM,), at("2026-01-01 00:00"), None,
        "active"))
    assert not ask(s, "2026-03-02 10:00").allowed


def test_whitelist_entries_hold_within_the_list_and_entry_period_and_zones(sources) -> None:
    entry = WhitelistEntryRecord(
        f"{BASE}whitelist-entry/e1", f"{BASE}whitelist/brandweer", (CENTRUM, BEWONERS),
        at("2026-01-01 00:00"), at("2026-12-31 00:00"), entry_zones=(CENTRUM,),
        entry_start=at("2026-03-01 00:00"), reason="emergencyServices")
    sources.add_entry(COUNTRY, PLATE, entry)
    result = ask(sources, "2026-03-02 10:00")
    assert [(g.kind, g.id, g.reason) for g in result.grants] == [
        (WHITELIST_ENTRY, entry.id, "emergencyServices")]
    assert result.grants[0].end == at("2026-12-31 00:00")
    assert not ask(sources, "2026-02-27 10:00").allowed   # before the entry's own start
    assert not ask(sources, "2026-12-31 10:00").allowed   # after the list's end
    # The entry narrows the list's zones to the centre: in the resident zone it grants nothing.
    other_zone = ask(sources, "2026-03-02 10:00", zone_ids=[BEWONERS])
    assert WHITELIST_ENTRY not in [g.kind for g in other_zone.grants]


def test_a_point_pricks_through_stacked_zones(sources) -> None:
    sources.add_regime(regime("bewoners", usage="permitParking", allowedPermitTypes=["resident"]))
    inside_both = (3.73, 51.055)
    result = ask(sources, "2026-03-02 10:00", point=inside_both)
    assert [z.id for z in result.zones] == [BEWONERS, CENTRUM]
    assert not result.allowed
    sources.add_permit(COUNTRY, PLATE, PermitRecord(
        f"{BASE}permit/p1", "resident", (BEWONERS,), at("2026-01-01 00:00"), None, "active"))
    assert kinds(ask(sources, "2026-03-02 10:00", point=inside_both)) == [
        (PERMIT, f"{BASE}permit/p1")]
    # One regime applying (the resident zone, always) means the other's free evening is no excuse.
    assert not ask(sources, "2026-03-02 20:00", point=inside_both, plate="9XYZ999").allowed


def test_a_point_outside_every_zone_is_unregulated(sources) -> None:
    result = ask(sources, "2026-03-02 10:00", point=(4.40, 51.22))  # Antwerp
    assert result.allowed and result.zones == ()
    assert [(g.kind, g.reason) for g in result.grants] == [(REGIME_EXEMPT, NO_REGIME)]


def test_rights_are_looked_up_per_tenant(sources) -> None:
    sources.add_right(COUNTRY, PLATE, right("genk", "2026-03-02 09:00", "2026-03-02 12:00",
                                            zone=GENK))
    assert ask(sources, "2026-03-02 10:00", zone_ids=[GENK]).allowed
    assert not ask(sources, "2026-03-02 10:00", zone_ids=[CENTRUM]).allowed
    gent_hash = sources.plate_hash(AM_GENT, COUNTRY, PLATE)
    genk_hash = sources.plate_hash(AM_GENK, COUNTRY, PLATE)
    assert gent_hash != genk_hash


def test_right_kind_filters_regimes_and_rights() -> None:
    s = InMemorySources()
    s.add_zone(ZoneRecord(CENTRUM, AM_GENT))
    s.add_regime(regime(rightKind="access", usage="lowTrafficZoneAccess"))
    s.add_right(COUNTRY, PLATE, right("park", "2026-03-02 09:00", "2026-03-02 12:00"))
    assert not ask(s, "2026-03-02 10:00", right_kind="access").allowed
    assert ask(s, "2026-03-02 10:00", right_kind="parking").allowed


def test_unverifiable_conditions_are_reported_not_granted() -> None:
    s = InMemorySources()
    s.add_zone(ZoneRecord(CENTRUM, AM_GENT))
    s.add_regime(regime(rightKind="access", usage="lowEmissionZoneAccess",
                        vehicleCriteria=[{"allowedFuelTypes": ["electric"]}],
                        exemptUserClasses=["emergencyServices"]))
    result = ask(s, "2026-03-02 10:00")
    assert not result.allowed
    assert result.regimes[0].unverifiable == ("exemptUserClasses", "vehicleCriteria")


def test_bad_questions_name_the_field() -> None:
    s = InMemorySources()
    s.add_zone(ZoneRecord(CENTRUM, AM_GENT))
    cases = [
        ({"plate": "1 ABC 123 !"}, "plate"),
        ({"zone_ids": [CENTRUM], "point": (3.7, 51.0)}, "zone"),
        ({"zone_ids": [zone_iri("nowhere")]}, "zone"),
        ({"point": (200.0, 51.0)}, "lon"),
    ]
    for kw, field in cases:
        with pytest.raises(CheckError) as caught:
            ask(s, "2026-03-02 10:00", **kw)
        assert caught.value.field == field
        assert "1ABC" not in str(caught.value)
    with pytest.raises(UnknownZoneError):
        ask(s, "2026-03-02 10:00", zone_ids=[zone_iri("nowhere")])
    with pytest.raises(CheckError) as country:
        check(s, country="Belgium", plate=PLATE, moment=at("2026-03-02 10:00"),
              zone_ids=[CENTRUM])
    assert country.value.field == "country"
    with pytest.raises(ValueError, match="offset"):
        check(s, country=COUNTRY, plate=PLATE, moment=datetime(2026, 3, 2, 10),
              zone_ids=[CENTRUM])
