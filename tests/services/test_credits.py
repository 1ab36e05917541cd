"""Permit credits (F2.5, issue 13 item 5): a right registered with a source permit that carries a
credit takes its duration from that credit, never more than is left, even when registrations
race (on both stores: the ``store`` fixture runs each test on SQLite and PostgreSQL); a revoked
right gives its minutes back; the check names the credit; the report gives used and left minutes
per plate by pseudonym, never the plate."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from support.builders import right_body

from vptr.errors import Conflict, Invalid
from vptr.services import credits, demo, permits, rights
from vptr.services.checking import Question, ask
from vptr.services.runtime import Runtime
from vptr.times import format_instant, parse_instant

from .world import GENT, SCANMOBIEL, caller, pseudonym

AVAILABLE = 180


@pytest.fixture
def permit(runtime):
    """A resident card for 1CRD001 and 1CRD002 with three free hours for the year."""
    return permits.create(runtime, caller(GENT), {
        "permitType": "resident", "holderReference": "gent-bewoner-krediet",
        "vehicles": [{"licencePlate": {"plateNumber": p, "country": "BE"}}
                     for p in ("1CRD001", "1CRD002")],
        "zones": [demo.ZONE_KOUTER], "permitStatus": "active",
        "validityPeriod": {"startTime": "2026-01-01T00:00:00+01:00"},
        "credit": {"minutesAvailable": AVAILABLE, "minutesUsed": 0,
                   "validityPeriod": {"startTime": "2026-01-01T00:00:00+01:00",
                                      "endTime": "2027-01-01T00:00:00+01:00"}}})


def on_credit(permit, plate="1CRD001", start=-5, end=55, **extra):
    return right_body(plate=plate, zone=demo.ZONE_KOUTER, start=start, end=end,
                      sourcePermit=permit["id"], **extra)


def used(runtime, permit):
    return permits.get(runtime, caller(GENT), permit["id"])["credit"]["minutesUsed"]


def test_a_right_on_a_credit_takes_its_minutes_and_the_check_names_the_credit(runtime, permit):
    right = rights.register(runtime, caller(GENT), on_credit(permit)).document

    assert right["creditMinutesUsed"] == 60
    assert used(runtime, permit) == 60
    answer = ask(runtime, caller(SCANMOBIEL), Question(plate="1CRD001", country="BE",
                                                       zones=(demo.ZONE_KOUTER,)))
    assert [(g.kind, g.id, g.reason) for g in answer.result.grants if g.kind == "right"] == [
        ("right", right["id"], "permitCredit")]


def test_a_right_the_rest_of_the_credit_cannot_cover_is_refused_and_nothing_is_stored(
        runtime, permit, count_rows):
    for plate in ("1CRD001", "1CRD002", "1CRD001"):
        rights.register(runtime, caller(GENT), on_credit(permit, plate, start=-5, end=55))
    before = count_rows("rights"), count_rows("credit_consumptions")

    with pytest.raises(Conflict) as refused:
        rights.register(runtime, caller(GENT), on_credit(permit, "1CRD002", start=0, end=1))
    assert [e.field for e in refused.value.errors] == ["sourcePermit"]
    assert (count_rows("rights"), count_rows("credit_consumptions")) == before
    assert used(runtime, permit) == AVAILABLE


def test_a_revoked_right_gives_its_minutes_back(runtime, permit):
    right = rights.register(runtime, caller(GENT), on_credit(permit, end=115)).document
    assert used(runtime, permit) == 120
    rights.revoke(runtime, caller(GENT), right["id"])
    assert used(runtime, permit) == 0


@pytest.mark.parametrize(("change", "field"), [
    ({"plate": "1CRD999"}, "sourcePermit"),
    ({"start": 60 * 24 * 400, "end": 60 * 24 * 400 + 30}, "validityPeriod"),
], ids=["another plate", "outside the credit's period"])
def test_a_right_the_credit_is_not_for_is_refused(runtime, permit, count_rows, change, field):
    before = count_rows("rights")
    with pytest.raises(Invalid) as refused:
        rights.register(runtime, caller(GENT), on_credit(permit, **change))
    assert [e.field for e in refused.value.errors] == [field]
    assert count_rows("rights") == before and used(runtime, permit) == 0


def test_an_open_ended_right_cannot_use_a_credit(runtime, permit):
    body = on_credit(permit)
    del body["validityPeriod"]["endTime"]
    with pytest.raises(Invalid) as refused:
        rights.register(runtime, caller(GENT), body)
    assert [e.field for e in refused.value.errors] == ["validityPeriod.endTime"]


def test_a_client_cannot_say_what_its_right_took(runtime, permit):
    right = rights.register(runtime, caller(GENT),
                            on_credit(permit, creditMinutesUsed=1)).document
    assert right["creditMinutesUsed"] == 60


def test_a_permit_change_keeps_the_count_of_its_credit(runtime, permit):
    rights.register(runtime, caller(GENT), on_credit(permit))
    stale = dict(permit, holderReference="gent-bewoner-krediet-2")  # minutesUsed 0, as read
    changed = permits.replace(runtime, caller(GENT), permit["id"], stale)
    assert changed["credit"]["minutesUsed"] == 60


def test_the_report_gives_used_and_left_minutes_per_plate_by_pseudonym(store, runtime, permit):
    rights.register(runtime, caller(GENT), on_credit(permit, "1CRD001", end=25))
    rights.register(runtime, caller(GENT), on_credit(permit, "1CRD002", end=55))
    rights.register(runtime, caller(GENT), on_credit(permit, "1CRD002", start=60, end=70))

    report = next(r for r in credits.report(runtime, caller(GENT)) if r["permit"] == permit["id"])

    assert (report["minutesAvailable"], report["minutesUsed"], report["minutesLeft"]) == (
        180, 100, 80)
    assert sorted((p["plate"], p["minutesUsed"], p["rights"]) for p in report["plates"]) == sorted([
        ("X" + pseudonym(store, demo.GENT, "1CRD001")[:24].upper(), 30, 1),
        ("X" + pseudonym(store, demo.GENT, "1CRD002")[:24].upper(), 70, 2)])
    assert "1CRD00" not in json.dumps(report)


def test_racing_registrations_never_take_more_than_the_credit(store, permit):
    """Eight registrations of an hour each at once, through their own runtimes (as through
    several instances), against three hours of credit: exactly three are stored."""
    start = threading.Barrier(8)

    def register(index: int) -> str:
        runtime = Runtime(store)
        try:
            start.wait()
            rights.register(runtime, caller(GENT), on_credit(
                permit, "1CRD001" if index % 2 else "1CRD002", start=-5 + index, end=55 + index))
            return "stored"
        except Conflict:
            return "refused"
        finally:
            runtime.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(register, range(8)))

    assert sorted(outcomes) == ["refused"] * 5 + ["stored"] * 3
    check = Runtime(store)
    try:
        assert used(check, permit) == AVAILABLE
        report = next(r for r in credits.report(check, caller(GENT))
                      if r["permit"] == permit["id"])
        assert sum(p["minutesUsed"] for p in report["plates"]) == AVAILABLE
    finally:
        check.close()


def _from_start(right, minutes):
    return parse_instant(right["validityPeriod"]["startTime"], "start") + timedelta(
        minutes=minutes)


def test_a_right_ended_early_takes_only_the_minutes_it_ran(runtime, permit):
    right = rights.register(runtime, caller(GENT), on_credit(permit, start=-30, end=90)).document
    assert used(runtime, permit) == 120

    ended = rights.end(runtime, caller(GENT), right["id"], _from_start(right, 30))

    assert ended["creditMinutesUsed"] == 30
    assert used(runtime, permit) == 30


def test_moving_a_rights_end_takes_or_gives_back_minutes_within_the_credit(runtime, permit,
                                                                           count_rows):
    right = rights.register(runtime, caller(GENT), on_credit(permit, start=-5, end=55)).document
    later = format_instant(_from_start(right, 120))
    longer = rights.adjust(runtime, caller(GENT), right["id"],
                           {"validityPeriod": {"endTime": later}})
    assert longer["creditMinutesUsed"] == 120 and used(runtime, permit) == 120

    too_long = format_instant(_from_start(right, 60 * 5))
    with pytest.raises(Conflict) as refused:
        rights.adjust(runtime, caller(GENT), right["id"],
                      {"validityPeriod": {"endTime": too_long}})
    assert [e.field for e in refused.value.errors] == ["validityPeriod.endTime"]
    assert used(runtime, permit) == 120

    sooner = format_instant(_from_start(right, 30))
    shorter = rights.adjust(runtime, caller(GENT), right["id"],
                            {"validityPeriod": {"endTime": sooner}})
    assert shorter["creditMinutesUsed"] == 30 and used(runtime, permit) == 30
