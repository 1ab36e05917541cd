"""What an area manager reads to bill and to answer for its data
(vptr.services.administration): requests counted per day, organisation and operation, and the
audit log, each of its own tenant only; a platform operator reads every tenant; nobody else reads
either."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from support.builders import right_body

from vptr.errors import Forbidden, Invalid
from vptr.paging import Page
from vptr.services import administration, demo, rights
from vptr.services.checking import Question, ask

from .world import GENT, PARKPLUS, SCANMOBIEL, caller, pseudonym

PAGE = Page(1, 100)
APP_COUNTRY, APP_PLATE = demo.PLATE_APP_RIGHT
OPERATION = "checkRight (services specification)"


def hour_around_now():
    now = datetime.now(UTC)
    return now - timedelta(hours=1), now + timedelta(hours=1)


def test_a_use_case_notes_the_tenant_served_and_the_area_manager_reads_that_count(
        runtime, antwerpen_tenant):
    def served(tenant: str) -> None:  # as a channel meters a request
        runtime.metering.count(demo.SCANMOBIEL, tenant, OPERATION)

    ask(runtime, caller(SCANMOBIEL, served), Question(plate=APP_PLATE, country=APP_COUNTRY,
                                                      zones=(demo.ZONE_ROOD,)))
    runtime.metering.flush()

    report = administration.metering_report(runtime, caller(GENT))
    assert report.tenants == [demo.GENT]
    # (only this test's operation: another test's app may still be flushing its own counts)
    assert [(r.tenant, r.organisation, r.count) for r in report.rows
            if r.operation == OPERATION] == [(demo.GENT, demo.SCANMOBIEL, 1)]
    other = administration.metering_report(runtime, caller(antwerpen_tenant.principal))
    assert [r for r in other.rows if r.operation == OPERATION] == []


def test_only_an_area_manager_or_a_platform_operator_reads_reports(runtime, store, monkeypatch):
    since, until = hour_around_now()
    with pytest.raises(Forbidden):
        administration.metering_report(runtime, caller(PARKPLUS))
    with pytest.raises(Forbidden):
        administration.audit_entries(runtime, caller(SCANMOBIEL), since, until, PAGE)
    with pytest.raises(Forbidden):
        administration.metering_report(runtime, caller(GENT),
                                       tenant=demo.ID + "organisation/stad-antwerpen")

    monkeypatch.setattr(store.settings, "platform_operators", [demo.SCANMOBIEL])
    assert administration.metering_report(runtime, caller(SCANMOBIEL)).tenants is None
    assert administration.metering_report(runtime, caller(SCANMOBIEL),
                                          tenant=demo.GENT).tenants == [demo.GENT]


def test_the_audit_log_finds_every_access_to_a_plate_by_its_pseudonym(store, runtime):
    since, until = hour_around_now()
    registered = rights.register(runtime, caller(PARKPLUS), right_body(plate="1AUD001"))
    ask(runtime, caller(SCANMOBIEL), Question(plate="1AUD001", country="BE",
                                              zones=(demo.ZONE_ROOD,)))

    entries, total = administration.audit_entries(runtime, caller(GENT), since, until, PAGE,
                                                  plate=("1AUD001", "BE"))

    assert total == 2
    assert [(e.action, e.organisation, e.resource) for e in entries] == [
        ("check", demo.SCANMOBIEL, registered.document["id"]),
        ("create", demo.PARKPLUS, registered.document["id"])]  # newest first
    assert {e.plate_hash for e in entries} == {pseudonym(store, demo.GENT, "1AUD001")}


def test_reports_refuse_empty_or_endless_periods(runtime, store, monkeypatch):
    since, until = hour_around_now()
    with pytest.raises(Invalid) as backwards:
        administration.audit_entries(runtime, caller(GENT), until, since, PAGE)
    with pytest.raises(Invalid) as too_long:
        administration.metering_report(runtime, caller(GENT), first=date(2025, 1, 1),
                                       last=date(2026, 6, 1))
    with pytest.raises(Invalid) as before_start:
        administration.metering_report(runtime, caller(GENT), first=date(2026, 6, 2),
                                       last=date(2026, 6, 1))
    monkeypatch.setattr(store.settings, "platform_operators", [demo.SCANMOBIEL])
    with pytest.raises(Invalid) as which_tenant:
        administration.audit_entries(runtime, caller(SCANMOBIEL), since, until, PAGE,
                                     plate=("1AUD001", "BE"))
    assert [e.field for e in backwards.value.errors] == ["to"]
    assert [e.field for e in too_long.value.errors] == ["to"]
    assert [e.field for e in before_start.value.errors] == ["to"]
    assert [e.field for e in which_tenant.value.errors] == ["tenant"]
