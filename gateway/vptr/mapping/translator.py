"""One message's translator: the rules of its mapping file, compiled, run in either direction.

A translator is plain data plus closures; it knows nothing of HTTP, storage or the gateway that
calls it. It produces the *mapped part* of a document: what the message says. What a message does
not carry (a zone's ``areaManager`` from the authenticated caller, the IRI the register assigns) is
the gateway's to add, and the rules say so through ``not_mapped`` entries and notes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import paths
from .converters import Conversion, TranslationError
from .paths import MISSING, Getter, Segment, Setter

DIRECTIONS = ("both", "in", "out")


@dataclass(frozen=True)
class Rule:
    """One field rule: a message path, a native slot path, how to convert, which way it runs.

    A constant rule has a ``value`` in place of one side: written on that side's way in (``in``:
    into the native document; ``out``: into the message), never read. Inside an object it is
    written only when the rules before it wrote that object.
    """

    number: int
    message: tuple[Segment, ...] | None
    native: tuple[Segment, ...] | None
    direction: str
    convert: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    value: Any = MISSING
    note: str = ""
    conversion: Conversion | None = field(default=None, compare=False)

    @property
    def message_path(self) -> str:
        return paths.render(self.message) if self.message else ""

    @property
    def native_path(self) -> str:
        return paths.render(self.native) if self.native else ""

    @property
    def constant(self) -> bool:
        return self.value is not MISSING

    def label(self) -> str:
        """How errors name the rule: its place in the file and its message path."""
        side = self.message_path or f"native {self.native_path}"
        return f"fields[{self.number}] ({side})"


@dataclass(frozen=True)
class NotMapped:
    """A message field that deliberately does not land in the model, and why."""

    message: str
    kind: str  # one of NOT_MAPPED_KINDS
    reason: str


#: Why a field has no rule: the register computes it (out only); the gateway decides it from more
#: than one field or from other entities; the gateway's storage keeps it beside the model object;
#: deliberately not kept (docs/mapping-apds-npr.md, "Deliberately left out"); or a known gap.
NOT_MAPPED_KINDS = ("derived", "gateway logic", "gateway storage", "left out", "known gap")

Step = Callable[[Any, dict[str, Any]], None]


def convert_nested(func: Callable[[Any], Any], depth: int) -> Callable[[Any], Any]:
    """Applies ``func`` to the leaves of ``depth`` nested lists, leaving MISSING alone."""
    if depth == 0:
        return func

    inner = convert_nested(func, depth - 1)

    def each(values: Any) -> Any:
        return [MISSING if v is MISSING else inner(v) for v in values]
    return each


def _step(read: Getter | None, write: Setter, convert: Callable[[Any], Any] | None,
          constant: Any, where: str, parent: Getter | None = None) -> Step:
    if read is None:
        if parent is None:
            def write_constant(source: Any, target: dict[str, Any]) -> None:
                write(target, constant)
            return write_constant

        def complete_object(source: Any, target: dict[str, Any]) -> None:
            if parent(target) is not MISSING:
                write(target, constant)
        return complete_object
    if convert is None:
        def copy(source: Any, target: dict[str, Any]) -> None:
            value = read(source)
            if value is not MISSING:
                write(target, value)
        return copy

    def copy_converted(source: Any, target: dict[str, Any]) -> None:
        value = read(source)
        if value is not MISSING:
            try:
                value = convert(value)
            except TranslationError as error:
                raise TranslationError(f"{where}: {error}") from None
            write(target, value)
    return copy_converted


class Translator:
    """Translates one message of one standard to and from documents of one model class."""

    def __init__(self, *, standard: str, message: str, native_class: str, source: Path,
                 description: str, spec: str, rules: tuple[Rule, ...],
                 not_mapped: tuple[NotMapped, ...]) -> None:
        self.standard = standard
        self.message = message
        self.native_class = native_class
        self.source = source
        self.description = description
        self.spec = spec
        self.rules = rules
        self.not_mapped = not_mapped
        self._in = tuple(self._compile(r, inbound=True) for r in rules
                         if r.direction in ("both", "in"))
        self._out = tuple(self._compile(r, inbound=False) for r in rules
                          if r.direction in ("both", "out"))

    @property
    def key(self) -> tuple[str, str]:
        return (self.standard, self.message)

    def _compile(self, rule: Rule, *, inbound: bool) -> Step:
        source, target = (rule.message, rule.native) if inbound else (rule.native, rule.message)
        assert target is not None  # the loader checks a constant names the side it writes
        read = paths.compile_get(source) if source is not None else None
        convert = None
        if rule.conversion is not None and source is not None:
            func = rule.conversion.to_native if inbound else rule.conversion.to_message
            convert = convert_nested(func, paths.depth(source))
        where = f"{self.source.name} {rule.label()}"
        # A constant inside an object (operatorDefinedReference.version) completes that object
        # when earlier rules wrote it; it never creates the object on its own.
        parent = paths.compile_get(target[:-1]) if source is None and len(target) > 1 else None
        return _step(read, paths.compile_set(target), convert, rule.value, where, parent)

    def to_native(self, message: dict[str, Any]) -> dict[str, Any]:
        """The native JSON-LD document (model slot names, no ``@context``) a message stands for:
        every ``both`` and ``in`` rule, in file order (a later rule wins a shared slot)."""
        document: dict[str, Any] = {}
        for step in self._in:
            step(message, document)
        return document

    def to_message(self, document: dict[str, Any]) -> dict[str, Any]:
        """The message that says what a native document says: every ``both`` and ``out`` rule."""
        message: dict[str, Any] = {}
        for step in self._out:
            step(document, message)
        return message

    def __repr__(self) -> str:
        return f"<Translator {self.standard}:{self.message} ↔ {self.native_class}>"
