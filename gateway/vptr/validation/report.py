"""What validation found, in a form every front end (CLI, HTTP, the register) can render."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Violation:
    """One broken rule: which object (``focus``, of class ``focus_class``), which property
    (``path``, ``property`` its short name), which rule (``component`` of ``shape``), and where in
    the payload (``field``: the property chain from the outermost object, e.g.
    ``vehicle.licencePlate.country``;
    ``pointer``: the JSON pointer of the value, when the payload was JSON and the fast engine read
    it). ``messages`` says what is wrong per language (``nl``, ``en``); ``message`` is the English
    one."""

    focus: str
    focus_class: str | None
    path: str | None
    property: str | None
    component: str
    shape: str
    value: str | None
    message: str
    field: str | None
    severity: str = "Violation"
    messages: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    pointer: str | None = field(default=None, compare=False, hash=False)
    #: What ``value`` is: "iri", "blank" or "literal" (with ``value_datatype``), for RDF reports.
    value_kind: str | None = field(default=None, compare=False, hash=False)
    value_datatype: str | None = field(default=None, compare=False, hash=False)

    def key(self) -> tuple[str | None, str | None, str | None, str, str]:
        """What two validators must agree on: the object's class, the property and where it sits,
        the rule and the shape that holds it."""
        return (self.focus_class, self.path, self.field, self.component, self.shape)

    def text(self, lang: str = "en") -> str:
        return self.messages.get(lang) or self.message

    def as_json(self) -> dict[str, Any]:
        return {
            "focusNode": self.focus, "focusClass": self.focus_class, "path": self.path,
            "property": self.property, "field": self.field, "pointer": self.pointer,
            "component": self.component, "shape": self.shape, "value": self.value,
            "message": self.message, "messages": dict(self.messages), "severity": self.severity,
        }


@dataclass
class Report:
    violations: list[Violation] = field(default_factory=list)
    focus_nodes: int = 0
    engine: str = "fast"

    @property
    def conforms(self) -> bool:
        return not any(v.severity == "Violation" for v in self.violations)

    def sorted_violations(self) -> list[Violation]:
        return sorted(self.violations, key=_order)

    def as_json(self) -> dict[str, Any]:
        return {
            "conforms": self.conforms,
            "checkedObjects": self.focus_nodes,
            "violations": [v.as_json() for v in self.sorted_violations()],
        }


def _order(v: Violation) -> tuple[Any, ...]:
    """Document order where the pointer is known (``/@graph/10`` after ``/@graph/9``)."""
    pointer = tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", v.pointer or ""))
    return (pointer, v.field or "", v.path or "", v.component, v.focus)
