"""JSON Schema (draft 2020-12) of the payloads, and the Pydantic module.

The JSON Schema is written from the model's terms, not by gen-jsonschema: that one describes
LinkML's own JSON (draft 2019-09, a root that accepts anything, no ``type`` key, decimals as JSON
numbers) and so refused every payload of the standard. This one describes the JSON-LD payloads
exactly as docs/architecture.md ("Payloads") defines them: keys are slot names, ``id``/``type``
alias ``@id``/``@type``, code-list values are short names, decimals are JSON strings (a JSON number
under a decimal term becomes a double in JSON-LD), references are IRIs of the right kind, nested
objects may carry their ``type`` or not. The root accepts a document of a class that stands on its
own (one with an identifier), an ``@graph`` of them or an array of them, and nothing else.

What JSON Schema cannot say stays with the application profile: rules across fields or entities
(a period starts before it ends, tariff steps are contiguous, a plate in its country's form).
"""

from __future__ import annotations

import json
from typing import Any

from .model_loader import LoadedModel
from .shacl import DECIMAL_PATTERN, reference_pattern
from .terms import XSD, ModelClass, Property, Terms

SCHEMA_ID = "https://data.vlaanderen.be/doc/applicatieprofiel/parkeren-en-toegang/schema.json"
CONTEXT_IRI = "https://data.vlaanderen.be/doc/applicatieprofiel/parkeren-en-toegang/context.jsonld"
#: An absolute IRI or a blank node label, as the validator accepts for ``id``.
ID_PATTERN = r"^([A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+|_:[^\s]+)$"
#: Lexical forms of the datatypes the model uses, as their XSD definitions allow (a JSON string).
_LEXICAL = {
    XSD + "date": r"^-?[0-9]{4,}-[0-9]{2}-[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})?$",
    XSD + "time": r"^[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?$",
    XSD + "dateTime": r"^-?[0-9]{4,}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?"
                      r"(Z|[+-][0-9]{2}:[0-9]{2})?$",
}
#: JSON Schema formats that mean the same as the XSD datatype (its "time" and "date-time" demand an
#: offset, which xsd:time and xsd:dateTime leave optional: the patterns say those).
_FORMATS = {XSD + "date": "date"}


def _non_negative(pattern: str) -> str:
    """The decimal pattern without its minus sign (a decimal with ``minimum_value: 0``; the model's
    own patterns allow the sign, so that a negative amount breaks the minimum only)."""
    return pattern.replace("^-?", "^", 1)


def _value_schema(prop: Property, terms: Terms) -> dict[str, Any]:
    """The schema of one value of a property (one item, for a multivalued one)."""
    if prop.range_kind == "class":
        target = terms.classes[prop.range_name]
        if prop.inlined:
            return {"$ref": f"#/$defs/{target.name}"}
        return {"type": "string", "format": "iri", "pattern": reference_pattern(target.iri_kind),
                "description": f"a reference: the IRI of a {target.name}"}
    if prop.range_kind == "enum":
        return {"enum": [v.text for v in terms.enums[prop.range_name].values]}
    if prop.range_kind == "iri":  # the model's own pattern, where it narrows IRIs (homepage)
        return {"type": "string", "format": "iri", "pattern": prop.pattern or ID_PATTERN}
    datatype = prop.range_iri
    schema: dict[str, Any]
    if datatype == XSD + "integer":
        schema = {"type": "integer"}
        if prop.minimum is not None:
            schema["minimum"] = int(prop.minimum)
        if prop.maximum is not None:
            schema["maximum"] = int(prop.maximum)
    elif datatype == XSD + "boolean":
        schema = {"type": "boolean"}
    elif datatype == XSD + "decimal":
        pattern = prop.pattern or DECIMAL_PATTERN
        if prop.minimum is not None and prop.minimum >= 0:
            pattern = _non_negative(pattern)
        schema = {"type": "string", "pattern": pattern,
                  "description": "a decimal written as a JSON string (\"2.50\"), never a number"}
    elif datatype in (XSD + "float", XSD + "double"):
        schema = {"type": "number"}
    else:
        schema = {"type": "string"}
        pattern = prop.pattern or _LEXICAL.get(datatype)
        if pattern:
            schema["pattern"] = pattern
        if prop.allowed:
            schema["enum"] = list(prop.allowed)
        if datatype in _FORMATS:
            schema["format"] = _FORMATS[datatype]
    return schema


def _property_schema(prop: Property, terms: Terms) -> dict[str, Any]:
    item = _value_schema(prop, terms)
    note = item.pop("description", None)  # how the value is written, after the definition
    schema: dict[str, Any] = {"title": prop.labels.en}
    description = " ".join(t for t in (prop.labels.definition_en, note and f"({note})") if t)
    if description:
        schema["description"] = description
    if prop.multivalued:
        schema.update({"type": "array", "items": item, "minItems": 1 if prop.required else 0})
    else:
        schema.update(item if "$ref" not in item else {"allOf": [item]})
    return schema


def _class_schema(cls: ModelClass, terms: Terms) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "type": {"const": cls.name, "description": "the class (optional on a nested object)"},
    }
    if cls.identified:
        properties["id"] = {"type": "string", "pattern": ID_PATTERN,
                            "description": "the IRI that identifies the thing"}
    for prop in cls.properties:
        properties[prop.name] = _property_schema(prop, terms)
    schema: dict[str, Any] = {
        "title": cls.labels.en,
        "description": cls.labels.definition_en,
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
    required = [p.name for p in cls.properties if p.required]
    if required:
        schema["required"] = required
    return schema


def json_schema(terms: Terms) -> dict[str, Any]:
    """The schema as data (see the module's docstring)."""
    defs: dict[str, Any] = {cls.name: _class_schema(cls, terms) for cls in terms.classes.values()}
    documents = [cls.name for cls in terms.classes.values() if cls.identified]
    context = {"anyOf": [{"const": CONTEXT_IRI}, {"type": "object"}],
               "description": f"the standard's context: {CONTEXT_IRI} (or left out)"}
    defs["document"] = {
        "description": "An object at the top of a payload: a thing of a class with an identifier, "
                       "which names its class in `type`.",
        "type": "object",
        "required": ["type"],
        "properties": {"type": {"enum": documents}},
        "allOf": [
            {"if": {"properties": {"type": {"const": name}}, "required": ["type"]},
             "then": {"$ref": f"#/$defs/{name}"}}
            for name in documents
        ],
    }
    # A document may carry the context (its class's schema refuses every key it does not know).
    for name in documents:
        defs[name]["properties"]["@context"] = context
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Parkeer- en Toegangsregister: payloads",
        "description": "A payload of the standard: one document, an @graph of documents or an "
                       "array of documents. Decimals are JSON strings; nested objects may leave "
                       "out `type`. Rules across fields are in the application profile (SHACL).",
        # if/then rather than oneOf: a refusal then names the field at fault, not every branch.
        "if": {"type": "array"},
        "then": {"items": {"$ref": "#/$defs/document"}, "minItems": 1},
        "else": {
            "if": {"type": "object", "required": ["@graph"]},
            "then": {"properties": {"@context": context,
                                    "@graph": {"type": "array", "minItems": 1,
                                               "items": {"$ref": "#/$defs/document"}}},
                     "additionalProperties": False},
            "else": {"$ref": "#/$defs/document"},
        },
        "$defs": defs,
    }


def build_json_schema(model: LoadedModel, terms: Terms) -> str:
    del model  # the terms carry everything; the argument keeps the builders' common signature
    return json.dumps(json_schema(terms), indent=2, ensure_ascii=False) + "\n"


def build_pydantic(model: LoadedModel) -> str:
    from linkml.generators.pydanticgen import PydanticGenerator

    code = PydanticGenerator(
        str(model.main_file), mergeimports=True, metadata_mode="None"
    ).serialize()
    header = (
        "# Generated by `vptr generate` from model/ with the LinkML Pydantic generator.\n"
        "# Do not edit: change the model and regenerate.\n"
    )
    return header + code
