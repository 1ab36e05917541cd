"""Reading a JSON(-LD) payload against the model, straight into a :class:`DataGraph`.

One walk over the document does two jobs. It refuses what cannot be checked, naming the place (a
JSON pointer): unknown terms (JSON-LD would silently drop them), unknown types, remote or nested
contexts, relative or malformed IRIs, references that are not strings, nesting deeper than
:data:`MAX_DEPTH`. And, for documents in the standard's own context, it produces the nodes and
values JSON-LD would produce, without building an RDF graph: keys are the model's slot names,
``type`` names a class, enumeration values are short names, typed values follow the context.

What this walk does not produce itself (a document with its own context, value objects with a
non-string ``@value``) it marks as needing the general JSON-LD path: :attr:`JsonRead.graph` is None
and the caller converts the document with rdflib instead. The checks ran either way.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from .datagraph import RDF_TYPE, XSD, DataGraph, DataNode, Lit
from .errors import PayloadError
from .model_index import ClassInfo, model_index
from .replaced import upgrade_iris, upgrade_keys

#: The published IRI of the context; payloads may name it, the file is never fetched.
CONTEXT_IRI = "https://data.vlaanderen.be/doc/applicatieprofiel/parkeren-en-toegang/context.jsonld"
#: Objects nested deeper than this are refused (a payload of the model nests five or six levels).
MAX_DEPTH = 32

_DECIMAL = XSD + "decimal"
_ID_KEYS = ("id", "@id")
_TYPE_KEYS = ("type", "@type")
_VALUE_KEYS = {"@value", "@type", "@language"}
_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*$")


@dataclass(frozen=True)
class Term:
    """A term of the standard context: its IRI and how JSON-LD coerces its string values."""

    name: str
    iri: str
    coercion: str | None  # "@id", "@vocab", a datatype IRI, or None
    enum_values: dict[str, str]  # for "@vocab": the scoped context's short names
    enum_vocab: str | None


@dataclass(frozen=True)
class StandardContext:
    raw: dict[str, Any]
    terms: dict[str, Term]
    prefixes: dict[str, str]
    class_iris: dict[str, str]


@cache
def standard_context() -> StandardContext:
    """The generated context, parsed into terms once."""
    import json

    from .. import paths

    raw = json.loads(paths.Artefact.CONTEXT.path().read_text(encoding="utf-8"))["@context"]
    prefixes = {k: v for k, v in raw.items()
                if isinstance(v, str) and not k.startswith("@") and v[-1:] in ("#", "/", ":")}

    def expand(value: str) -> str:
        prefix, _, local = value.partition(":")
        if local and not local.startswith("//") and prefix in prefixes:
            return prefixes[prefix] + local
        return value

    terms: dict[str, Term] = {}
    class_iris: dict[str, str] = {}
    for name, definition in raw.items():
        if name.startswith("@") or name in ("id", "type") or name in prefixes:
            continue
        if isinstance(definition, str):
            class_iris[name] = expand(definition)
            continue
        if not isinstance(definition, dict):
            continue
        coercion = definition.get("@type")
        if coercion not in (None, "@id", "@vocab"):
            coercion = expand(coercion)
        scoped = definition.get("@context") or {}
        enum_values = {k: v for k, v in scoped.items() if not k.startswith("@")}
        terms[name] = Term(name, expand(definition["@id"]), coercion, enum_values,
                           scoped.get("@vocab"))
    return StandardContext(raw, terms, prefixes, class_iris)


@dataclass
class JsonRead:
    """The outcome of reading: the nodes (None when the general JSON-LD path must build them)."""

    graph: DataGraph | None
    document: Any


class _Reader:
    def __init__(self, ctx: StandardContext, graph: DataGraph, supporting: bool) -> None:
        self.ctx = ctx
        self.index = model_index()
        self.graph = graph
        self.supporting = supporting
        self.build = True  # False once the document turned out to need the JSON-LD path

    # ---------------------------------------------------------------- IRIs
    def iri(self, value: Any, pointer: str, vocab: bool = False) -> str:
        """Expands a node reference or type as JSON-LD does; refuses relative and malformed IRIs."""
        if not isinstance(value, str):
            raise PayloadError("an identifier or reference must be a string (an IRI)", pointer)
        if value.startswith("_:"):
            if len(value) == 2:
                raise PayloadError("a blank node identifier needs a name after '_:'", pointer)
            return value
        if vocab and value in self.ctx.class_iris:
            return self.ctx.class_iris[value]
        prefix, colon, local = value.partition(":")
        if colon and not local.startswith("//") and prefix in self.ctx.prefixes:
            value = self.ctx.prefixes[prefix] + local
        if not _ABSOLUTE_IRI.match(value):
            raise PayloadError(f"{value!r} is not an absolute IRI", pointer)
        return value

    def node_ref(self, key: str) -> DataNode:
        return self.graph.node(key, blank=key.startswith("_:"))

    # ---------------------------------------------------------------- nodes
    def read_node(self, obj: dict[str, Any], cls: ClassInfo | None, pointer: str, depth: int,
                  default_type: str | None = None) -> DataNode:
        if depth > MAX_DEPTH:
            raise PayloadError(f"nested deeper than {MAX_DEPTH} levels", pointer)
        if "@context" in obj and depth > 0:
            raise PayloadError("a context is only accepted on the outermost objects",
                               f"{pointer}/@context")
        if "@graph" in obj:
            raise PayloadError("@graph is only accepted at the top of the payload",
                               f"{pointer}/@graph")
        for pair in (_ID_KEYS, _TYPE_KEYS):
            if pair[0] in obj and pair[1] in obj:
                raise PayloadError(f"use either {pair[0]!r} or {pair[1]!r}, not both",
                                   f"{pointer}/{pair[1]}")
        node: DataNode | None = None
        for key in _ID_KEYS:
            if key in obj:
                node = self.node_ref(self.iri(obj[key], f"{pointer}/{key}"))
                break
        if node is None:
            node = self.graph.new_blank()
        if node.pointer is None:
            node.pointer = pointer
        type_key = next((k for k in _TYPE_KEYS if k in obj), None)
        if type_key is not None:
            cls = self.read_types(obj[type_key], node, f"{pointer}/{type_key}")
        elif default_type is not None:
            cls = self.read_types(default_type, node, "/type")
        for key, value in obj.items():
            if key in _ID_KEYS or key in _TYPE_KEYS or key == "@context":
                continue
            where = f"{pointer}/{key}"
            term = self.ctx.terms.get(key)
            if term is None:
                if key in self.index.removed:
                    raise PayloadError(f"unknown term {key!r}: {self.index.removed[key]}", where)
                if ":" not in key:
                    raise PayloadError(f"unknown term {key!r}: not a property of the model", where)
                self.read_values(node, self.iri(key, where, vocab=True), None, value, where, depth)
                continue
            prop = cls.properties.get(key) if cls is not None else None
            child_cls = None
            if prop is not None and prop.kind == "class":
                child_cls = self.index.classes.get(prop.range)
            self.read_values(node, term.iri, term, value, where, depth, child_cls)
        return node

    def read_types(self, value: Any, node: DataNode, pointer: str) -> ClassInfo | None:
        names = value if isinstance(value, list) else [value]
        found: ClassInfo | None = None
        for i, name in enumerate(names):
            where = f"{pointer}/{i}" if isinstance(value, list) else pointer
            if not isinstance(name, str):
                raise PayloadError("a type must be a string", where)
            cls = self.index.classes.get(name)
            if cls is None and ":" in name:
                cls = self.index.classes_by_iri.get(self.iri(name, where, vocab=True))
            if cls is None:
                raise PayloadError(f"unknown type {name!r}: not a class of the model", where)
            node.add_type(cls.iri)
            found = found or cls
        return found

    # ---------------------------------------------------------------- values
    def read_values(self, node: DataNode, predicate: str, term: Term | None, value: Any,
                    pointer: str, depth: int, child_cls: ClassInfo | None = None) -> None:
        if isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, list):
                    raise PayloadError("an array inside an array is not accepted", f"{pointer}/{i}")
                self.read_value(node, predicate, term, item, f"{pointer}/{i}", depth, child_cls)
        else:
            self.read_value(node, predicate, term, value, pointer, depth, child_cls)

    def read_value(self, node: DataNode, predicate: str, term: Term | None, value: Any,
                   pointer: str, depth: int, child_cls: ClassInfo | None) -> None:
        if value is None:
            return
        coercion = term.coercion if term is not None else None
        if isinstance(value, dict):
            if "@value" in value or "@language" in value:
                self.add(node, predicate, self.value_object(value, coercion, pointer))
                return
            if coercion not in (None, "@id", "@vocab"):
                raise PayloadError(f"a value of {term.name!r} is a literal, not an object"
                                   if term else "a literal was expected", pointer)
            if coercion == "@id" and not any(k in value for k in _TYPE_KEYS) and \
                    set(value) - set(_ID_KEYS):
                # A reference holds an IRI ({"id": ...} is one too). An object described in its
                # place would be checked by no shape of the profile (no engine infers its type):
                # say so instead of passing it.
                raise PayloadError(f"{term.name!r} refers to another thing: give its IRI, or "
                                   "give the object a 'type' to have it validated"
                                   if term else "a reference was expected", pointer)
            child = self.read_node(value, child_cls, pointer, depth + 1)
            if child.parent is None and child is not node and predicate in \
                    self.index.inlined_properties:
                child.parent, child.parent_property = node, predicate
            self.add(node, predicate, child)
            return
        if coercion == "@id":
            self.add(node, predicate, self.node_ref(self.iri(value, pointer)))
        elif coercion == "@vocab":
            self.add(node, predicate, self.node_ref(self.vocab_value(value, term, pointer)))
        elif coercion is not None:
            _refuse_decimal_number(value, coercion, term, pointer)
            self.add(node, predicate, Lit(typed_lexical(value, coercion), coercion))
        elif isinstance(value, str):
            self.add(node, predicate, Lit(value))
        elif isinstance(value, bool):
            self.add(node, predicate, Lit("true" if value else "false", XSD + "boolean"))
        elif isinstance(value, int):
            self.add(node, predicate, Lit(str(value), XSD + "integer"))
        elif isinstance(value, float):
            self.add(node, predicate, Lit(str(value), XSD + "double"))
        else:
            raise PayloadError("not a JSON value", pointer)

    def vocab_value(self, value: Any, term: Term | None, pointer: str) -> str:
        """An enumeration value: a short name of the code list, or an IRI."""
        if not isinstance(value, str):
            raise PayloadError("a code list value must be a string (its short name)", pointer)
        assert term is not None
        if value in term.enum_values:
            return self._expand_scoped(term.enum_values[value])
        if value in self.ctx.class_iris:
            return self.ctx.class_iris[value]
        if value in self.ctx.terms:
            return self.ctx.terms[value].iri
        prefix, colon, local = value.partition(":")
        if colon and not local.startswith("//") and prefix in self.ctx.prefixes:
            return self.ctx.prefixes[prefix] + local
        if colon and _ABSOLUTE_IRI.match(value):
            return value
        if term.enum_vocab is not None and _ABSOLUTE_IRI.match(term.enum_vocab + value):
            return term.enum_vocab + value
        raise PayloadError(f"{value!r} is not a value of the code list", pointer)

    def _expand_scoped(self, iri: str) -> str:
        prefix, colon, local = iri.partition(":")
        if colon and not local.startswith("//") and prefix in self.ctx.prefixes:
            return self.ctx.prefixes[prefix] + local
        return iri

    def value_object(self, value: dict[str, Any], coercion: str | None, pointer: str) -> Lit:
        unexpected = sorted(set(value) - _VALUE_KEYS)
        if unexpected:
            raise PayloadError(f"a value object has only @value, @type or @language, not "
                               f"{unexpected[0]!r}", f"{pointer}/{unexpected[0]}")
        raw = value.get("@value")
        if isinstance(raw, dict | list) or raw is None:
            raise PayloadError("@value must be a string, number or boolean", f"{pointer}/@value")
        if "@type" in value and "@language" in value:
            raise PayloadError("a value has a type or a language, not both", pointer)
        lang = value.get("@language")
        if lang is not None and not isinstance(lang, str):
            raise PayloadError("@language must be a string", f"{pointer}/@language")
        datatype = coercion if coercion not in (None, "@id", "@vocab") else None
        if "@type" in value:
            datatype = self.iri(value["@type"], f"{pointer}/@type", vocab=True)
        if not isinstance(raw, str):
            self.build = False  # JSON-LD's own rules for typed native values: leave them to it
            return Lit(str(raw))
        return Lit(raw, None if lang else datatype, lang)

    def add(self, node: DataNode, predicate: str, value: DataNode | Lit) -> None:
        """Records a value; the payload's own subjects and nested objects are what it describes
        (a bare reference is not: the register checks that it exists)."""
        if not self.build:
            return
        node.add(predicate, value)
        if not self.supporting:
            node.described = True
            if isinstance(value, DataNode) and value.blank:
                value.described = True


def typed_lexical(value: Any, datatype: str) -> str:
    """The lexical form JSON-LD gives a JSON scalar under a datatype coercion: a number with a
    fraction is written as a double (``6.5`` -> ``"6.5E0"``), as JSON-LD's toRdf does. A number
    under a decimal term never gets here: the reader refuses it (:func:`_refuse_decimal_number`)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e21:
            return str(int(value))
        return canonical_double(value)
    raise PayloadError("not a JSON value")


def _refuse_decimal_number(value: Any, datatype: str, term: Term | None, pointer: str) -> None:
    """Money and percentages are JSON strings (``"4.15"``, docs/architecture.md). A JSON number
    there is refused, naming the field: JSON-LD turns ``4.15`` into the ill-typed
    ``"4.15E0"^^xsd:decimal`` and ``4`` into a value no RDF tool can tell from the string ``"4"``,
    and rdflib even rewrites ``"4.15E0"`` to ``"4.15"`` while parsing, so no SHACL engine built on
    it could say so afterwards. (The profile's decimal pattern catches the double form in engines
    that keep lexical forms as they are, such as Jena's; the JSON Schema refuses any number.)"""
    if datatype == _DECIMAL and isinstance(value, int | float) and not isinstance(value, bool):
        name = term.name if term is not None else "a decimal"
        text = json.dumps(str(value))
        raise PayloadError(f"{name} is a decimal: write it as a JSON string ({text}), never as a "
                           "JSON number, which JSON-LD turns into a double", pointer)


def canonical_double(value: float) -> str:
    """The canonical lexical form of an xsd:double, as JSON-LD's toRdf writes a JSON number with
    a fraction (``4.15`` -> ``"4.15E0"``, ``4.0`` -> ``"4.0E0"``)."""
    mantissa, exponent = f"{value:.15E}".split("E")
    mantissa = mantissa.rstrip("0")
    if mantissa.endswith("."):
        mantissa += "0"
    return f"{mantissa}E{int(exponent)}"


def _check_context(ctx: Any, pointer: str) -> bool:
    """True when the context is the standard one; raises for remote contexts."""
    if isinstance(ctx, str):
        if ctx != CONTEXT_IRI:
            raise PayloadError(f"remote context {ctx!r} is not fetched; use {CONTEXT_IRI}", pointer)
        return True
    if isinstance(ctx, list):
        results = [_check_context(c, f"{pointer}/{i}") for i, c in enumerate(ctx)]
        return all(results)
    if isinstance(ctx, dict):
        _refuse_remote_parts(ctx, pointer, 0)
        return ctx == standard_context().raw
    raise PayloadError("a context is an IRI, an object or a list of them", pointer)


def _refuse_remote_parts(ctx: Any, pointer: str, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise PayloadError(f"nested deeper than {MAX_DEPTH} levels", pointer)
    if isinstance(ctx, dict):
        for key, value in ctx.items():
            where = f"{pointer}/{key}"
            if key in ("@context", "@import") and isinstance(value, str | list):
                for i, item in enumerate(value if isinstance(value, list) else [value]):
                    if isinstance(item, str) and item != CONTEXT_IRI:
                        raise PayloadError(f"remote context {item!r} is not fetched",
                                           f"{where}/{i}" if isinstance(value, list) else where)
            _refuse_remote_parts(value, where, depth + 1)
    elif isinstance(ctx, list):
        for i, item in enumerate(ctx):
            _refuse_remote_parts(item, f"{pointer}/{i}", depth + 1)


def top_level_nodes(document: Any) -> tuple[list[tuple[dict[str, Any], str]], Any]:
    """The outermost objects of a payload with their pointers, and its context (or None)."""
    if isinstance(document, list):
        return [(_object(item, f"/{i}"), f"/{i}") for i, item in enumerate(document)], None
    if not isinstance(document, dict):
        raise PayloadError("a payload is a JSON object or an array of objects", "")
    ctx = document.get("@context")
    if "@graph" in document:
        extra = sorted(k for k in document if k not in ("@context", "@graph"))
        if extra:
            raise PayloadError("beside @graph a payload has only @context", f"/{extra[0]}")
        members = document["@graph"]
        if not isinstance(members, list):
            members = [members]
        return [(_object(item, f"/@graph/{i}"), f"/@graph/{i}")
                for i, item in enumerate(members)], ctx
    body = {k: v for k, v in document.items() if k != "@context"}
    return [(body, "")], ctx


def _object(item: Any, pointer: str) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise PayloadError("each object of the payload must be a JSON object", pointer)
    return item


def read_json(document: Any, default_type: str | None = None, graph: DataGraph | None = None,
              supporting: bool = False) -> JsonRead:
    """Checks a parsed JSON(-LD) document and reads it into ``graph`` (a new one by default).

    Raises :class:`PayloadError` for anything that cannot be validated. ``supporting`` marks the
    entities as context for cross-entity rules: they are read but not validated or reported."""
    document = upgrade_iris(document, standard_context().prefixes, MAX_DEPTH)
    document = upgrade_keys(document, default_type)  # old keys read as their new ones until 2.0
    graph = graph if graph is not None else DataGraph()
    nodes, ctx = top_level_nodes(document)
    standard = True if ctx is None else _check_context(ctx, "/@context")
    reader = _Reader(standard_context(), graph, supporting)
    reader.build = standard
    if default_type is not None and default_type not in model_index().classes:
        raise PayloadError(f"unknown type {default_type!r}: not a class of the model", "/type")
    for obj, pointer in nodes:
        if "@context" in obj and not _check_context(obj["@context"], f"{pointer}/@context"):
            reader.build = False
    for obj, pointer in nodes:
        reader.read_node(obj, None, pointer, 0, default_type)
    return JsonRead(graph if reader.build else None, document)


__all__ = ["CONTEXT_IRI", "MAX_DEPTH", "RDF_TYPE", "JsonRead", "read_json", "standard_context",
           "typed_lexical"]
