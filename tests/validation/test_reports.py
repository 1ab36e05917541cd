"""A report for people (text in Dutch or English) and for machines (a SHACL validation report in
Turtle or JSON-LD, the same triples either way)."""

from __future__ import annotations

import json

from rdflib import Graph, Literal
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SH, XSD

from vptr.validation import validate_document
from vptr.validation.report_rdf import to_jsonld, to_turtle
from vptr.validation.report_text import render

from .corpus import SHAPE_EXAMPLES

DEEP = (SHAPE_EXAMPLES / "invalid"
        / "TariffStepsDoNotOverlap-open-step-not-last-deep-in-time-slot.json")


def broken_regime() -> dict:
    document = json.loads(DEEP.read_text(encoding="utf-8"))
    document["timeSlots"][0]["tariff"]["currency"] = "eur"
    return document


def test_the_text_report_names_object_property_and_problem_in_english() -> None:
    text = render(validate_document(broken_regime()), "en", "regime.json")
    assert text.startswith("regime.json: 3 violations (")  # eur: form and code list
    assert "Tariff step at timeSlots[0].tariff.tariffSteps[1]" in text
    assert "start duration (startDuration): The tariff step starts inside another step" in text
    assert "currency: must be three capital letters, the currency code (EUR) (value: eur)" in text
    assert "currency: not a value of the code list (value: eur)" in text


def test_the_text_report_speaks_dutch_on_request() -> None:
    text = render(validate_document(broken_regime()), "nl")
    assert text.startswith("3 overtredingen (")
    assert "Tariefschijf in timeSlots[0].tariff.tariffSteps[1]" in text
    assert "beginduur (startDuration): De tariefschijf begint binnen een andere schijf" in text
    assert "(waarde: 60)" in text


def test_a_conforming_payload_says_so() -> None:
    document = broken_regime()
    document["timeSlots"][0]["tariff"]["currency"] = "EUR"
    document["timeSlots"][0]["tariff"]["tariffSteps"][0]["endDuration"] = 60
    assert render(validate_document(document), "nl").startswith("conform (")


def test_both_engines_explain_a_violation_in_the_same_words() -> None:
    fast = validate_document(broken_regime())
    reference = validate_document(broken_regime(), engine="pyshacl")
    assert ({v.key(): v.messages for v in fast.violations}
            == {v.key(): v.messages for v in reference.violations})


def test_turtle_and_json_ld_reports_hold_the_same_shacl_validation_report() -> None:
    report = validate_document(broken_regime())
    turtle = Graph().parse(data=to_turtle([("regime.json", report)]), format="turtle")
    jsonld = Graph().parse(data=to_jsonld([("regime.json", report)]), format="json-ld")
    assert isomorphic(turtle, jsonld)
    node = next(turtle.subjects(RDF.type, SH.ValidationReport))
    assert turtle.value(node, SH.conforms) == Literal(False)
    results = list(turtle.objects(node, SH.result))
    assert len(results) == len(report.violations) == 3  # eur breaks the form and the code list
    messages = {m.language for r in results for m in turtle.objects(r, SH.resultMessage)}
    assert messages == {"nl", "en"}
    values = {turtle.value(r, SH.value) for r in results}
    assert Literal("60", datatype=XSD.integer) in values


def test_a_json_ld_report_of_a_conforming_payload_is_plain_json() -> None:
    document = json.loads((SHAPE_EXAMPLES / "valid" / "TariffStepsContiguous-last-step-closed.json")
                          .read_text(encoding="utf-8"))
    body = json.loads(to_jsonld([(None, validate_document(document))]))
    assert body["@type"] == "ValidationReport" and body["conforms"] is True
    assert body["result"] == []
