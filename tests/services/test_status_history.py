"""The status of rights and permits with the moment it took effect, and its history (issue 13,
item 2): the register keeps ``statusSince`` and every status taken; a check at a past moment
uses the permit's status at that moment; a bad status moment, even deep in a sent history, is
refused and stores nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from support.builders import right_body

from vptr.errors import Invalid
from vptr.services import demo, permits, rights
from vptr.services.checking import Question, ask
from vptr.times import parse_instant

from .world import GENT, PARKPLUS, SCANMOBIEL, caller


def permit_body(plate: str, **extra):
    return {"permitType": "resident", "holderReference": "gent-bewoner-hist",
            "vehicles": [{"licencePlate": {"plateNumber": plate, "country": "BE"}}],
            "zones": [demo.ZONE_KOUTER], "permitStatus": "active",
            "validityPeriod": {"startTime": "2026-01-01T00:00:00+01:00",
                               "endTime": "2027-01-01T00:00:00+01:00"}, **extra}


def statuses(document, key):
    return [(c[key], c["statusSince"]) for c in document[key + "History"]]


def test_a_new_right_is_active_since_its_registration_and_keeps_every_status(runtime):
    right = rights.register(runtime, caller(PARKPLUS), right_body(plate="1HST001")).document
    assert right["statusSince"] == right["created"]
    assert statuses(right, "rightStatus") == [("active", right["created"])]

    ended = rights.end(runtime, caller(PARKPLUS), right["id"], None)
    assert ended["rightStatus"] == "ended"
    assert [s for s, _ in statuses(ended, "rightStatus")] == ["active", "ended"]
    assert ended["statusSince"] == ended["rightStatusHistory"][-1]["statusSince"]

    revoked = rights.revoke(runtime, caller(PARKPLUS), right["id"])
    assert [s for s, _ in statuses(revoked, "rightStatus")] == ["active", "ended", "revoked"]
    assert rights.get(runtime, caller(PARKPLUS), right["id"])["rightStatusHistory"] == \
        revoked["rightStatusHistory"]


def test_a_permits_status_changes_join_its_history_at_the_moment_they_took_effect(runtime):
    permit = permits.create(runtime, caller(GENT), permit_body(
        "1HST002", statusSince="2026-01-01T00:00:00Z"))
    assert statuses(permit, "permitStatus") == [("active", "2026-01-01T00:00:00Z")]

    suspended = permits.replace(runtime, caller(GENT), permit["id"], {
        **permit, "permitStatus": "suspended", "statusSince": "2026-03-01T00:00:00Z"})
    again = permits.replace(runtime, caller(GENT), permit["id"], {
        **suspended, "permitStatus": "active", "statusSince": "2026-05-01T00:00:00Z"})
    renamed = permits.replace(runtime, caller(GENT), permit["id"], {
        **again, "holderReference": "gent-bewoner-hist-2"})  # status unchanged: history too

    assert statuses(renamed, "permitStatus") == [
        ("active", "2026-01-01T00:00:00Z"), ("suspended", "2026-03-01T00:00:00Z"),
        ("active", "2026-05-01T00:00:00Z")]
    assert renamed["statusSince"] == "2026-05-01T00:00:00Z"


def test_a_check_at_a_past_moment_uses_the_permits_status_then(runtime):
    permit = permits.create(runtime, caller(GENT), permit_body(
        "1HST003", statusSince="2026-01-01T00:00:00Z"))
    suspended = permits.replace(runtime, caller(GENT), permit["id"], {
        **permit, "permitStatus": "suspended", "statusSince": "2026-03-01T00:00:00Z"})
    permits.replace(runtime, caller(GENT), permit["id"], {
        **suspended, "permitStatus": "active", "statusSince": "2026-05-01T00:00:00Z"})

    def by_permit(month):
        answer = ask(runtime, caller(SCANMOBIEL), Question(
            plate="1HST003", country="BE", zones=(demo.ZONE_KOUTER,),
            at=datetime(2026, month, 15, 12, tzinfo=UTC)))
        return [g.id for g in answer.result.grants if g.kind == "permit"]

    assert by_permit(2) == [permit["id"]]
    assert by_permit(4) == []
    assert by_permit(6) == [permit["id"]]


def test_a_status_moment_before_the_current_status_is_refused(runtime, count_rows):
    permit = permits.create(runtime, caller(GENT), permit_body(
        "1HST004", statusSince="2026-02-01T00:00:00Z"))
    with pytest.raises(Invalid) as refused:
        permits.replace(runtime, caller(GENT), permit["id"], {
            **permit, "permitStatus": "revoked", "statusSince": "2026-01-15T00:00:00Z"})
    assert [e.field for e in refused.value.errors] == ["statusSince"]
    assert permits.get(runtime, caller(GENT), permit["id"])["permitStatus"] == "active"


def test_a_bad_moment_deep_in_a_sent_history_is_refused_and_nothing_is_stored(runtime,
                                                                              count_rows):
    before = count_rows("permits")
    with pytest.raises(Invalid) as refused:
        permits.create(runtime, caller(GENT), permit_body("1HST005", permitStatusHistory=[
            {"permitStatus": "active", "statusSince": "2026-01-01T00:00:00Z"},
            {"permitStatus": "paused", "statusSince": "morgen"}]))
    fields = {e.field for e in refused.value.errors}
    assert {"permitStatusHistory.permitStatus", "permitStatusHistory.statusSince"} <= fields
    assert count_rows("permits") == before


def test_the_register_keeps_the_history_not_the_one_a_client_sends(runtime):
    permit = permits.create(runtime, caller(GENT), permit_body("1HST006", permitStatusHistory=[
        {"permitStatus": "revoked", "statusSince": "2025-01-01T00:00:00Z"}]))
    assert [s for s, _ in statuses(permit, "permitStatus")] == ["active"]
    assert parse_instant(permit["statusSince"], "statusSince").year >= 2026
