"""The check (vptr.services.checking.ask): enforcement and authorised providers check plates in the
zones they may read rights in; a named zone they may not read is refused; at a point, zones of
tenants that did not authorise the caller are left out; every answer, a "no" too, is audited once
per revealed resource under the zone's tenant with the plate's pseudonym, never the plate."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from vptr.errors import Forbidden, Invalid, NotFound
from vptr.services import demo
from vptr.services.checking import Question, ask

from .world import GENT, METERS, PARKPLUS, SCANMOBIEL, assert_no_clear_plate, caller, pseudonym

APP_COUNTRY, APP_PLATE = demo.PLATE_APP_RIGHT
#: A Tuesday morning when paid parking applies in Zuid.
PAID_HOUR = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)


def test_a_plate_with_a_right_may_park_and_the_check_audits_the_right_by_pseudonym(
        store, runtime, audit_log):
    served: list[str] = []

    answer = ask(runtime, caller(SCANMOBIEL, served.append, operation="checkRight"),
                 Question(plate=APP_PLATE, country=APP_COUNTRY, zones=(demo.ZONE_ROOD,)))

    assert answer.result.allowed
    revealed = [g for g in answer.result.grants if g.kind == "right"]
    assert len(revealed) == 1 and revealed[0].zone == demo.ZONE_ROOD
    entries = audit_log()
    assert [(e.action, e.resource_kind, e.resource_id, e.tenant_id, e.plate_hash,
             e.organisation_id, e.operation, e.client_address) for e in entries] == [
        ("check", "right", revealed[0].id, demo.GENT, pseudonym(store, demo.GENT, APP_PLATE),
         demo.SCANMOBIEL, "checkRight", "192.0.2.7")]
    assert_no_clear_plate(entries, APP_PLATE)
    assert served == [demo.GENT]


def test_a_no_is_audited_too_with_the_pseudonym_of_the_plate_asked_about(store, runtime,
                                                                         audit_log):
    answer = ask(runtime, caller(SCANMOBIEL),
                 Question(plate="1NIX000", country="BE", zones=(demo.ZONE_ZUID,), at=PAID_HOUR))

    assert not answer.result.allowed
    entries = audit_log()
    assert [(e.action, e.resource_kind, e.resource_id, e.tenant_id, e.plate_hash)
            for e in entries] == [
        ("check", "right", None, demo.GENT, pseudonym(store, demo.GENT, "1NIX000"))]
    assert_no_clear_plate(entries, "1NIX000")


def test_each_revealed_resource_gets_its_own_entry(store, runtime, audit_log):
    country, plate = demo.PLATE_RESIDENT
    answer = ask(runtime, caller(GENT), Question(plate=plate, country=country,
                                                 zones=(demo.ZONE_KOUTER,)))

    permits = [g for g in answer.result.grants if g.kind == "permit"]
    assert answer.result.allowed and len(permits) == 1
    entries = audit_log()
    assert [(e.resource_kind, e.resource_id, e.plate_hash) for e in entries] == [
        ("permit", permits[0].id, pseudonym(store, demo.GENT, plate))]


def test_a_named_zone_the_caller_may_not_read_is_refused_and_nothing_is_audited(runtime,
                                                                               audit_log):
    # The meter vendor may write rights in Zuid, but read none.
    with pytest.raises(Forbidden):
        ask(runtime, caller(METERS), Question(plate=APP_PLATE, country=APP_COUNTRY,
                                              zones=(demo.ZONE_ZUID,)))
    assert audit_log() == []


def test_at_a_point_the_zones_of_tenants_that_authorised_the_caller_for_nothing_are_absent(
        runtime, antwerpen_tenant, audit_log):
    """As a named zone of such a tenant is not found: neither checked nor named as left out."""
    lon, lat = demo.POINT_KOUTER
    question = Question(plate=APP_PLATE, country=APP_COUNTRY, lon=lon, lat=lat)

    for_gent = ask(runtime, caller(PARKPLUS), question)
    for_antwerpen = ask(runtime, caller(antwerpen_tenant.principal), question)

    assert for_gent.left_out == ()
    assert {z.id for z in for_gent.result.zones} == {demo.ZONE_ROOD, demo.ZONE_KOUTER}
    assert for_gent.result.allowed
    assert for_antwerpen.left_out == ()
    assert [z.id for z in for_antwerpen.result.zones] == [antwerpen_tenant.zone]
    assert not [g for g in for_antwerpen.result.grants if g.kind == "right"]
    tenants_by_caller = {(e.organisation_id, e.tenant_id) for e in audit_log()}
    assert tenants_by_caller == {(demo.PARKPLUS, demo.GENT),
                                 (antwerpen_tenant.principal.organisation,
                                  antwerpen_tenant.principal.organisation)}


def test_a_point_only_in_another_tenants_zone_answers_as_a_point_in_no_zone(
        runtime, antwerpen_tenant):
    in_antwerpen = Question(plate=APP_PLATE, country=APP_COUNTRY, lon=3.705, lat=51.045)
    at_sea = Question(plate=APP_PLATE, country=APP_COUNTRY, lon=2.0, lat=52.0)

    answers = [ask(runtime, caller(SCANMOBIEL), q) for q in (in_antwerpen, at_sea)]

    assert answers[0].result.zones == answers[1].result.zones == ()
    assert answers[0].result.allowed == answers[1].result.allowed
    assert answers[0].result.grants == answers[1].result.grants
    assert answers[0].left_out == answers[1].left_out == ()


def test_at_a_point_zones_the_caller_may_see_but_not_check_in_are_left_out_or_refused(
        runtime, store):
    """The meter vendor sees Gent's configuration (it may write rights in Zuid) but reads no
    right: at a point in Gent it is refused, as for a named zone of Gent."""
    lon, lat = demo.POINT_KOUTER
    with pytest.raises(Forbidden):
        ask(runtime, caller(METERS), Question(plate=APP_PLATE, country=APP_COUNTRY,
                                              lon=lon, lat=lat))


@pytest.mark.parametrize(("question", "field"), [
    (Question(plate=APP_PLATE, country=APP_COUNTRY, zones=(demo.ZONE_ROOD,), lon=3.7, lat=51.0),
     "zone"),
    (Question(plate=APP_PLATE, country=APP_COUNTRY, lon=3.7), "lat"),
    (Question(plate=APP_PLATE, country=APP_COUNTRY, lat=51.0), "lon"),
    (Question(plate=APP_PLATE, country=APP_COUNTRY), "zone"),
], ids=["zone-and-point", "lon-alone", "lat-alone", "nothing"])
def test_a_question_asks_about_zones_or_a_point(runtime, audit_log, question, field):
    with pytest.raises(Invalid) as refused:
        ask(runtime, caller(SCANMOBIEL), question)
    assert [e.field for e in refused.value.errors] == [field]
    assert audit_log() == []


def test_an_unknown_zone_is_not_found(runtime):
    with pytest.raises(NotFound):
        ask(runtime, caller(SCANMOBIEL), Question(plate=APP_PLATE, country=APP_COUNTRY,
                                                  zones=(demo.ZONE_ROOD + "-nergens",)))
