"""The fast validator reports what pySHACL reports: the same violations, keyed by the object's
class, the property and where it sits, the rule and the shape, on every example of
``shapes/examples`` and ``examples/``, on payloads broken in many ways, and on a generated bulk
set of rights.

pySHACL over the published profile is the reference: it is correct and slow. If these tests fail,
the fast validator has a bug (or rdflib changed its mind about a literal).
"""

from __future__ import annotations

import copy
import sys
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from rdflib import Graph

from vptr.validation import PayloadError, validate_document, validate_graph
from vptr.validation.loading import json_to_graph, prepare_json

from .corpus import ROOT, SHAPE_EXAMPLES, Example, class_examples, example_id, shape_examples

if str(ROOT) not in sys.path:  # the bulk generator lives with the benchmarks
    sys.path.insert(0, str(ROOT))


def keys(report: Any) -> Counter:
    return Counter(v.key() for v in report.violations)


def assert_same(document: Any, supporting: Any = None) -> Any:
    fast = validate_document(document, supporting=supporting)
    reference = validate_document(document, supporting=supporting, engine="pyshacl")
    assert keys(fast) == keys(reference), (
        f"fast only: {keys(fast) - keys(reference)}; pyshacl only: {keys(reference) - keys(fast)}")
    assert fast.focus_nodes == reference.focus_nodes
    assert fast.conforms == reference.conforms
    return fast


@pytest.mark.parametrize("example", shape_examples() + class_examples(), ids=example_id)
def test_the_engines_agree_on_every_example(example: Example) -> None:
    assert_same(example.document(), example.supporting())


# ----------------------------------------------------------------------------- broken payloads
def _load(name: str) -> dict[str, Any]:
    import json

    return json.loads((SHAPE_EXAMPLES / "valid" / f"{name}.json").read_text(encoding="utf-8"))


RIGHT = "PeriodStartsBeforeEnd-right-of-two-hours"
REGIME = "TariffStepStartsBeforeEnd-three-ordered-steps"
WHITELIST = "WhitelistEntryWithinWhitelistPeriod-inside"
PLATES = "LicencePlateNormalisedForCountry-five-countries"
MAXIMUM = "RightWithinMaximumDuration-two-of-three-hours"


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def mutate(document: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = document
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        if value is _DELETE:
            del node[int(last) if last.isdigit() else last]
        else:
            node[int(last) if last.isdigit() else last] = value
    return mutate


_DELETE = object()
MUTATIONS: list[tuple[str, str, Callable[[dict[str, Any]], None]]] = [
    (RIGHT, "start without time zone", _set("validityPeriod.startTime", "2026-03-02T09:00:00")),
    (RIGHT, "start after end, no time zone", _set("validityPeriod.startTime",
                                                  "2026-03-02T23:00:00")),
    (RIGHT, "start not a date-time", _set("validityPeriod.startTime", "gisteren")),
    (RIGHT, "end a date only", _set("validityPeriod.endTime", "2026-03-02")),
    (RIGHT, "start with a space for the T", _set("validityPeriod.startTime",
                                                 "2026-03-02 10:00:00+01:00")),
    (RIGHT, "end in the basic format", _set("validityPeriod.endTime", "20260302T120000+0100")),
    (RIGHT, "created in UTC with milliseconds", _set("created", "2026-03-02T09:00:00.250Z")),
    (RIGHT, "start a JSON number", _set("validityPeriod.startTime", 5)),
    (RIGHT, "end a JSON boolean", _set("validityPeriod.endTime", True)),
    (RIGHT, "two ends", _set("validityPeriod.endTime", ["2026-03-02T12:00:00+01:00",
                                                        "2026-03-02T13:00:00+01:00"])),
    (RIGHT, "amount a JSON float", _set("amountPaid.value", 2.5)),
    (RIGHT, "amount not a number", _set("amountPaid.value", "abc")),
    (RIGHT, "amount negative", _set("amountPaid.value", "-0.01")),
    (RIGHT, "amount NaN", _set("amountPaid.value", "NaN")),
    (RIGHT, "channel unknown", _set("channel", "pigeon")),
    (RIGHT, "channel an IRI", _set("channel", "https://example.org/channel")),
    (RIGHT, "channel names a term", _set("channel", "zone")),
    (RIGHT, "no status", _set("rightStatus", _DELETE)),
    (RIGHT, "two statuses", _set("rightStatus", ["active", "ended"])),
    (RIGHT, "empty vehicle", _set("vehicle", {})),
    (RIGHT, "vehicle a string", _set("vehicle", "1ABC123")),
    (RIGHT, "vehicle a number", _set("vehicle", 7)),
    (RIGHT, "vehicle typed as a zone", _set("vehicle", {"type": "Zone", "name": "x"})),
    (RIGHT, "plate in lower case", _set("vehicle.licencePlate.plateNumber", "1abc123")),
    (RIGHT, "country in lower case", _set("vehicle.licencePlate.country", "be")),
    (RIGHT, "country UK, not the ISO GB", _set("vehicle.licencePlate.country", "UK")),
    (RIGHT, "country of two letters no one has", _set("vehicle.licencePlate.country", "XX")),
    (RIGHT, "currency of three letters no one has", _set("amountPaid.currency", "XYZ")),
    (RIGHT, "plate a number", _set("vehicle.licencePlate.plateNumber", 1234)),
    (RIGHT, "zone embedded with a name", _set("zone", {"id": "https://data.parkeerregister."
                                                            "vlaanderen.be/id/zone/x", "name": 3})),
    (RIGHT, "zone a blank object", _set("zone", {"name": "Kouter"})),
    (RIGHT, "unknown compact IRI key", _set("vptr:colour", "red")),
    (RIGHT, "model property as compact IRI", _set("vptr:channel", "app")),
    (RIGHT, "value object with language", _set("dcterms:description",
                                               {"@value": "kort", "@language": "nl"})),
    (RIGHT, "client reference a number", _set("clientReference", 12345)),
    (RIGHT, "client reference too long", _set("clientReference", "x" * 41)),
    (RIGHT, "identifier of an unknown scheme", _set("identifiers", [
        {"notation": "1", "identifierScheme": "secret"}])),
    (RIGHT, "two types", _set("type", ["Right", "vptr:Right"])),
    (RIGHT, "two periods", _set("validityPeriod", [
        {"startTime": "2026-03-02T10:00:00+01:00"}, {"startTime": "2026-03-03T10:00:00+01:00"}])),
    (RIGHT, "created naive", _set("created", "2026-03-02T10:00:00")),
    (MAXIMUM, "right longer than its regime allows, naive times", _set("validityPeriod", {
        "startTime": "2026-03-02T10:00:00", "endTime": "2026-03-02T18:00:00"})),
    (MAXIMUM, "right and regime times of mixed kinds", _set("validityPeriod", {
        "startTime": "2026-03-02T10:00:00", "endTime": "2026-03-02T18:00:00+01:00"})),
    (REGIME, "time slot opens when it closes", _set("timeSlots.0.closes", "09:00:00")),
    (REGIME, "time slot closes at midnight in UTC", _set("timeSlots.0.closes", "00:00:00Z")),
    (REGIME, "time slot opens at 9h", _set("timeSlots.0.opens", "9h")),
    (REGIME, "time slot opens without seconds", _set("timeSlots.0.opens", "09:00")),
    (REGIME, "time slot times of mixed kinds", _set("timeSlots.0.opens", "20:00:00+01:00")),
    (REGIME, "tariff currency not ISO 4217", _set("tariff.currency", "XYZ")),
    (REGIME, "two steps start at zero", _set("tariff.tariffSteps.1.startDuration", 0)),
    (REGIME, "step end not a number", _set("tariff.tariffSteps.0.endDuration", "x")),
    (REGIME, "step start a fraction", _set("tariff.tariffSteps.0.startDuration", 1.5)),
    (REGIME, "first step open-ended", _set("tariff.tariffSteps.0.endDuration", _DELETE)),
    (REGIME, "maximum duration zero", _set("maximumDuration", 0)),
    (REGIME, "maximum duration text", _set("maximumDuration", "lang")),
    (REGIME, "unknown day", _set("timeSlots.0.daysOfWeek", ["funday"])),
    (REGIME, "version true", _set("version", True)),
    (REGIME, "right claimable yes", _set("timeSlots.0.rightClaimable", "yes")),
    (REGIME, "exempt day with a date and a recurring day",
     _set("exemptDays", [{"calendarDate": "2026-07-20", "recurringDay": "publicHoliday"}])),
    (REGIME, "exempt day with neither", _set("exemptDays", [{"name": "Braderie"}])),
    (REGIME, "holiday hours beside exempt holidays",
     lambda d: (_set("exemptDays", [{"recurringDay": "publicHoliday"}])(d),
                _set("timeSlots.0.daysOfWeek", ["monday", "publicHoliday"])(d))),
    (WHITELIST, "entry without id", _set("entries.1.id", _DELETE)),
    (WHITELIST, "entry period naive", _set("entries.0.validityPeriod.startTime",
                                           "2025-02-01T00:00:00")),
    (WHITELIST, "list open-ended, entry closed", _set("validityPeriod.endTime", _DELETE)),
    (WHITELIST, "entry ends after the list", _set("entries.0.validityPeriod.endTime",
                                                  "2027-02-01T00:00:00+01:00")),
    (PLATES, "Luxembourg plate too long", _set("entries.5.vehicle.licencePlate.plateNumber",
                                               "AB123456")),
    (PLATES, "French plate with an O", _set("entries.2.vehicle.licencePlate.plateNumber",
                                            "AO123CD")),
    (PLATES, "German number with a leading zero", _set(
        "entries.4.vehicle.licencePlate.plateNumber", "BAB0123")),
]


@pytest.mark.parametrize(("base", "mutate"), [(b, m) for b, _, m in MUTATIONS],
                         ids=[f"{b.split('-', 1)[0]}: {what}" for b, what, _ in MUTATIONS])
def test_the_engines_agree_on_broken_payloads(base: str, mutate: Callable[[Any], None]) -> None:
    example = Example(SHAPE_EXAMPLES / "valid" / f"{base}.json", True)
    document = copy.deepcopy(example.document())
    mutate(document)
    try:
        assert_same(document, example.supporting())
    except PayloadError:
        with pytest.raises(PayloadError):
            validate_document(document, engine="pyshacl")


def test_most_broken_payloads_are_reported_not_refused() -> None:
    """The mutations are worth comparing: nearly all are readable and break a rule."""
    readable = broken = 0
    for base, _, mutate in MUTATIONS:
        document = copy.deepcopy(_load(base))
        mutate(document)
        try:
            report = validate_document(document)
        except PayloadError:
            continue
        readable += 1
        broken += not report.conforms
    assert readable >= len(MUTATIONS) - 6
    assert broken >= readable - 8


def test_the_engines_agree_on_turtle() -> None:
    example = Example(SHAPE_EXAMPLES / "invalid" / "TariffStepsContiguous-gap-between-steps.json",
                      False)
    turtle = json_to_graph(prepare_json(example.document())).serialize(format="turtle")
    graph = Graph().parse(data=turtle, format="turtle")
    fast, reference = validate_graph(graph), validate_graph(graph, engine="pyshacl")
    assert keys(fast) == keys(reference) and not fast.conforms


@pytest.mark.slow
def test_the_engines_agree_on_a_generated_bulk_set() -> None:
    from bench._rights import DEFECTS, bulk_document, supporting

    document, defects = bulk_document(30, defect_rate=0.6, seed=11)
    assert len(defects) >= len(DEFECTS) // 2
    fast = assert_same(document, supporting())
    assert sum(defects.values()) <= len({v.focus for v in fast.violations}) + 2
