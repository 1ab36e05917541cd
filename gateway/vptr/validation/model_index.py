"""The model as the validators need it, read from the generated model-index.json (no LinkML).

Importing LinkML costs seconds; the validators only need names, IRIs, ranges and labels."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
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
    labels: dict[str, str] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class ClassInfo:
    name: str
    iri: str
    properties: dict[str, PropertyInfo]
    by_iri: dict[str, PropertyInfo]
    labels: dict[str, str] = field(default_factory=dict, compare=False)
    #: A thing of its own that a payload may hold at its top (it has an identifier); the others
    #: only live embedded in one, and the profile reaches them through ``sh:node`` alone.
    document: bool = True


@dataclass(frozen=True)
class ModelIndex:
    namespace: str
    classes: dict[str, ClassInfo]
    classes_by_iri: dict[str, ClassInfo]
    enums: dict[str, dict[str, str]]
    #: Property IRIs that nest an object in its parent (inlined in some class): the field path
    #: of a violation follows these, never a reference.
    inlined_properties: frozenset[str] = frozenset()
    #: Every property IRI of the model with its short name and labels (the first class wins).
    properties_by_iri: dict[str, PropertyInfo] = field(default_factory=dict)
    #: IRIs of the previous version and the IRIs that replaced them (vptr.validation.replaced).
    replaced: dict[str, str] = field(default_factory=dict)
    #: Keys of the previous version removed with no equivalent, each with the note saying what
    #: says it now (a payload naming one is refused with that note, never read as another term).
    removed: dict[str, str] = field(default_factory=dict)

    def _property(self, iri: str, cls: str | None) -> PropertyInfo | None:
        """The property of ``cls`` with that IRI, else the first class's: one IRI can stand behind
        two keys (``vehicle`` of a right, ``vehicles`` of a permit are both vptr:voertuig)."""
        info = self.classes.get(cls) if cls else None
        found = info.by_iri.get(iri) if info is not None else None
        return found or self.properties_by_iri.get(iri)

    def short_name(self, iri: str, cls: str | None = None) -> str:
        """The model's name (the JSON key) of a property IRI in class ``cls``, or the IRI itself
        when the model has none."""
        prop = self._property(iri, cls)
        return prop.name if prop is not None else iri

    def property_label(self, iri: str, lang: str, cls: str | None = None) -> str:
        prop = self._property(iri, cls)
        if prop is None:
            return iri
        return prop.labels.get(lang) or prop.name

    def class_label(self, name: str | None, lang: str) -> str:
        cls = self.classes.get(name or "")
        if cls is None:
            return name or "?"
        return cls.labels.get(lang) or cls.name


@cache
def model_index() -> ModelIndex:
    raw: dict[str, Any] = json.loads(paths.Artefact.MODEL_INDEX.path().read_text(encoding="utf-8"))
    classes: dict[str, ClassInfo] = {}
    for name, cls in raw["classes"].items():
        props = {
            pname: PropertyInfo(pname, p["iri"], p["kind"], p["range"], p["rangeIri"],
                                p["required"], p["multivalued"], p["inlined"],
                                dict(p.get("labels") or {}))
            for pname, p in cls["properties"].items()
        }
        classes[name] = ClassInfo(name, cls["iri"], props, {p.iri: p for p in props.values()},
                                  dict(cls.get("labels") or {}), bool(cls.get("document", True)))
    by_iri: dict[str, PropertyInfo] = {}
    for cls in classes.values():
        for prop in cls.properties.values():
            by_iri.setdefault(prop.iri, prop)
    inlined = frozenset(p.iri for c in classes.values() for p in c.properties.values()
                        if p.kind == "class" and p.inlined)
    return ModelIndex(raw["namespace"], classes, {c.iri: c for c in classes.values()}, raw["enums"],
                      inlined, by_iri, dict(raw.get("replaced", {})),
                      {name: r["note"] for name, r in raw.get("removed", {}).items()})
