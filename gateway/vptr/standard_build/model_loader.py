"""Loads the model and checks the conventions every element must meet before anything is generated.

The LinkML generators accept many things an OSLO standard must not have (a term without a Dutch
label,
a range that names nothing, two terms on one IRI); catching them here, with the file and the
element,
is what lets the working group edit YAML without reading generator stack traces.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from linkml_runtime.utils.schemaview import SchemaView

from .errors import ModelError, ModelProblem
from .namespaces import CONCEPT_BASE
from .naming import lower_camel, upper_camel

LABEL_KEYS = ("label_en", "label_nl", "definition_nl")
UPPER_CAMEL = re.compile(r"^[A-Z][A-Za-z0-9]*$")
LOWER_CAMEL = re.compile(r"^[a-z][A-Za-z0-9]*$")
PLACEHOLDER = re.compile(r"(?i)\b(todo|fixme|tbd|xxx|enteryourtranslationhere|lorem)\b")
PLACEHOLDER_IRI = re.compile(r"(?i)//([^/]*\.)?(example\.|todo\.|fixme\.|localhost)|tbd|fixme")
BUILTIN_TYPES = {
    "string",
    "integer",
    "boolean",
    "float",
    "double",
    "decimal",
    "time",
    "date",
    "datetime",
    "date_or_datetime",
    "uriorcurie",
    "curie",
    "uri",
    "ncname",
    "objectidentifier",
    "nodeidentifier",
    "jsonpointer",
    "jsonpath",
    "sparqlpath",
}


@dataclass
class LoadedModel:
    """The model as a SchemaView, with the file each of its elements is written in."""

    view: SchemaView
    main_file: Path
    files: dict[str, Path]  # schema id -> file

    def file_of(self, element: Any) -> str:
        source = getattr(element, "from_schema", None)
        path = self.files.get(str(source), self.main_file)
        return path.name

    @property
    def namespace(self) -> str:
        return str(self.view.namespaces()[self.view.schema.default_prefix])

    def annotation(self, element: Any, key: str) -> str | None:
        annotations = getattr(element, "annotations", None) or {}
        if not isinstance(annotations, dict):  # induced slots carry a JsonObj, not a dict
            annotations = {
                k: getattr(annotations, k) for k in vars(annotations) if not k.startswith("_")
            }
        found = annotations.get(key)
        if found is None:
            return None
        if isinstance(found, dict):
            return str(found.get("value"))
        return str(getattr(found, "value", found))


def _read_yaml_files(main_file: Path) -> tuple[dict[str, Path], list[ModelProblem]]:
    """Parses every local module once, so syntax errors name their file and line."""
    files: dict[str, Path] = {}
    problems: list[ModelProblem] = []
    pending = [main_file]
    seen: set[Path] = set()
    while pending:
        path = pending.pop()
        if path in seen:
            continue
        seen.add(path)
        if not path.is_file():
            problems.append(
                ModelProblem(path.name, "imports", "the imported module does not exist")
            )
            continue
        try:
            document = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"line {mark.line + 1}" if mark else "YAML"
            problems.append(ModelProblem(path.name, where, f"not valid YAML: {exc}"))
            continue
        if not isinstance(document, dict) or "id" not in document:
            problems.append(
                ModelProblem(path.name, "id", "a model file must be a schema with an id")
            )
            continue
        files[str(document["id"])] = path
        for imported in document.get("imports") or []:
            if ":" not in str(imported):
                pending.append(path.parent / f"{imported}.yaml")
    return files, problems


def _check_references(files: dict[str, Path]) -> list[ModelProblem]:
    """Names that name nothing, found in the YAML itself: SchemaView would fail on them with an
    error that names neither the file nor the element."""
    documents = {path: yaml.safe_load(path.read_text(encoding="utf-8")) for path in files.values()}
    slots: set[str] = set()
    ranges = set(BUILTIN_TYPES)
    for doc in documents.values():
        slots |= set(doc.get("slots") or {})
        for section in ("classes", "enums", "types"):
            ranges |= set(doc.get(section) or {})
    problems: list[ModelProblem] = []
    for path, doc in documents.items():
        for name, cls in (doc.get("classes") or {}).items():
            cls = cls or {}
            for slot in cls.get("slots") or []:
                if slot not in slots:
                    problems.append(ModelProblem(path.name, f"{name}.{slot}", "names no slot"))
            for slot, usage in (cls.get("slot_usage") or {}).items():
                rng = (usage or {}).get("range")
                if rng is not None and rng not in ranges:
                    problems.append(ModelProblem(
                        path.name, f"{name}.slot_usage.{slot}",
                        f"range {rng!r} names no class, enum or type",
                    ))
    return problems


def load_model(main_file: Path, naming: bool = True) -> LoadedModel:
    """Loads and checks the model; raises ModelError listing every problem found.

    ``naming=False`` skips OSLO's naming rule (IRIs from Dutch labels), which only 1.0 introduced:
    ``vptr diff`` must still read a release made before it."""
    main_file = main_file.resolve()
    files, problems = _read_yaml_files(main_file)
    if not problems:
        problems = _check_references(files)
    if problems:
        raise ModelError(problems)
    try:
        view = SchemaView(str(main_file))
        view.all_elements()
        for cls in view.all_classes():
            view.class_induced_slots(cls)
    except Exception as exc:  # LinkML raises bare ValueErrors and KeyErrors for broken schemas
        raise ModelError([ModelProblem(main_file.name, type(exc).__name__, str(exc))]) from exc
    model = LoadedModel(view=view, main_file=main_file, files=files)
    problems = check_conventions(model, naming)
    if problems:
        raise ModelError(problems)
    return model


def _own(model: LoadedModel, element: Any) -> bool:
    return str(getattr(element, "from_schema", "")) in model.files


def _check_texts(model: LoadedModel, element: Any, name: str, problems: list[ModelProblem]) -> None:
    file = model.file_of(element)
    texts = {"description": element.description}
    texts.update({key: model.annotation(element, key) for key in LABEL_KEYS})
    for key, text in texts.items():
        if not text or not str(text).strip():
            problems.append(ModelProblem(file, name, f"{key} is missing"))
        elif PLACEHOLDER.search(str(text)):
            problems.append(ModelProblem(file, name, f"{key} is a placeholder: {text!r}"))


def _check_iri(
    model: LoadedModel,
    curie: str | None,
    file: str,
    name: str,
    what: str,
    problems: list[ModelProblem],
) -> str | None:
    if not curie:
        problems.append(ModelProblem(file, name, f"{what} is missing"))
        return None
    try:
        iri = model.view.expand_curie(curie)
    except Exception:  # an undeclared prefix
        iri = curie
    if not re.match(r"^https?://[^\s/]+\.[^\s]+$", iri) or PLACEHOLDER_IRI.search(iri):
        problems.append(
            ModelProblem(file, name, f"{what} {curie!r} is not a resolvable http(s) IRI")
        )
        return None
    return iri


def _check_oslo_name(
    model: LoadedModel,
    iri: str | None,
    rule: Callable[[str], str],
    element: Any,
    file: str,
    name: str,
    what: str,
    problems: list[ModelProblem],
) -> None:
    """A term of our own namespace is named from its Dutch label, as OSLO names its terms: a
    class in UpperCamelCase, a property in lowerCamelCase (docs/model-editing.md, "IRIs")."""
    if not iri or not iri.startswith(model.namespace):
        return
    label = model.annotation(element, "label_nl") or ""
    expected = model.namespace + rule(label)
    if iri != expected:
        problems.append(ModelProblem(
            file, name, f"{what} {iri} is not named from the Dutch label {label!r}: "
            f"OSLO names it {expected}"))


def _one_term(model: LoadedModel, a: Any, b: Any) -> bool:
    """Two slots under one IRI of ours are one term written under two keys (``zone`` holding one
    zone, ``zones`` several): same labels, definitions and range, so the vocabulary can describe
    the term once."""
    texts = [(x.description, x.range, *(model.annotation(x, k) for k in LABEL_KEYS))
             for x in (a, b)]
    return texts[0] == texts[1]


def check_conventions(model: LoadedModel, naming: bool = True) -> list[ModelProblem]:
    """Every rule a well-formed OSLO term of this model meets; see docs/model-editing.md."""
    view = model.view
    problems: list[ModelProblem] = []
    classes = view.all_classes()
    enums = view.all_enums()
    types = view.all_types()
    class_iris: dict[str, str] = {}
    slot_iris: dict[str, str] = {}

    for name, cls in classes.items():
        if not _own(model, cls):
            continue
        file = model.file_of(cls)
        if not UPPER_CAMEL.match(name):
            problems.append(ModelProblem(file, name, "class names are UpperCamelCase"))
        _check_texts(model, cls, name, problems)
        iri = _check_iri(model, cls.class_uri, file, name, "class_uri", problems)
        if naming:
            _check_oslo_name(model, iri, upper_camel, cls, file, name, "class_uri", problems)
        if iri and iri in class_iris:
            problems.append(ModelProblem(file, name, f"shares its IRI with {class_iris[iri]}"))
        elif iri:
            class_iris[iri] = name
        for slot_name in cls.slots:
            if slot_name not in view.all_slots():
                problems.append(ModelProblem(file, f"{name}.{slot_name}", "names no slot"))
        for slot_name in cls.slot_usage or {}:
            if slot_name not in cls.slots:
                problems.append(
                    ModelProblem(
                        file, f"{name}.slot_usage.{slot_name}", "the class has no such slot"
                    )
                )

    for name, slot in view.all_slots().items():
        if not _own(model, slot):
            continue
        file = model.file_of(slot)
        if not LOWER_CAMEL.match(name):
            problems.append(ModelProblem(file, name, "slot names are lowerCamelCase"))
        _check_texts(model, slot, name, problems)
        if slot.identifier:
            continue
        iri = _check_iri(model, slot.slot_uri, file, name, "slot_uri", problems)
        if naming:
            _check_oslo_name(model, iri, lower_camel, slot, file, name, "slot_uri", problems)
        if iri and iri in slot_iris:
            other = view.get_slot(slot_iris[iri])
            if iri.startswith(model.namespace) and not _one_term(model, slot, other):
                problems.append(ModelProblem(
                    file, name, f"shares its IRI with {slot_iris[iri]} but not its labels, "
                    "definitions and range: one IRI is one term"))
        elif iri:
            slot_iris[iri] = name
        slot_range = slot.range or view.schema.default_range
        if (
            slot_range not in classes
            and slot_range not in enums
            and slot_range not in types
            and slot_range not in BUILTIN_TYPES
        ):
            problems.append(
                ModelProblem(file, name, f"range {slot_range!r} names no class, enum or type")
            )

    for name, enum in enums.items():
        if not _own(model, enum):
            continue
        file = model.file_of(enum)
        if not UPPER_CAMEL.match(name):
            problems.append(ModelProblem(file, name, "enumeration names are UpperCamelCase"))
        _check_texts(model, enum, name, problems)
        if not enum.permissible_values:
            problems.append(ModelProblem(file, name, "an enumeration needs values"))
        for text, value in (enum.permissible_values or {}).items():
            element = f"{name}.{text}"
            if not LOWER_CAMEL.match(text):
                problems.append(ModelProblem(file, element, "values are lowerCamelCase"))
            value.from_schema = enum.from_schema
            _check_texts(model, value, element, problems)
            iri = _check_iri(model, value.meaning, file, element, "meaning", problems)
            if naming and iri and iri.startswith(CONCEPT_BASE):
                expected = (f"{CONCEPT_BASE}{upper_camel(model.annotation(enum, 'label_nl') or '')}"
                            f"/{lower_camel(model.annotation(value, 'label_nl') or '')}")
                if iri != expected:
                    problems.append(ModelProblem(
                        file, element, f"meaning {iri} is not named from the Dutch labels of the "
                        f"enumeration and the value: OSLO names it {expected}"))

    for name, cls in classes.items():
        if not _own(model, cls):
            continue
        seen: dict[str, str] = {}
        for slot in view.class_induced_slots(name):
            if slot.identifier:
                continue
            slot_iri = view.expand_curie(slot.slot_uri or "")
            if slot_iri in seen:
                problems.append(ModelProblem(
                    model.file_of(cls), f"{name}.{slot.name}",
                    f"has the IRI of {name}.{seen[slot_iri]}: one class cannot hold one property "
                    "under two keys"))
            seen[slot_iri] = slot.name

    for name, typ in types.items():
        if _own(model, typ):
            _check_texts(model, typ, name, problems)
            _check_iri(model, typ.uri, model.file_of(typ), name, "uri", problems)
    return problems
