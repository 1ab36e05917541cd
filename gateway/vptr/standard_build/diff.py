"""`vptr diff OLD NEW`: what changed between two versions of the model, and which changes break
data.

Both versions are loaded with the same loader and term collector as `vptr generate`, so the diff is
about the standard as published (IRIs, ranges and cardinalities per class, with slot_usage applied),
not about the YAML text. A change is *breaking* when data or software that conformed to the old
version may not conform to the new one:

- a class, slot, class property, enumeration or enumeration value is removed;
- an IRI changes (class_uri, slot_uri, a value's meaning, the namespace);
- a range narrows: a different class that is not an ancestor of the old one, a different datatype,
  an enumeration that lacks some of the old values;
- a constraint tightens: a pattern is added or changed, a code list of strings
  (``equals_string_in``) is added or loses values, a minimum rises, a maximum falls;
- a property becomes required, or a required property is added to an existing class;
- a multivalued property becomes single-valued;
- a property switches between embedded object and reference (the JSON changes shape);
- a class loses or changes its parent.

Adding classes, optional properties, enumerations or values, relaxing a constraint, and changing
labels or definitions are not breaking. Renaming shows as a removal plus an addition.

The hand-written shapes (``shapes/*.ttl``, next to each version's ``model/``) are compared too, one
named shape at a time: a shape added, or changed in more than its labels and messages, is
breaking (a new or stricter rule may refuse data that conformed); a shape removed is not.

A breaking change needs a new major version (semantic versioning; while the standard is at 0.x,
a new minor version): :meth:`ModelDiff.refusal` says why a diff is refused when the version was
not bumped so, and the command then exits with 1.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, URIRef
from rdflib.compare import to_isomorphic
from rdflib.namespace import RDF, RDFS, SH

from .errors import ModelError, ModelProblem
from .model_loader import LoadedModel, load_model
from .terms import Enumeration, Labels, ModelClass, Property, Terms, collect_terms

MAIN_SCHEMA = "vptr.yaml"
LABEL_ASPECTS = (
    ("label_nl", "nl"),
    ("label_en", "en"),
    ("definition_nl", "definition_nl"),
    ("description", "definition_en"),
)


@dataclass(frozen=True)
class Change:
    """One difference between the two versions."""

    change: str  # "added" | "removed" | "changed"
    element: str  # "standard" | "class" | "property" | "slot" | "enum" | "value"
    name: str  # "Zone", "Zone.capacity", "capacity", "ZoneKind", "ZoneKind.blueZone"
    aspect: str | None = None  # for "changed": "iri", "range", "required", "label_nl", ...
    old: Any = None
    new: Any = None
    breaking: bool = False
    reason: str = ""


@dataclass
class Version:
    """One side of the comparison."""

    model: str
    version: str
    issued: str
    status: str


_SEMVER = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")


def _semver(version: str) -> tuple[int, int, int] | None:
    found = _SEMVER.match(version.strip())
    return (int(found[1]), int(found[2]), int(found[3])) if found else None


@dataclass
class ModelDiff:
    old: Version
    new: Version
    changes: list[Change] = field(default_factory=list)
    #: Whether both versions had hand-written shapes to compare (``shapes/`` beside ``model/``).
    shapes_compared: bool = False

    @property
    def breaking(self) -> list[Change]:
        return [c for c in self.changes if c.breaking]

    def refusal(self) -> str | None:
        """Why this diff cannot be released as it is, or None: a breaking change needs a new major
        version (0.x: a new minor version), and a version is never lowered."""
        old, new = _semver(self.old.version), _semver(self.new.version)
        if old is None or new is None:
            if self.breaking:
                return (f"breaking changes, and the versions {self.old.version!r} and "
                        f"{self.new.version!r} are not both semantic versions (MAJOR.MINOR.PATCH)")
            return None
        if new < old:
            return f"the version goes down, from {self.old.version} to {self.new.version}"
        if not self.breaking:
            return None
        bumped = new[0] > old[0] or (old[0] == 0 and new[0] == 0 and new[1] > old[1])
        if bumped:
            return None
        needed = f"{old[0] + 1}.0.0" if old[0] > 0 else f"0.{old[1] + 1}.0 or 1.0.0"
        return (f"{len(self.breaking)} breaking change(s) under version {self.new.version}: a "
                f"breaking change needs a new major version ({needed})")

    def counts(self) -> dict[str, int]:
        counts = {
            kind: sum(1 for c in self.changes if c.change == kind)
            for kind in ("added", "removed", "changed")
        }
        counts["breaking"] = len(self.breaking)
        return counts

    def find(
        self,
        change: str | None = None,
        element: str | None = None,
        name: str | None = None,
        aspect: str | None = None,
    ) -> list[Change]:
        """The changes matching every criterion given (for tests and scripts)."""
        return [
            c
            for c in self.changes
            if (change is None or c.change == change)
            and (element is None or c.element == element)
            and (name is None or c.name == name)
            and (aspect is None or c.aspect == aspect)
        ]

    def to_json(self) -> str:
        data = {
            "old": asdict(self.old),
            "new": asdict(self.new),
            "breaking": bool(self.breaking),
            "refused": self.refusal(),
            "shapesCompared": self.shapes_compared,
            "counts": self.counts(),
            "changes": [asdict(c) for c in self.changes],
        }
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"

    def to_text(self) -> str:
        def version(v: Version) -> str:
            return f"{v.version} ({v.model})"

        lines = [f"Comparing {version(self.old)} with {version(self.new)}", ""]
        if not self.changes:
            lines.append("No changes.")
            refusal = self.refusal()
            if refusal:
                lines.append(f"REFUSED: {refusal}.")
            return "\n".join(lines) + "\n"
        for title, group in (
            ("Breaking changes", self.breaking),
            ("Other changes", [c for c in self.changes if not c.breaking]),
        ):
            if not group:
                continue
            lines.append(f"{title}:")
            lines += [f"  {_describe(c)}" for c in group]
            lines.append("")
        counts = self.counts()
        lines.append(
            f"{len(self.changes)} changes: {counts['added']} added, {counts['removed']} "
            f"removed, {counts['changed']} changed; {counts['breaking']} breaking."
        )
        if not self.shapes_compared:
            lines.append("The hand-written shapes were not compared (no shapes/ beside both "
                         "models).")
        refusal = self.refusal()
        if refusal:
            lines.append(f"REFUSED: {refusal}.")
        elif self.breaking:
            lines.append(f"The breaking changes come with a new major version "
                         f"({self.old.version} -> {self.new.version}).")
        return "\n".join(lines) + "\n"


def _show(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, str) else str(value)


def _describe(c: Change) -> str:
    text = f"{c.change} {c.element} {c.name}"
    if c.change == "changed":
        text += f": {c.aspect}"
        if c.old is not None or c.new is not None:  # a shape's rule has no one value to show
            text += f" {_show(c.old)} -> {_show(c.new)}"
    if c.reason:
        text += f" ({c.reason})"
    return ("BREAKING " if c.breaking else "") + text


# --------------------------------------------------------------------------------------------------
# Loading


def resolve_model_path(path: Path) -> Path:
    """The main schema file: the path itself, or vptr.yaml inside a directory."""
    if path.is_dir():
        return path / MAIN_SCHEMA
    return path


def load_version(path: Path, naming: bool = True) -> tuple[LoadedModel, Terms]:
    """A version of the model and its terms; ``naming=False`` for an old version, which may
    predate OSLO's naming rule (1.0)."""
    main_file = resolve_model_path(path)
    if not main_file.is_file():
        raise ModelError(
            [ModelProblem(str(path), "model", f"no model found (looked for {main_file})")]
        )
    try:
        model = load_model(main_file, naming)
    except ModelError as exc:  # name the folder too: both versions have a zone.yaml
        raise ModelError(
            [
                ModelProblem(str(main_file.parent / p.file), p.element, p.message)
                for p in exc.problems
            ]
        ) from exc
    return model, collect_terms(model)


def _version(model: LoadedModel, label: str) -> Version:
    schema = model.view.schema
    return Version(
        model=label,
        version=str(schema.version or ""),
        issued=model.annotation(schema, "issued") or "",
        status=model.annotation(schema, "oslo_status") or "",
    )


def shapes_beside(model_path: Path) -> Path | None:
    """The hand-written shapes of a version: ``shapes/`` next to its ``model/`` folder."""
    folder = resolve_model_path(model_path).parent.parent / "shapes"
    return folder if folder.is_dir() else None


def diff_paths(
    old: Path, new: Path, old_shapes: Path | None = None, new_shapes: Path | None = None
) -> ModelDiff:
    """Loads both versions and compares them, with their hand-written shapes (given, or found
    beside each model); raises ModelError when either does not load."""
    old_model, old_terms = load_version(old, naming=False)
    new_model, new_terms = load_version(new)
    result = diff_terms(
        old_terms, new_terms, _version(old_model, str(old)), _version(new_model, str(new))
    )
    old_shapes = old_shapes or shapes_beside(old)
    new_shapes = new_shapes or shapes_beside(new)
    if old_shapes is not None and new_shapes is not None:
        result.changes += diff_shapes(load_shapes(old_shapes), load_shapes(new_shapes))
        result.shapes_compared = True
    return result


# --------------------------------------------------------------------------------------------------
# Hand-written shapes

#: What a shape says to people, not to data: changing only these breaks nothing.
_TEXT_PREDICATES = {RDFS.label, RDFS.comment, SH.name, SH.description, SH.message}


def load_shapes(folder: Path) -> Graph:
    graph = Graph()
    for path in sorted(folder.glob("*.ttl")):
        try:
            graph.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises many kinds of parse errors
            raise ModelError([ModelProblem(str(path), "Turtle", str(exc))]) from exc
    return graph


def _named_shapes(graph: Graph) -> list[URIRef]:
    shapes = {s for s in graph.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef)}
    shapes |= {s for s in graph.subjects(RDF.type, SH.PropertyShape) if isinstance(s, URIRef)}
    return sorted(shapes)


def _description(graph: Graph, shape: URIRef, text: bool) -> Graph:
    """The shape's triples and everything hanging from it through blank nodes (its SPARQL
    constraint, its property shapes, its lists), with or without the texts for people."""
    out = Graph()
    pending: list[URIRef | BNode] = [shape]
    seen: set[URIRef | BNode] = set()
    while pending:
        node = pending.pop()
        if node in seen:
            continue
        seen.add(node)
        for p, o in graph.predicate_objects(node):
            if not text and p in _TEXT_PREDICATES:
                continue
            out.add((node, p, o))
            if isinstance(o, BNode):
                pending.append(o)
    return out


def diff_shapes(old: Graph, new: Graph) -> list[Change]:
    """Named shapes added, removed or changed between two sets of hand-written shapes."""
    changes: list[Change] = []
    old_names, new_names = _named_shapes(old), _named_shapes(new)
    for shape in _names(map(str, old_names), map(str, new_names)):
        iri = URIRef(shape)
        name = shape.rsplit("#", 1)[-1]
        if iri not in new_names:
            changes.append(Change("removed", "shape", name, reason="a rule less: nothing that "
                                  "conformed stops conforming"))
        elif iri not in old_names:
            changes.append(Change("added", "shape", name, breaking=True,
                                  reason="a new rule may refuse data that conformed"))
        else:
            same_rules = to_isomorphic(_description(old, iri, False)) == to_isomorphic(
                _description(new, iri, False))
            if not same_rules:
                changes.append(Change("changed", "shape", name, "rule", breaking=True,
                                      reason="the rule changed: it may refuse data that "
                                      "conformed"))
            elif to_isomorphic(_description(old, iri, True)) != to_isomorphic(
                    _description(new, iri, True)):
                changes.append(Change("changed", "shape", name, "text",
                                      reason="only its labels or messages changed"))
    return changes


# --------------------------------------------------------------------------------------------------
# Comparing


def _names(old: Iterable[str], new: Iterable[str]) -> list[str]:
    """Every name of either side: the old ones in old order, then the new ones in new order."""
    old_list = list(old)
    return old_list + [n for n in new if n not in set(old_list)]


def _labels(changes: list[Change], element: str, name: str, old: Labels, new: Labels) -> None:
    for aspect, attribute in LABEL_ASPECTS:
        before, after = getattr(old, attribute), getattr(new, attribute)
        if before != after:
            changes.append(Change("changed", element, name, aspect, before, after))


def _ancestors(name: str, terms: Terms) -> list[str]:
    found: list[str] = []
    current = terms.classes.get(name)
    while current is not None and current.parent and current.parent not in found:
        found.append(current.parent)
        current = terms.classes.get(current.parent)
    return found


def _range_change(
    old: Property, new: Property, old_terms: Terms, new_terms: Terms
) -> tuple[bool, str] | None:
    """None when the range is the same; else whether the new range breaks old data, and why."""
    if old.range_name == new.range_name and old.range_kind == new.range_kind:
        return None
    if old.range_kind == "class" and new.range_kind == "class":
        if new.range_name in _ancestors(old.range_name, new_terms):
            return False, f"widened to an ancestor of {old.range_name}"
        return True, f"{old.range_name} is neither {new.range_name} nor one of its subclasses"
    if old.range_kind == "enum" and new.range_kind == "enum":
        before = {(v.text, v.iri) for v in old_terms.enums[old.range_name].values}
        after = {(v.text, v.iri) for v in new_terms.enums[new.range_name].values}
        missing = sorted(text for text, _ in before - after)
        if missing:
            return True, "values no longer allowed: " + ", ".join(missing)
        return False, "the new enumeration has every old value"
    if old.range_kind == new.range_kind == "datatype" and old.range_iri == new.range_iri:
        return False, "same datatype IRI"
    if old.range_kind != new.range_kind:
        return True, f"a {old.range_kind} range became a {new.range_kind} range"
    return True, "the new range may reject values the old one accepted"


def _compare_property(
    changes: list[Change],
    cls: str,
    old: Property,
    new: Property,
    old_terms: Terms,
    new_terms: Terms,
) -> None:
    name = f"{cls}.{old.name}"

    def add(aspect: str, before: Any, after: Any, breaking: bool, reason: str = "") -> None:
        changes.append(Change("changed", "property", name, aspect, before, after, breaking, reason))

    ranged = _range_change(old, new, old_terms, new_terms)
    if ranged is not None:
        add("range", old.range_name, new.range_name, *ranged)
    if old.required != new.required:
        add(
            "required",
            old.required,
            new.required,
            new.required,
            "existing data may lack it" if new.required else "",
        )
    if old.multivalued != new.multivalued:
        add(
            "multivalued",
            old.multivalued,
            new.multivalued,
            old.multivalued,
            "existing data may have several values" if old.multivalued else "",
        )
    if old.range_kind == new.range_kind == "class" and old.inlined != new.inlined:
        add(
            "inlined",
            old.inlined,
            new.inlined,
            True,
            "existing data embeds an object where a reference is now expected"
            if old.inlined
            else "existing data has a reference where an embedded object is now expected",
        )
    if old.pattern != new.pattern:
        if new.pattern is None:
            add("pattern", old.pattern, new.pattern, False, "the pattern was dropped")
        else:
            add(
                "pattern",
                old.pattern,
                new.pattern,
                True,
                "existing values may not match the new pattern",
            )
    if old.allowed != new.allowed:
        lost = set(old.allowed or ()) - set(new.allowed or ()) if old.allowed else None
        tighter = new.allowed is not None and (old.allowed is None or bool(lost))
        add("code list", _code_list(old.allowed), _code_list(new.allowed), tighter,
            "existing values may not be in the new code list" if tighter else "")
    if old.minimum != new.minimum:
        tighter = new.minimum is not None and (old.minimum is None or new.minimum > old.minimum)
        add("minimum", old.minimum, new.minimum, tighter, "the minimum rose" if tighter else "")
    if old.maximum != new.maximum:
        tighter = new.maximum is not None and (old.maximum is None or new.maximum < old.maximum)
        add("maximum", old.maximum, new.maximum, tighter, "the maximum fell" if tighter else "")
    if old.default != new.default:
        add("default", old.default, new.default, False, "absent values now mean something else")
    # Labels are compared per slot; here only where a class overrides them (slot_usage).
    old_own = old.labels != old_terms.slot_labels.get(old.name)
    new_own = new.labels != new_terms.slot_labels.get(new.name)
    if old_own or new_own:
        _labels(changes, "property", name, old.labels, new.labels)


def _code_list(values: tuple[str, ...] | None) -> str | None:
    """A code list (``equals_string_in``) as a diff shows it: its size, not its 249 values."""
    return None if values is None else f"{len(values)} values"


def _compare_class(
    changes: list[Change], old: ModelClass, new: ModelClass, old_terms: Terms, new_terms: Terms
) -> None:
    if old.iri != new.iri:
        changes.append(
            Change(
                "changed",
                "class",
                old.name,
                "iri",
                old.iri,
                new.iri,
                True,
                "data typed with the old IRI no longer matches",
            )
        )
    _labels(changes, "class", old.name, old.labels, new.labels)
    if old.parent != new.parent:
        breaking = old.parent is not None
        changes.append(
            Change(
                "changed",
                "class",
                old.name,
                "parent",
                old.parent,
                new.parent,
                breaking,
                f"instances no longer count as a {old.parent}" if breaking else "",
            )
        )
    old_props = {p.name: p for p in old.properties}
    new_props = {p.name: p for p in new.properties}
    for prop_name in _names(old_props, new_props):
        name = f"{old.name}.{prop_name}"
        if prop_name not in new_props:
            changes.append(
                Change(
                    "removed",
                    "property",
                    name,
                    breaking=True,
                    reason="existing data using it no longer conforms",
                )
            )
        elif prop_name not in old_props:
            required = new_props[prop_name].required
            changes.append(
                Change(
                    "added",
                    "property",
                    name,
                    breaking=required,
                    reason="required: existing data lacks it" if required else "",
                )
            )
        else:
            _compare_property(
                changes, old.name, old_props[prop_name], new_props[prop_name], old_terms, new_terms
            )


def _compare_enum(changes: list[Change], old: Enumeration, new: Enumeration) -> None:
    _labels(changes, "enum", old.name, old.labels, new.labels)
    old_values = {v.text: v for v in old.values}
    new_values = {v.text: v for v in new.values}
    for text in _names(old_values, new_values):
        name = f"{old.name}.{text}"
        if text not in new_values:
            changes.append(
                Change(
                    "removed",
                    "value",
                    name,
                    breaking=True,
                    reason="existing data using it no longer conforms",
                )
            )
        elif text not in old_values:
            changes.append(Change("added", "value", name))
        else:
            before, after = old_values[text], new_values[text]
            if before.iri != after.iri:
                changes.append(
                    Change(
                        "changed",
                        "value",
                        name,
                        "iri",
                        before.iri,
                        after.iri,
                        True,
                        "data with the old concept IRI no longer matches",
                    )
                )
            _labels(changes, "value", name, before.labels, after.labels)


def diff_terms(
    old: Terms, new: Terms, old_version: Version | None = None, new_version: Version | None = None
) -> ModelDiff:
    result = ModelDiff(
        old_version or Version("old", "", "", ""), new_version or Version("new", "", "", "")
    )
    changes = result.changes
    for aspect in ("version", "issued", "status"):
        before, after = getattr(result.old, aspect), getattr(result.new, aspect)
        if old_version and new_version and before != after:
            changes.append(Change("changed", "standard", "vptr", aspect, before, after))
    if old.namespace != new.namespace:
        changes.append(
            Change(
                "changed",
                "standard",
                "vptr",
                "namespace",
                old.namespace,
                new.namespace,
                True,
                "every term of the namespace changes its IRI",
            )
        )

    for name in _names(old.classes, new.classes):
        if name not in new.classes:
            changes.append(
                Change(
                    "removed",
                    "class",
                    name,
                    breaking=True,
                    reason="existing data of this class no longer conforms",
                )
            )
        elif name not in old.classes:
            changes.append(Change("added", "class", name))
        else:
            _compare_class(changes, old.classes[name], new.classes[name], old, new)

    for name in _names(old.slot_labels, new.slot_labels):
        if name not in new.slot_labels:
            changes.append(
                Change(
                    "removed", "slot", name, breaking=True, reason="the term leaves the standard"
                )
            )
        elif name not in old.slot_labels:
            changes.append(Change("added", "slot", name))
        else:
            before, after = old.slot_iris.get(name), new.slot_iris.get(name)
            if before != after:
                changes.append(
                    Change(
                        "changed",
                        "slot",
                        name,
                        "iri",
                        before,
                        after,
                        True,
                        "data using the old property IRI no longer matches",
                    )
                )
            _labels(changes, "slot", name, old.slot_labels[name], new.slot_labels[name])

    for name in _names(old.enums, new.enums):
        if name not in new.enums:
            changes.append(
                Change(
                    "removed",
                    "enum",
                    name,
                    breaking=True,
                    reason="existing data using its values no longer conforms",
                )
            )
        elif name not in old.enums:
            changes.append(Change("added", "enum", name))
        else:
            _compare_enum(changes, old.enums[name], new.enums[name])
    return result
