"""Money is a JSON string. A JSON number there is refused by every validator, naming the field.

JSON-LD turns ``4.15`` under a decimal term into the ill-typed ``"4.15E0"^^xsd:decimal`` and ``4``
into ``"4"``, which no RDF tool can tell from the string ``"4"``; rdflib even rewrites ``"4.15E0"``
to ``"4.15"`` while parsing. So the register's validator refuses the number when it reads the JSON
(both engines), the JSON Schema refuses it, and the profile's decimal pattern refuses the double
form in an engine that keeps lexical forms (shown here with rdflib's normalisation switched off,
as Jena behaves).
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
import rdflib
from pyld import jsonld
from rdflib import Graph

from vptr.validation import PayloadError, validate_document, validate_payload

CONTEXT_IRI = "https://data.vlaanderen.be/doc/applicatieprofiel/parkeren-en-toegang/context.jsonld"
ID = "https://data.parkeerregister.vlaanderen.be/id/"
RIGHT: dict[str, Any] = {
    "@context": CONTEXT_IRI, "type": "Right", "rightKind": "parking", "zone": ID + "zone/z",
    "vehicle": {"licencePlate": {"plateNumber": "1ABC123", "country": "BE"}},
    "validityPeriod": {"startTime": "2026-03-02T10:00:00+01:00"},
    "provider": ID + "organisation/p", "channel": "app", "rightStatus": "active",
    "amountPaid": {"value": "4.15", "currency": "EUR", "vatAmount": "0.72"},
}


def _with(path: str, value: Any) -> dict[str, Any]:
    document = copy.deepcopy(RIGHT)
    *parents, last = path.split(".")
    target = document
    for part in parents:
        target = target[part]
    target[last] = value
    return document


def test_money_as_a_string_conforms() -> None:
    assert validate_document(RIGHT).conforms
    assert validate_document(RIGHT, engine="pyshacl").conforms


@pytest.mark.parametrize("engine", ["fast", "pyshacl"])
@pytest.mark.parametrize("number", [4.15, 4, 4.0, 0])
@pytest.mark.parametrize("field", ["amountPaid.value", "amountPaid.vatAmount"])
def test_money_as_a_json_number_is_refused_naming_the_field(engine: str, number: float,
                                                            field: str) -> None:
    with pytest.raises(PayloadError) as refused:
        validate_document(_with(field, number), engine=engine)  # type: ignore[arg-type]
    assert refused.value.field == "/" + field.replace(".", "/")
    assert "JSON string" in refused.value.reason


def test_a_decimal_number_deep_inside_a_regime_is_refused_there() -> None:
    regime = {"type": "Regime", "tariff": {"currency": "EUR", "tariffSteps": [
        {"startDuration": 0, "amount": "0.50"}, {"startDuration": 60, "amount": 1.5}]}}
    with pytest.raises(PayloadError) as refused:
        validate_payload(json.dumps(regime))
    assert refused.value.field == "/tariff/tariffSteps/1/amount"


def _graph_keeping_lexical_forms(document: dict[str, Any]) -> Graph:
    from vptr import paths

    context = json.loads(paths.Artefact.CONTEXT.path().read_text("utf-8"))
    quads = jsonld.to_rdf(document, {"format": "application/n-quads", "documentLoader":
                                     lambda url, options=None: {"contextUrl": None,
                                                                "documentUrl": url,
                                                                "document": context}})
    before = rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = False
    try:
        return Graph().parse(data=quads, format="nquads")
    finally:
        rdflib.NORMALIZE_LITERALS = before


def test_the_profile_refuses_the_double_json_ld_makes_of_money_where_lexical_forms_are_kept():
    import pyshacl

    from vptr.validation.service import profile_graph

    graph = _graph_keeping_lexical_forms(_with("amountPaid.value", 4.15))
    assert "4.15E0" in {str(o) for o in graph.objects()}
    conforms, _, text = pyshacl.validate(graph, shacl_graph=profile_graph(),
                                               inference="none")
    assert not conforms
    assert "vptrsh:MonetaryAmount.value" in text and "PatternConstraintComponent" in text
    assert pyshacl.validate(_graph_keeping_lexical_forms(RIGHT), shacl_graph=profile_graph(),
                            inference="none")[0]
