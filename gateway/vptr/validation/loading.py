"""Reading a payload: bytes to JSON or RDF, and JSON to RDF for the reference validator.

JSON-LD silently drops keys its context does not define and happily fetches remote contexts; a
validator must do neither. Every JSON document is first checked against the model by
:func:`~.json_reader.read_json` (unknown keys and types are errors naming their place, remote
contexts are refused), and the one context of this standard is served from the generated file.
For rdflib's JSON-LD parser the document is then copied with that context in place and the typed
JSON numbers and booleans rdflib would misread written as their lexical forms (decimals keep their
JSON text: JSON-LD would make doubles of them).
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from rdflib import Graph

from .. import paths
from .errors import PayloadError
from .json_reader import CONTEXT_IRI, MAX_DEPTH, read_json, standard_context, typed_lexical

MAX_PAYLOAD_BYTES = 5 * 1024 * 1024
_XSD = "http://www.w3.org/2001/XMLSchema#"

__all__ = ["CONTEXT_IRI", "MAX_DEPTH", "MAX_PAYLOAD_BYTES", "context", "detect_format",
           "json_to_graph", "load_payload", "parse_json", "prepare_json"]


@cache
def context() -> dict[str, Any]:
    """The generated context's ``@context`` object."""
    return json.loads(paths.Artefact.CONTEXT.path().read_text(encoding="utf-8"))["@context"]


def prepare_json(document: Any, default_type: str | None = None) -> Any:
    """Checks a JSON(-LD) document against the model and returns a copy ready for a JSON-LD
    processor; the caller's document is left as it was."""
    document = read_json(document, default_type).document  # old IRIs read as their 1.0 IRIs
    if isinstance(document, list):
        document = {"@graph": document}
    ctx = document.get("@context")
    body = {k: v for k, v in document.items() if k != "@context"}
    if "@graph" in body:
        members = body["@graph"] if isinstance(body["@graph"], list) else [body["@graph"]]
        body["@graph"] = [_member(m, default_type) for m in members]
    else:
        body = _with_type(_typed_copy(body), default_type)
    return {"@context": context() if ctx is None else _local_context(ctx), **body}


def _member(node: dict[str, Any], default_type: str | None) -> dict[str, Any]:
    """An outermost object of a @graph; one with its own context gets the local copy of it."""
    copy = _with_type(_typed_copy({k: v for k, v in node.items() if k != "@context"}),
                      default_type)
    if "@context" in node:
        return {"@context": _local_context(node["@context"]), **copy}
    return copy


def _with_type(node: dict[str, Any], default_type: str | None) -> dict[str, Any]:
    if default_type and "type" not in node and "@type" not in node:
        return {"type": default_type, **node}
    return node


def _local_context(ctx: Any) -> Any:
    if isinstance(ctx, str):
        return context()
    if isinstance(ctx, list):
        return [_local_context(c) for c in ctx]
    return ctx


def _typed_copy(value: Any) -> Any:
    if isinstance(value, list):
        return [_typed_copy(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "@value" in value:
        return dict(value)
    terms = standard_context().terms
    copy: dict[str, Any] = {}
    for key, item in value.items():
        term = terms.get(key)
        if term is not None and term.coercion not in (None, "@id", "@vocab"):
            copy[key] = _scalars_as_text(item, term.coercion)
        else:
            copy[key] = _typed_copy(item)
    return copy


def _scalars_as_text(value: Any, datatype: str) -> Any:
    """JSON scalars rdflib would turn into literals of the wrong value (a float under
    xsd:integer, ``true`` under xsd:integer, any decimal) as their lexical form; whole numbers
    under xsd:integer and booleans under xsd:boolean stay as they are (stored documents keep
    their JSON numbers)."""
    if isinstance(value, list):
        return [_scalars_as_text(v, datatype) for v in value]
    if isinstance(value, bool):
        return value if datatype == _XSD + "boolean" else typed_lexical(value, datatype)
    if isinstance(value, int):
        return value if datatype == _XSD + "integer" else typed_lexical(value, datatype)
    if isinstance(value, float):
        return typed_lexical(value, datatype)
    return _typed_copy(value)


def parse_json(text: str | bytes) -> Any:
    """A payload read one way only: a key twice in one object, ``NaN``, ``Infinity`` and numbers
    beyond a double are refused, as the register's API refuses them."""
    try:
        return json.loads(text, object_pairs_hook=_one_way, parse_constant=_no_constant,
                          parse_float=_finite)
    except json.JSONDecodeError as exc:
        raise PayloadError(
            f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from exc
    except RecursionError as exc:
        raise PayloadError(f"not accepted: JSON nested deeper than {MAX_DEPTH} levels") from exc
    except UnicodeDecodeError as exc:
        raise PayloadError(f"not valid JSON: {exc}") from exc
    except ValueError as exc:  # the hooks' refusals; an integer of 4,300 digits or more
        raise PayloadError(f"not accepted: {str(exc)[:200]}") from exc


def _one_way(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    document = dict(pairs)
    if len(document) < len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise ValueError(f"the key {key!r} appears twice in one object")
            seen.add(key)
    return document


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError(f"{text[:40]} is out of range for a number")
    return value


def json_to_graph(document: Any) -> Graph:
    graph = Graph()
    try:
        graph.parse(data=json.dumps(document), format="json-ld")
    except Exception as exc:  # rdflib raises many kinds for broken JSON-LD
        raise PayloadError(f"not valid JSON-LD: {exc}") from exc
    return graph


_RDF_FORMATS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/x-turtle": "turtle",
}
_JSON_TYPES = {"application/json", "application/ld+json"}
_SUFFIXES = {".ttl": "turtle", ".nt": "nt", ".json": "json", ".jsonld": "json"}


def detect_format(data: bytes, media_type: str | None = None, filename: str | None = None) -> str:
    """``json``, ``turtle`` or ``nt``: from the media type, else the file name, else the first
    character of the data."""
    if media_type:
        base = media_type.split(";")[0].strip().lower()
        if base in _JSON_TYPES or base.endswith("+json"):
            return "json"
        if base in _RDF_FORMATS:
            return _RDF_FORMATS[base]
    if filename:
        for suffix, fmt in _SUFFIXES.items():
            if filename.lower().endswith(suffix):
                return fmt
    return "json" if data.lstrip()[:1] in (b"{", b"[") else "turtle"


def check_size(raw: bytes, max_bytes: int) -> None:
    if len(raw) > max_bytes:
        raise PayloadError(f"the payload is {len(raw)} bytes, more than the {max_bytes} accepted")
    if not raw.strip():
        raise PayloadError("the payload is empty")


def parse_rdf(raw: bytes, fmt: str) -> Graph:
    graph = Graph()
    try:
        graph.parse(data=raw.decode("utf-8"), format=fmt)
    except Exception as exc:
        name = "Turtle" if fmt == "turtle" else "N-Triples"
        raise PayloadError(f"not valid {name}: {exc}") from exc
    return graph


def load_payload(data: bytes | str, media_type: str | None = None, filename: str | None = None,
                 default_type: str | None = None, max_bytes: int = MAX_PAYLOAD_BYTES) -> Graph:
    """Reads a payload in any accepted form into an RDF graph, or raises PayloadError."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    check_size(raw, max_bytes)
    fmt = detect_format(raw, media_type, filename)
    if fmt == "json":
        return json_to_graph(prepare_json(parse_json(raw), default_type))
    return parse_rdf(raw, fmt)
