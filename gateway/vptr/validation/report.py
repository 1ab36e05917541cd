"""What validation found, in a form every front end (CLI, HTTP, the register) can render."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Violation:
    """One broken rule: which object (``focus``, of class ``focus_class``), which property (``path``,
    ``property`` its short name), which rule (``component`` of ``shape``), and where in the payload
    (``field``: the property chain from the outermost object, e.g. ``vehicle.licencePlate.country``)."""

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

    def key(self) -> tuple[str | None, str | None, str]:
        """What two validators must agree on: the object's class, the property and the rule."""
        return (self.focus_class, self.path, self.component)

    def as_json(self) -> dict[str, Any]:
        return {
            "focusNode": self.focus, "focusClass": self.focus_class, "path": self.path,
            "property": self.property, "field": self.field, "component": self.component,
            "shape": self.shape, "value": self.value, "message": self.message,
            "severity": self.severity,
        }


@dataclass
class Report:
    violations: list[Violation] = field(default_factory=list)
    focus_nodes: int = 0

    @property
    def conforms(self) -> bool:
        return not any(v.severity == "Violation" for v in self.violations)

    def as_json(self) -> dict[str, Any]:
        return {
            "conforms": self.conforms,
            "checkedObjects": self.focus_nodes,
            "violations": [v.as_json() for v in sorted(self.violations, key=_order)],
        }


def _order(v: Violation) -> tuple[str, str, str, str]:
    return (v.field or "", v.path or "", v.component, v.focus)
