"""A :class:`Report` for people: which object, which property, what is wrong, in Dutch or English.

Violations are grouped per object; an object is named by its class and its IRI, or, when it is
nested without one, by where it sits (``vehicle.licencePlate``). Property names are shown with
their label in the chosen language and the model's short name (what goes in the JSON)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .model_index import model_index
from .report import Report, Violation

_WORDS = {
    "nl": {
        "conforms": "conform", "violation": "overtreding", "violations": "overtredingen",
        "checked": "{n} objecten gecontroleerd", "checked_one": "1 object gecontroleerd",
        "value": "waarde", "at": "in", "unreadable": "onleesbaar", "object": "object",
        "Warning": "waarschuwing", "Info": "info", "whole": "het object zelf",
    },
    "en": {
        "conforms": "conforms", "violation": "violation", "violations": "violations",
        "checked": "{n} objects checked", "checked_one": "1 object checked",
        "value": "value", "at": "at", "unreadable": "unreadable", "object": "object",
        "Warning": "warning", "Info": "info", "whole": "the object itself",
    },
}


def words(lang: str) -> dict[str, str]:
    return _WORDS.get(lang, _WORDS["en"])


@dataclass(frozen=True)
class Line:
    """One violation as a person reads it (also what the HTML page shows in its table)."""

    object: str
    property: str
    message: str
    value: str | None
    severity: str
    pointer: str | None


def _object_name(v: Violation, lang: str) -> str:
    label = model_index().class_label(v.focus_class, lang)
    if not v.focus.startswith("_:"):
        return f"{label} <{v.focus}>"
    place = _place(v)
    return f"{label} {words(lang)['at']} {place}" if place else label


def _place(v: Violation) -> str:
    """Where a nested object sits: from the JSON pointer when known (with array positions,
    ``tariff.tariffSteps[1]``), else from the field path."""
    if v.pointer is not None:
        parts = [p for p in v.pointer.split("/") if p]
        if v.path is not None and parts:
            parts = parts[:-1]
        text = ""
        for part in parts:
            text += f"[{part}]" if part.isdigit() else (f".{part}" if text else part)
        return text
    parts = v.field.split(".") if v.field else []
    if v.path is not None and parts:
        parts = parts[:-1]
    return ".".join(parts)


def _property_name(v: Violation, lang: str) -> str:
    if v.path is None:
        return words(lang)["whole"]
    index = model_index()
    short = index.short_name(v.path, v.focus_class)
    label = index.property_label(v.path, lang, v.focus_class)
    return f"{label} ({short})" if label != short else short


def lines(report: Report, lang: str = "en") -> list[Line]:
    return [Line(_object_name(v, lang), _property_name(v, lang), v.text(lang), v.value,
                 v.severity, v.pointer) for v in report.sorted_violations()]


def summary(report: Report, lang: str = "en") -> str:
    w = words(lang)
    checked = w["checked_one"] if report.focus_nodes == 1 else w["checked"].format(
        n=report.focus_nodes)
    if not report.violations:
        return f"{w['conforms']} ({checked})"
    n = len(report.violations)
    return f"{n} {w['violation'] if n == 1 else w['violations']} ({checked})"


def render(report: Report, lang: str = "en", source: str | None = None) -> str:
    """The report as indented text: a summary line, then the violations per object."""
    w = words(lang)
    head = f"{source}: {summary(report, lang)}" if source else summary(report, lang)
    out = [head]
    current = None
    for line in lines(report, lang):
        if line.object != current:
            out.append(f"  {line.object}")
            current = line.object
        severity = ("" if line.severity == "Violation"
                    else f"[{w.get(line.severity, line.severity)}] ")
        value = f" ({w['value']}: {line.value})" if line.value is not None else ""
        out.append(f"    {severity}{line.property}: {line.message.rstrip('.')}{value}")
    return "\n".join(out) + "\n"


def render_unreadable(reason: str, field: str | None, lang: str = "en",
                      source: str | None = None) -> str:
    w = words(lang)
    where = f" {w['at']} {field}" if field else ""
    head = f"{source}: " if source else ""
    return f"{head}{w['unreadable']}{where}: {reason}\n"


def render_all(reports: Iterable[tuple[str, Report]], lang: str = "en") -> str:
    return "".join(render(report, lang, source) for source, report in reports)
