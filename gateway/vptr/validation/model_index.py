"""The model as the validators need it, read from the generated model-index.json (no LinkML import)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from .. import paths


@dataclass(frozen=True)
class PropertyInfo:
    name: str
    iri: str
    kind: str  # class | enum | datatype | iri
    range: str
    range_iri: str
    required: bool
    multivalued: bool
    inlined: bool


@dataclass(frozen=True)
class ClassInfo:
    name: str
    iri: str
    properties: dict[str, PropertyInfo]
    by_iri: dict[str, PropertyInfo]


@dataclass(frozen=True)
class ModelIndex:
    namespace: str
    classes: dict[str, ClassInfo]
    classes_by_iri: dict[str, ClassInfo]
    enums: dict[str, dict[str, str]]


@cache
def model_index() -> ModelIndex:
    raw: dict[str, Any] = json.loads(paths.Artefact.MODEL_INDEX.path().read_text(encoding="utf-8"))
    classes: dict[str, ClassInfo] = {}
    for name, cls in raw["classes"].items():
        props = {
            pname: PropertyInfo(pname, p["iri"], p["kind"], p["range"], p["rangeIri"],
                                p["required"], p["multivalued"], p["inlined"])
            for pname, p in cls["properties"].items()
        }
        classes[name] = ClassInfo(name, cls["iri"], props, {p.iri: p for p in props.values()})
    return ModelIndex(raw["namespace"], classes, {c.iri: c for c in classes.values()}, raw["enums"])
