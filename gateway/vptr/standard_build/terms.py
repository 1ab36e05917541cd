"""The model's terms as the artefacts need them: IRIs, labels, ranges, multiplicities.

One place that answers "what is this slot's IRI and range in this class", so the vocabulary, the
context, the shapes, the HTML and the validators cannot disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from linkml_runtime.linkml_model.meta import ClassDefinition, EnumDefinition, SlotDefinition

from .model_loader import LoadedModel

XSD = "http://www.w3.org/2001/XMLSchema#"
DATATYPES = {
    "string": XSD + "string",
    "integer": XSD + "integer",
    "boolean": XSD + "boolean",
    "float": XSD + "float",
    "double": XSD + "double",
    "decimal": XSD + "decimal",
    "time": XSD + "time",
    "date": XSD + "date",
    "datetime": XSD + "dateTime",
}
IRI_TYPES = {"uri", "uriorcurie", "curie"}


@dataclass(frozen=True)
class Labels:
    en: str
    nl: str
    definition_en: str
    definition_nl: str
    #: How to use the term (``vann:usageNote``), where the model gives one.
    usage_nl: str = ""
    usage_en: str = ""


@dataclass
class EnumValue:
    text: str
    iri: str
    labels: Labels


@dataclass
class Enumeration:
    name: str
    labels: Labels
    values: list[EnumValue]
    file: str

    @property
    def scheme_name(self) -> str | None:
        """The concept scheme the values belong to, when they are this standard's own concepts."""
        from .namespaces import CONCEPT_BASE

        schemes = {
            v.iri[len(CONCEPT_BASE) :].split("/")[0]
            for v in self.values
            if v.iri.startswith(CONCEPT_BASE)
        }
        return schemes.pop() if len(schemes) == 1 else None


@dataclass
class Property:
    """A slot as used by one class (slot_usage applied)."""

    name: str
    iri: str
    labels: Labels
    range_kind: str  # "class" | "enum" | "datatype" | "iri"
    range_name: str
    range_iri: str
    required: bool
    multivalued: bool
    inlined: bool
    pattern: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    default: str | None = None
    #: The only strings the property takes (``equals_string_in``: a code list kept as literals,
    #: such as ISO 3166-1 countries), or None.
    allowed: tuple[str, ...] | None = None


@dataclass
class ModelClass:
    name: str
    iri: str
    labels: Labels
    parent: str | None
    properties: list[Property] = field(default_factory=list)
    file: str = ""
    #: Has an identifier slot: a thing of its own (a document a payload may hold at its top),
    #: not an object that only ever lives embedded in another.
    identified: bool = False

    @property
    def iri_kind(self) -> str:
        """The path segment of its data IRIs (``.../id/{kind}/{reference}``): the class name in
        kebab case (``WhitelistEntry`` -> ``whitelist-entry``), as docs/architecture.md says."""
        return re.sub(r"(?<!^)(?=[A-Z])", "-", self.name).lower()

    def property(self, name: str) -> Property:
        return next(p for p in self.properties if p.name == name)


@dataclass
class Terms:
    """All terms of the model, in model order."""

    namespace: str
    prefixes: dict[str, str]
    classes: dict[str, ModelClass]
    enums: dict[str, Enumeration]
    slot_labels: dict[str, Labels]
    slot_iris: dict[str, str]
    datatype_iris: dict[str, str]

    def class_by_iri(self, iri: str) -> ModelClass:
        return next(c for c in self.classes.values() if c.iri == iri)


def _labels(
    model: LoadedModel, element: ClassDefinition | SlotDefinition | EnumDefinition
) -> Labels:
    return Labels(
        en=model.annotation(element, "label_en") or "",
        nl=model.annotation(element, "label_nl") or "",
        definition_en=str(element.description or "").strip(),
        definition_nl=(model.annotation(element, "definition_nl") or "").strip(),
        usage_nl=(model.annotation(element, "usage_note_nl") or "").strip(),
        usage_en=(model.annotation(element, "usage_note_en") or "").strip(),
    )


def collect_terms(model: LoadedModel) -> Terms:
    view = model.view
    expand = view.expand_curie
    datatype_iris = dict(DATATYPES)
    for name, typ in view.all_types().items():
        if typ.uri and name not in datatype_iris and name not in IRI_TYPES:
            datatype_iris[name] = expand(typ.uri)

    enums: dict[str, Enumeration] = {}
    for name, enum in view.all_enums().items():
        values = [
            EnumValue(text, expand(pv.meaning), _labels(model, pv))
            for text, pv in enum.permissible_values.items()
        ]
        enums[name] = Enumeration(name, _labels(model, enum), values, model.file_of(enum))

    slot_labels: dict[str, Labels] = {}
    slot_iris: dict[str, str] = {}
    for name, slot in view.all_slots().items():
        slot_labels[name] = _labels(model, slot)
        if not slot.identifier:
            slot_iris[name] = expand(slot.slot_uri)

    classes: dict[str, ModelClass] = {}
    for name in view.all_classes():
        cls = view.get_class(name)
        mc = ModelClass(
            name, expand(cls.class_uri), _labels(model, cls), cls.is_a, file=model.file_of(cls)
        )
        for slot in view.class_induced_slots(name):
            if slot.identifier:
                mc.identified = True
                continue
            rng = slot.range or view.schema.default_range
            if rng in view.all_classes():
                kind, rng_iri = "class", expand(view.get_class(rng).class_uri)
            elif rng in enums:
                kind, rng_iri = "enum", ""
            elif rng in IRI_TYPES:
                kind, rng_iri = "iri", ""
            else:
                kind, rng_iri = "datatype", datatype_iris.get(rng, DATATYPES["string"])
            inlined = bool(slot.inlined or slot.inlined_as_list) and kind == "class"
            labels = _labels(model, slot)
            base = slot_labels[slot.name]
            if not labels.en:  # slot_usage without its own labels keeps the slot's
                labels = base
            default = None
            if slot.ifabsent:
                default = str(slot.ifabsent)
                if default.startswith("string(") and default.endswith(")"):
                    default = default[7:-1]
            mc.properties.append(
                Property(
                    name=slot.name,
                    iri=slot_iris[slot.name],
                    labels=labels,
                    range_kind=kind,
                    range_name=rng,
                    range_iri=rng_iri,
                    required=bool(slot.required),
                    multivalued=bool(slot.multivalued),
                    inlined=inlined,
                    pattern=slot.pattern,
                    minimum=slot.minimum_value,
                    maximum=slot.maximum_value,
                    default=default,
                    allowed=tuple(slot.equals_string_in) if slot.equals_string_in else None,
                )
            )
        classes[name] = mc
    prefixes = {p: str(v) for p, v in view.namespaces().items()}
    return Terms(model.namespace, prefixes, classes, enums, slot_labels, slot_iris, datatype_iris)
