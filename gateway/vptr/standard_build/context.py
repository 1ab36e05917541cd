"""The JSON-LD context: the keys of the register's JSON and the IRIs they stand for.

Written from the model's terms instead of gen-jsonld-context, whose enum scopes leak LinkML's own
keys
(``text``, ``meaning``) into payloads and which leans on ``@vocab`` so that a misspelt key silently
becomes a term of the namespace. Here every key is explicit; enumeration values map to their concept
IRIs through a property-scoped context, with the scheme as ``@vocab`` so an unknown value still
expands to an IRI the profile rejects instead of vanishing.
"""

from __future__ import annotations

from typing import Any

from .namespaces import CONCEPT_BASE
from .terms import Terms

XSD = "http://www.w3.org/2001/XMLSchema#"
_REUSED_PREFIXES = (
    "vptr",
    "mobiliteit",
    "besluit",
    "adms",
    "dcterms",
    "m8g",
    "locn",
    "geosparql",
    "org",
    "schema",
    "skos",
    "foaf",
    "xsd",
)


def _compact(iri: str, prefixes: dict[str, str]) -> str:
    best = ""
    for prefix in _REUSED_PREFIXES:
        ns = prefixes.get(prefix, XSD if prefix == "xsd" else "")
        if ns and iri.startswith(ns) and len(ns) > len(best) and iri[len(ns) :].isidentifier():
            best = ns
            found = f"{prefix}:{iri[len(ns) :]}"
    return found if best else iri


def build_context(terms: Terms) -> dict[str, Any]:
    prefixes = terms.prefixes
    context: dict[str, Any] = {"@version": 1.1}
    for prefix in _REUSED_PREFIXES:
        context[prefix] = prefixes.get(prefix, XSD if prefix == "xsd" else None)
    context["id"] = "@id"
    context["type"] = "@type"
    for cls in terms.classes.values():
        context[cls.name] = _compact(cls.iri, prefixes)

    definitions: dict[str, dict[str, Any]] = {}
    for cls in terms.classes.values():
        for prop in cls.properties:
            term: dict[str, Any] = {"@id": _compact(prop.iri, prefixes)}
            if (prop.range_kind == "class" and not prop.inlined) or prop.range_kind == "iri":
                term["@type"] = "@id"
            elif prop.range_kind == "enum":
                enum = terms.enums[prop.range_name]
                scoped: dict[str, Any] = {}
                scheme = enum.scheme_name
                scoped["@vocab"] = CONCEPT_BASE + (scheme or enum.name) + "/"
                for value in enum.values:
                    scoped[value.text] = value.iri
                term["@type"] = "@vocab"
                term["@context"] = scoped
            elif prop.range_kind == "datatype" and prop.range_iri != XSD + "string":
                term["@type"] = _compact(prop.range_iri, prefixes)
            if prop.multivalued:
                term["@container"] = "@set"
            previous = definitions.get(prop.name)
            if previous is not None and previous != term:
                raise ValueError(
                    f"slot {prop.name} needs two different context entries: {previous} and {term}"
                )
            definitions[prop.name] = term
    for name in sorted(definitions):
        context[name] = definitions[name]
    return {"@context": context}
