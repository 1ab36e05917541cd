"""The translator registry: every mapping file under ``mappings/``, checked when it loads.

Like the compiled SHACL rules (``vptr.validation.rules``: a registry keyed by the shape's IRI, a
stale rule refused when the profile loads), translators are registered under a key, here
``(standard, message)``, and a gateway dispatches through the registry. Everything that can be
checked without a message is checked at load time, so a typo in a mapping file stops the gateway
at start-up with the file, the rule and the bad name, instead of producing documents that lack a
field: an unknown model class, a slot that the class (or, along a nested path, the range of the
slot before it) does not have, a path that steps inside a reference, an unknown converter or
converter parameter, a code table naming a value outside the slot's enumeration, a malformed rule.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from .. import paths as project_paths
from ..validation.model_index import ModelIndex, PropertyInfo, model_index
from . import paths
from .converters import CONVERTERS, Target
from .paths import MISSING, PathSyntaxError, Segment
from .translator import DIRECTIONS, NOT_MAPPED_KINDS, NotMapped, Rule, Translator

FILE_KEYS = {"standard", "message", "native", "description", "spec", "fields", "not_mapped"}
RULE_KEYS = {"message", "native", "convert", "with", "direction", "value", "note"}
NOT_MAPPED_KEYS = {"message", "kind", "reason"}


class MappingError(ValueError):
    """A mapping file that cannot be loaded; the text names the file, the rule and the fault."""


class Registry(Mapping[tuple[str, str], Translator]):
    """Translators by ``(standard, message)``, e.g. ``("apds", "Place")``."""

    def __init__(self, translators: dict[tuple[str, str], Translator]) -> None:
        self._translators = dict(sorted(translators.items()))

    def __getitem__(self, key: tuple[str, str]) -> Translator:
        try:
            return self._translators[key]
        except KeyError:
            known = ", ".join(f"{s}:{m}" for s, m in self._translators) or "none"
            raise KeyError(f"no mapping for {key[0]}:{key[1]} (mapped: {known})") from None

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self._translators)

    def __len__(self) -> int:
        return len(self._translators)


def load_registry(directory: Path | None = None, index: ModelIndex | None = None) -> Registry:
    """Every ``*.yaml`` below ``directory`` (default the project's ``mappings/``), checked."""
    directory = directory or project_paths.mappings_dir()
    index = index or model_index()
    translators: dict[tuple[str, str], Translator] = {}
    for file in sorted(directory.rglob("*.yaml")):
        translator = load_file(file, index)
        other = translators.get(translator.key)
        if other is not None:
            raise MappingError(f"{file}: {translator.standard}:{translator.message} is already "
                               f"mapped by {other.source}")
        translators[translator.key] = translator
    return Registry(translators)


@cache
def registry() -> Registry:
    """The project's registry, loaded once per process: by ``vptr.app.create_app``, so a bad
    mapping file stops the application before it serves anything (a failed load is not cached:
    the next call tries again)."""
    return load_registry()


def translator(standard: str, message: str) -> Translator:
    return registry()[(standard, message)]


# ------------------------------------------------------------------------------------ loading
def load_file(file: Path, index: ModelIndex) -> Translator:
    try:
        raw = yaml.safe_load(file.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise MappingError(f"{file}: not YAML: {error}") from None
    return build(raw, file, index)


def build(raw: Any, file: Path, index: ModelIndex) -> Translator:
    """A translator from a parsed mapping file; every fault raises :class:`MappingError`."""
    def fail(text: str) -> MappingError:
        return MappingError(f"{file}: {text}")

    if not isinstance(raw, dict):
        raise fail("a mapping file is a mapping with standard, message, native and fields")
    unknown = sorted(set(raw) - FILE_KEYS)
    if unknown:
        raise fail(f"unknown key(s) {', '.join(unknown)} (allowed: {', '.join(sorted(FILE_KEYS))})")
    for key in ("standard", "message", "native"):
        if not isinstance(raw.get(key), str) or not raw[key]:
            raise fail(f"{key!r} is required and must be a name")
    native_class = raw["native"]
    if native_class not in index.classes:
        raise fail(f"unknown model class {native_class!r} (native)")
    fields = raw.get("fields")
    if not isinstance(fields, list) or not fields:
        raise fail("'fields' must be a non-empty list of rules")
    rules = tuple(_rule(number, item, native_class, index, file)
                  for number, item in enumerate(fields))
    not_mapped = tuple(_not_mapped(number, item, file)
                       for number, item in enumerate(raw.get("not_mapped") or []))
    _check_overlaps(rules, not_mapped, file)
    return Translator(standard=raw["standard"], message=raw["message"],
                      native_class=native_class, source=file,
                      description=str(raw.get("description") or "").strip(),
                      spec=str(raw.get("spec") or ""), rules=rules, not_mapped=not_mapped)


def _rule(number: int, item: Any, native_class: str, index: ModelIndex, file: Path) -> Rule:
    where = f"fields[{number}]"
    if isinstance(item, dict) and isinstance(item.get("message"), str):
        where += f" ({item['message']})"

    def fail(text: str) -> MappingError:
        return MappingError(f"{file}: {where}: {text}")

    if not isinstance(item, dict):
        raise fail("a rule is a mapping with message, native and optionally convert")
    unknown = sorted(set(item) - RULE_KEYS)
    if unknown:
        raise fail(f"unknown key(s) {', '.join(unknown)} (allowed: {', '.join(sorted(RULE_KEYS))})")
    direction = item.get("direction", "both")
    if direction not in DIRECTIONS:
        raise fail(f"direction {direction!r} is not one of {', '.join(DIRECTIONS)}")
    value = item.get("value", MISSING)
    has_message, has_native = "message" in item, "native" in item
    if value is MISSING and not (has_message and has_native):
        raise fail("a rule needs both 'message' and 'native' (or one of them and a 'value')")
    if value is not MISSING:
        if has_message == has_native:
            raise fail("a constant rule has a 'value' and exactly one of 'message' or 'native'")
        wanted = "in" if has_native else "out"
        if direction != wanted:
            raise fail(f"a constant for the {'native' if has_native else 'message'} side is "
                       f"written on the way {wanted}: direction must be {wanted!r}")
        if "convert" in item or "with" in item:
            raise fail("a constant rule takes no converter")
    try:
        message = paths.parse(item["message"]) if has_message else None
    except PathSyntaxError as error:
        raise fail(f"message path: {error}") from None
    native: tuple[Segment, ...] | None = None
    slot: PropertyInfo | None = None
    if has_native:
        try:
            native = paths.parse(item["native"])
        except PathSyntaxError as error:
            raise fail(f"native path: {error}") from None
        try:
            slot = resolve(native, native_class, index)
        except ValueError as error:
            raise fail(f"native path {item['native']!r}: {error}") from None
    if message is not None and native is not None \
            and paths.depth(message) != paths.depth(native):
        raise fail(f"the message path iterates {paths.depth(message)} list(s) ([]) and the native "
                   f"path {paths.depth(native)}: both sides must iterate the same lists")
    if value is not MISSING and native is not None and slot is not None and slot.kind == "enum":
        values = index.enums.get(slot.range, {})
        if value not in values:
            raise fail(f"value {value!r} is not a value of {slot.range}")
    convert = item.get("convert")
    params = item.get("with") or {}
    conversion = None
    if convert is not None:
        if convert not in CONVERTERS:
            known = ", ".join(sorted(CONVERTERS))
            raise fail(f"unknown converter {convert!r} (registered: {known})")
        if not isinstance(params, dict):
            raise fail("'with' must be a mapping of converter parameters")
        try:
            conversion = CONVERTERS[convert].bind(params, Target(slot, index))
        except ValueError as error:
            raise fail(f"converter {convert!r}: {error}") from None
    elif "with" in item:
        raise fail("'with' gives converter parameters: name the converter in 'convert'")
    note = item.get("note", "")
    if not isinstance(note, str):
        raise fail("'note' must be text")
    return Rule(number=number, message=message, native=native, direction=direction,
                convert=convert, params=dict(params), value=value, note=" ".join(note.split()),
                conversion=conversion)


def resolve(segments: tuple[Segment, ...], class_name: str, index: ModelIndex,
            ) -> PropertyInfo | None:
    """The slot a native path ends at, following nested (inlined) classes' ranges.

    ``None`` for the document's own IRI (``id``). Raises :class:`ValueError` naming the first
    segment that the model does not allow."""
    cls = index.classes[class_name]
    slot: PropertyInfo | None = None
    for i, segment in enumerate(segments):
        last = i == len(segments) - 1
        if segment.name == "id":
            if not last or segment.selector is not None:
                raise ValueError("'id' (the IRI) has nothing inside it and no elements")
            return None
        slot = cls.properties.get(segment.name)
        if slot is None:
            known = ", ".join(sorted(cls.properties))
            raise ValueError(f"unknown slot {segment.name!r} of {cls.name} (slots: {known})")
        if segment.selector is not None and not slot.multivalued:
            raise ValueError(f"slot {segment.name!r} of {cls.name} is single-valued: "
                             f"{segment} needs a multivalued slot")
        if segment.selector is None and slot.multivalued and not last:
            raise ValueError(f"slot {segment.name!r} of {cls.name} is multivalued: pick "
                             "elements with [], [0] or [key=value] before going inside")
        steps_inside = segment.selector == "filter" or not last
        if steps_inside:
            if slot.kind != "class":
                raise ValueError(f"slot {segment.name!r} of {cls.name} is a {slot.range} value: "
                                 "a path cannot go inside it")
            if not slot.inlined:
                raise ValueError(f"slot {segment.name!r} of {cls.name} is a reference (an IRI) "
                                 f"to {slot.range}: a path cannot go inside it")
            cls = index.classes[slot.range]
        if segment.selector == "filter":
            key = cls.properties.get(segment.filter_key or "")
            if key is None:
                raise ValueError(f"filter {segment}: unknown slot {segment.filter_key!r} of "
                                 f"{cls.name}")
            if key.kind == "enum" and segment.filter_value not in index.enums.get(key.range, {}):
                raise ValueError(f"filter {segment}: {segment.filter_value!r} is not a value of "
                                 f"{key.range}")
    return slot


def _not_mapped(number: int, item: Any, file: Path) -> NotMapped:
    where = f"not_mapped[{number}]"
    if isinstance(item, dict) and isinstance(item.get("message"), str):
        where += f" ({item['message']})"
    if not isinstance(item, dict) or set(item) - NOT_MAPPED_KEYS:
        raise MappingError(f"{file}: {where}: an entry has exactly message, kind and reason")
    try:
        paths.parse(item.get("message"))
    except PathSyntaxError as error:
        raise MappingError(f"{file}: {where}: message path: {error}") from None
    kind = item.get("kind")
    if kind not in NOT_MAPPED_KINDS:
        raise MappingError(f"{file}: {where}: kind {kind!r} is not one of "
                           f"{', '.join(NOT_MAPPED_KINDS)}")
    reason = item.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise MappingError(f"{file}: {where}: say why the field does not map (reason)")
    return NotMapped(item["message"], kind, " ".join(reason.split()))


def _check_overlaps(rules: tuple[Rule, ...], not_mapped: tuple[NotMapped, ...],
                    file: Path) -> None:
    """A field maps once each way: two rules writing one place would make round trips depend on
    rule order, and a field both mapped and 'not mapped' would make the docs contradict the code.
    """
    written_out: dict[str, Rule] = {}
    written_in: dict[str, Rule] = {}
    for rule in rules:
        if rule.direction in ("both", "out") and rule.message is not None:
            other = written_out.get(rule.message_path)
            if other is not None:
                raise MappingError(f"{file}: {rule.label()}: message field {rule.message_path!r} "
                                   f"is already written by {other.label()}")
            written_out[rule.message_path] = rule
        if rule.direction == "both" and rule.native is not None:
            other = written_in.get(rule.native_path)
            if other is not None:
                raise MappingError(f"{file}: {rule.label()}: slot path {rule.native_path!r} is "
                                   f"already written by {other.label()}")
            written_in[rule.native_path] = rule
    mapped = {r.message_path for r in rules if r.message is not None}
    for entry in not_mapped:
        if entry.message in mapped:
            raise MappingError(f"{file}: not_mapped ({entry.message}): the field is also mapped "
                               "by a rule")
