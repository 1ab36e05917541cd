"""``vptr validate FILE...``: check payloads against the application profile from the shell.

Exit code 0 when every file conforms, 1 when some file has violations, 2 when some file cannot be
read at all (not JSON, not Turtle, an unknown term or type, too large); 2 wins over 1.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from .errors import PayloadError
from .loading import MAX_PAYLOAD_BYTES, detect_format, parse_json, parse_rdf
from .report import Report
from .report_rdf import to_jsonld, to_turtle
from .report_text import render, render_unreadable
from .service import validate_payload


class Lang(StrEnum):
    nl = "nl"
    en = "en"


class OutputFormat(StrEnum):
    text = "text"
    json = "json"
    turtle = "turtle"
    jsonld = "jsonld"


@dataclass
class Outcome:
    source: str
    report: Report | None = None
    error: PayloadError | None = None


def _read(path: str, max_bytes: int) -> bytes:
    """A file's bytes, or stdin's for ``-``; reads one byte past the limit so the validator can
    say the payload is too large without reading all of it."""
    if path == "-":
        return sys.stdin.buffer.read(max_bytes + 1)
    try:
        with open(path, "rb") as handle:
            return handle.read(max_bytes + 1)
    except OSError as exc:
        raise PayloadError(f"cannot read the file: {exc.strerror or exc}") from exc


def load_supporting(paths: list[Path], max_bytes: int) -> Any:
    """Supporting entities from JSON(-LD) or Turtle files: a list of documents, or one graph."""
    from rdflib import Graph

    documents: list[Any] = []
    graph: Graph | None = None
    for path in paths:
        raw = _read(str(path), max_bytes)
        fmt = detect_format(raw, None, str(path))
        if fmt == "json":
            data = parse_json(raw)
            documents.extend(data if isinstance(data, list) else [data])
        else:
            graph = graph if graph is not None else Graph()
            for triple in parse_rdf(raw, fmt):
                graph.add(triple)
    if graph is not None:
        if documents:
            from .loading import json_to_graph, prepare_json

            for document in documents:
                for triple in json_to_graph(prepare_json(document)):
                    graph.add(triple)
        return graph
    return documents or None


def validate_files(files: list[str], default_type: str | None, engine: str, supporting: Any,
                   max_bytes: int = MAX_PAYLOAD_BYTES) -> list[Outcome]:
    outcomes = []
    for name in files:
        try:
            raw = _read(name, max_bytes)
            filename = None if name == "-" else name
            report = validate_payload(raw, None, filename, default_type, supporting=supporting,
                                      engine=engine,  # type: ignore[arg-type]
                                      max_bytes=max_bytes)
            outcomes.append(Outcome(name, report=report))
        except PayloadError as exc:
            outcomes.append(Outcome(name, error=exc))
    return outcomes


def exit_code(outcomes: list[Outcome]) -> int:
    if any(o.error is not None for o in outcomes):
        return 2
    if any(o.report is not None and not o.report.conforms for o in outcomes):
        return 1
    return 0


def render_outcomes(outcomes: list[Outcome], fmt: OutputFormat, lang: Lang) -> tuple[str, str]:
    """(standard output, standard error) for the outcomes in the chosen format."""
    errors = "".join(render_unreadable(o.error.reason, _field(o.error), lang.value, o.source)
                     for o in outcomes if o.error is not None)
    readable = [(o.source, o.report) for o in outcomes if o.report is not None]
    if fmt == OutputFormat.text:
        out = "".join(render(report, lang.value, source) for source, report in readable)
        return out, errors
    if fmt == OutputFormat.json:
        objects = [_json_outcome(o, lang) for o in outcomes]
        body: Any = objects[0] if len(objects) == 1 else objects
        return json.dumps(body, indent=2, ensure_ascii=False) + "\n", ""
    if not readable:
        return "", errors
    if fmt == OutputFormat.turtle:
        return to_turtle(readable), errors
    return to_jsonld(readable), errors


def _field(error: PayloadError) -> str | None:
    return error.field.strip("/").replace("/", ".") or None if error.field else None


def _json_outcome(outcome: Outcome, lang: Lang) -> dict[str, Any]:
    if outcome.error is not None:
        return {"file": outcome.source, "readable": False,
                "error": {"reason": outcome.error.reason, "field": _field(outcome.error),
                          "pointer": outcome.error.field}}
    assert outcome.report is not None
    body = outcome.report.as_json()
    for violation in body["violations"]:
        violation["message"] = violation["messages"].get(lang.value, violation["message"])
    return {"file": outcome.source, "readable": True, **body}
