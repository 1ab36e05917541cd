"""The channel's own serialiser (vptr.opendata.triples) writes the triples rdflib reads from the
same JSON-LD, for every feature of the standard context and the awkward values: escapes, control
characters, numbers under and without datatypes, booleans, code lists, unknown keys, nested and
repeated nodes."""

from __future__ import annotations

import json

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from vptr.opendata.triples import Writer, publishable
from vptr.services import demo
from vptr.validation.loading import context

ID = "https://data.parkeerregister.vlaanderen.be/id/"


def rdflib_graph(document: dict) -> Graph:
    return Graph().parse(data=json.dumps({"@context": context(), **document}), format="json-ld")


def ours(document: dict, fmt: str = "nt") -> Graph:
    writer = Writer()
    text = (writer.ntriples(document) if fmt == "nt"
            else writer.turtle_prefixes() + writer.turtle(document))
    return Graph().parse(data=text, format="nt" if fmt == "nt" else "turtle")


AWKWARD = [
    {"type": "Zone", "id": ID + "zone/a", "name": 'aan "de" kaai\\\n\r\ttab\x01\x7f é 😀',
     "zoneKind": "lowEmissionZone", "capacity": 12, "description": "",
     "allowedFuelTypes": ["electric", "hydrogen"], "unknownKey": "dropped",
     "dcterms:source": "a compact IRI as a key", "validityPeriod": None},
    {"type": "Regime", "id": ID + "regime/r/1", "version": 1, "isVersionOf": ID + "regime/r",
     "name": "R", "rightKind": "parking", "usage": "paidParking",
     "timeSlots": [{"daysOfWeek": ["monday"], "opens": "09:00:00", "closes": "18:00:00",
                    "rightClaimable": False}], "exemptDays": [{"recurringDay": "publicHoliday"}],
     "maximumDuration": 240, "zones": [ID + "zone/a", ID + "zone/b"],
     "tariff": {"name": "T", "currency": "EUR", "dayMaximum": 10, "vatPercentage": 21.5,
                "tariffSteps": [{"startDuration": 0, "amount": "0.40", "stepSize": 15},
                                {"startDuration": 60, "amount": 1.25, "stepSize": 15}]}},
    {"type": ["Organisation"], "id": ID + "organisation/o", "name": "O",
     "roles": ["areaManager", "provider"], "homepage": "https://o.example/a?b=c&d"},
]


@pytest.mark.parametrize("document", AWKWARD, ids=["zone", "regime", "organisation"])
def test_awkward_documents_as_rdflib_reads_them(document):
    published = publishable(document)
    assert isomorphic(ours(published), rdflib_graph(published))
    assert isomorphic(ours(published, "ttl"), rdflib_graph(published))


def test_every_demo_document_as_rdflib_reads_it():
    documents = (demo.zone_documents() + demo.regime_documents()
                 + demo.organisation_documents() + [demo.regime_rood_2026()])
    for document in documents:
        published = publishable(document)
        assert isomorphic(ours(published), rdflib_graph(published)), document.get("id")


def test_numbers_under_a_datatype_are_published_as_their_lexical_form():
    published = publishable(AWKWARD[1])
    assert published["tariff"]["dayMaximum"] == "10"
    assert published["tariff"]["vatPercentage"] == "21.5"
    assert published["tariff"]["tariffSteps"][1]["amount"] == "1.25"
    assert published["maximumDuration"] == 240  # xsd:integer stays a number
    assert published["timeSlots"][0]["rightClaimable"] is False


def test_blank_nodes_are_unique_across_documents_of_one_writer():
    writer = Writer()
    first = writer.ntriples(publishable(AWKWARD[1]))
    second = writer.ntriples(publishable(AWKWARD[1]))
    labels = {word for word in first.split() if word.startswith("_:")}
    assert labels and not labels & {word for word in second.split() if word.startswith("_:")}


def test_an_iri_never_breaks_the_n_triples():
    from vptr.opendata.triples import iri_term
    assert iri_term("https://x.example/a b>c") == "<https://x.example/a%20b%3Ec>"
