"""Reading a payload into RDF: JSON-LD, plain JSON (the context is applied), Turtle, N-Triples.

JSON-LD silently drops keys its context does not define and happily fetches remote contexts; a
validator must do neither. So JSON is walked first, against the model: unknown keys and types are
errors naming their place, decimals given as JSON numbers become strings (JSON-LD would make doubles of
them), and the one context of this standard is served from the generated file.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from rdflib import Graph

from .. import paths
from .errors import PayloadError
from .model_index import ClassInfo, model_index

#: The published IRI of the context; payloads may name it, the file is never fetched.
CONTEXT_IRI = "https://data.vlaanderen.be/doc/applicatieprofiel/parkeren-en-toegang/context.jsonld"
MAX_PAYLOAD_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 32
_KEYWORDS = {"@context", "@id", "@type", "@graph", "id", "type"}
_DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"


@cache
def context() -> dict[str, Any]:
    """The generated context's ``@context`` object."""
    return json.loads(paths.Artefact.CONTEXT.path().read_text(encoding="utf-8"))["@context"]


def _terms() -> set[str]:
    return {k for k in context() if not k.startswith("@")}


def _resolve_type(value: Any, pointer: str) -> ClassInfo | None:
    index = model_index()
    names = value if isinstance(value, list) else [value]
    found = None
    for name in names:
        if not isinstance(name, str):
            raise PayloadError("a type must be a string", pointer)
        cls = index.classes.get(name) or index.classes_by_iri.get(_expand(name))
        if cls is None:
            raise PayloadError(f"unknown type {name!r}: not a class of the model", pointer)
        found = found or cls
    return found


def _expand(curie: str) -> str:
    prefix, _, local = curie.partition(":")
    ns = context().get(prefix)
    return ns + local if isinstance(ns, str) and local and not local.startswith("//") else curie


def _check_node(node: dict[str, Any], cls: ClassInfo | None, pointer: str, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise PayloadError(f"nested deeper than {MAX_DEPTH} levels", pointer)
    type_value = node.get("type", node.get("@type"))
    if type_value is not None:
        cls = _resolve_type(type_value, f"{pointer}/type")
    terms = _terms()
    for key, value in list(node.items()):
        where = f"{pointer}/{key}"
        if key in _KEYWORDS:
            if key == "@graph":
                _check_value(value, None, where, depth + 1)
            continue
        if ":" in key:  # a full IRI or CURIE: the closed shapes judge it
            continue
        if key not in terms:
            raise PayloadError(f"unknown term {key!r}: not a property of the model", where)
        prop = cls.properties.get(key) if cls else None
        if prop is None:
            continue  # a known term in the wrong class: the closed shape reports it
        if prop.kind == "class" and prop.inlined:
            _check_value(value, model_index().classes[prop.range], where, depth + 1)
        elif prop.kind == "datatype" and prop.range_iri == _DECIMAL:
            node[key] = _decimals_as_strings(value)


def _decimals_as_strings(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return repr(value) if isinstance(value, float) else str(value)
    if isinstance(value, list):
        return [_decimals_as_strings(v) for v in value]
    return value


def _check_value(value: Any, cls: ClassInfo | None, pointer: str, depth: int) -> None:
    if isinstance(value, list):
        for i, item in enumerate(value):
            _check_value(item, cls, f"{pointer}/{i}", depth)
    elif isinstance(value, dict):
        _check_node(value, cls, pointer, depth)


def _with_local_context(document: Any, pointer: str = "") -> Any:
    if isinstance(document, dict):
        ctx = document.get("@context")
        if ctx is None and not pointer:
            document = {"@context": context(), **document}
        elif ctx is not None:
            document["@context"] = _replace_context(ctx, f"{pointer}/@context")
    return document


def _replace_context(ctx: Any, pointer: str) -> Any:
    if isinstance(ctx, str):
        if ctx != CONTEXT_IRI:
            raise PayloadError(f"remote context {ctx!r} is not fetched; use {CONTEXT_IRI}", pointer)
        return context()
    if isinstance(ctx, list):
        return [_replace_context(c, f"{pointer}/{i}") for i, c in enumerate(ctx)]
    if isinstance(ctx, dict):
        return ctx
    raise PayloadError("a context is an IRI, an object or a list of them", pointer)


def prepare_json(document: Any, default_type: str | None = None) -> Any:
    """Checks a JSON(-LD) document against the model's terms and makes it ready for expansion."""
    if isinstance(document, list):
        document = {"@graph": document}
    if not isinstance(document, dict):
        raise PayloadError("a payload is a JSON object or an array of objects", "")
    if default_type and "@graph" not in document and "type" not in document and "@type" not in document:
        document = {"type": default_type, **document}
    document = _with_local_context(document)
    _check_node(document, None, "", 0)
    return document


def parse_json(text: str | bytes) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise PayloadError(f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from exc
    except (UnicodeDecodeError, RecursionError) as exc:
        raise PayloadError(f"not valid JSON: {exc}") from exc


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
    if media_type:
        base = media_type.split(";")[0].strip().lower()
        if base in _JSON_TYPES:
            return "json"
        if base in _RDF_FORMATS:
            return _RDF_FORMATS[base]
    if filename:
        for suffix, fmt in _SUFFIXES.items():
            if filename.lower().endswith(suffix):
                return fmt
    return "json" if data.lstrip()[:1] in (b"{", b"[") else "turtle"


def load_payload(data: bytes | str, media_type: str | None = None, filename: str | None = None,
                 default_type: str | None = None, max_bytes: int = MAX_PAYLOAD_BYTES) -> Graph:
    """Reads a payload in any accepted form into an RDF graph, or raises PayloadError."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if len(raw) > max_bytes:
        raise PayloadError(f"the payload is {len(raw)} bytes, more than the {max_bytes} accepted")
    if not raw.strip():
        raise PayloadError("the payload is empty")
    fmt = detect_format(raw, media_type, filename)
    if fmt == "json":
        return json_to_graph(prepare_json(parse_json(raw), default_type))
    graph = Graph()
    try:
        graph.parse(data=raw.decode("utf-8"), format=fmt)
    except Exception as exc:
        raise PayloadError(f"not valid {'Turtle' if fmt == 'turtle' else 'N-Triples'}: {exc}") from exc
    return graph
