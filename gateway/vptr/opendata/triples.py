"""The register's stored documents as RDF triples, written as text one resource at a time.

A dump of the whole register is streamed: each document becomes its N-Triples (or Turtle) lines
and is forgotten, so the server's memory never depends on the register's size. rdflib would build
a graph per document and serialise it, several times slower; here the standard context is read
once (:func:`vptr.validation.json_reader.standard_context`) and each document is walked once,
applying JSON-LD's rules for the features the context uses: terms, compact IRIs, ``@id`` and
``@vocab`` coercion (with the scoped code-list contexts), datatype coercion, ``@set`` (arrays are
values), nested nodes as blank nodes. The test suite holds this to rdflib's reading of the same
JSON-LD, graph for graph, over every public document of the demo.

:func:`publishable` is the JSON-LD document the channel publishes: numbers under a datatype other
than xsd:integer and xsd:boolean become their lexical form, so every JSON-LD processor reads the
same literal (a JSON number under xsd:decimal is ambiguous between processors).
"""

from __future__ import annotations

import re
from itertools import count
from typing import Any

from vptr.validation.json_reader import StandardContext, standard_context

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER, _BOOLEAN, _DOUBLE, _STRING = (XSD + "integer", XSD + "boolean", XSD + "double",
                                        XSD + "string")
_IRI_UNSAFE = re.compile(r'[<>"{}|^`\\\x00-\x20]')
_CONTROL = re.compile(r"[\x00-\x1f]")
#: Local names written as prefixed names: a conservative subset of Turtle's PN_LOCAL.
_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_COMMON = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "xsd": XSD}

Triple = tuple[str, str, str]  # subject, predicate, object, each as an N-Triples term
_TYPE_TERM = f"<{RDF_TYPE}>"


def iri_term(iri: str) -> str:
    if _IRI_UNSAFE.search(iri):
        iri = _IRI_UNSAFE.sub(lambda m: f"%{ord(m.group()):02X}", iri)
    return f"<{iri}>"


def literal_term(lexical: str, datatype: str = _STRING) -> str:
    text = lexical
    if "\\" in text:
        text = text.replace("\\", "\\\\")
    if '"' in text:
        text = text.replace('"', '\\"')
    if "\n" in text or "\r" in text:
        text = text.replace("\n", "\\n").replace("\r", "\\r")
    if _CONTROL.search(text):
        text = _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04X}", text)
    if datatype == _STRING:
        return f'"{text}"'
    return f'"{text}"^^<{datatype}>'


def _double(value: float) -> str:
    mantissa, exponent = f"{value:.15E}".split("E")
    mantissa = mantissa.rstrip("0")
    if mantissa.endswith("."):
        mantissa += "0"
    return f"{mantissa}E{int(exponent)}"


class Writer:
    """Turns documents into triples under the standard context; blank nodes are labelled
    ``_:{prefix}{n}``, unique within one writer."""

    def __init__(self, context: StandardContext | None = None, prefix: str = "b") -> None:
        self.ctx = context or standard_context()
        self._labels = count(1)
        self._prefix = prefix
        self._predicates: dict[str, tuple[str, Any] | None] = {}
        self._types: dict[str, str] = {}
        self._codes: dict[tuple[str, str], str] = {}
        self._shorts: dict[str, str] = {}

    # --- IRIs -------------------------------------------------------------------------------

    def _compact(self, value: str) -> str:
        prefix, _, local = value.partition(":")
        if local and not local.startswith("//") and prefix in self.ctx.prefixes:
            return self.ctx.prefixes[prefix] + local
        return value

    def _vocab_iri(self, value: str, scoped: dict[str, str] | None = None,
                   vocab: str | None = None) -> str:
        if scoped and value in scoped:
            return self._compact(scoped[value])
        if value in self.ctx.class_iris:
            return self.ctx.class_iris[value]
        expanded = self._compact(value)
        if expanded == value and ":" not in value and vocab:
            return vocab + value
        return expanded

    def _predicate(self, key: str) -> tuple[str, Any] | None:
        """The predicate (as an N-Triples term) and term definition of a key, remembered."""
        try:
            return self._predicates[key]
        except KeyError:
            pass
        term = self.ctx.terms.get(key)
        found: tuple[str, Any] | None
        if term is not None:
            found = iri_term(term.iri), term
        elif ":" in key:
            found = iri_term(self._compact(key)), None
        else:
            found = None  # not in the context: JSON-LD drops it
        if len(self._predicates) < 10_000:
            self._predicates[key] = found
        return found

    # --- values -----------------------------------------------------------------------------

    def _node(self, node: dict[str, Any], out: list[Triple]) -> str:
        identifier = node.get("id", node.get("@id"))
        subject = (iri_term(self._compact(identifier)) if isinstance(identifier, str)
                   else f"_:{self._prefix}{next(self._labels)}")
        for key, value in node.items():
            if key in ("id", "@id", "@context") or value is None:
                continue
            if key in ("type", "@type"):
                for item in value if isinstance(value, list) else [value]:
                    if item not in self._types:
                        self._types[item] = iri_term(self._vocab_iri(item))
                    out.append((subject, _TYPE_TERM, self._types[item]))
                continue
            found = self._predicate(key)
            if found is None:
                continue
            predicate = found[0]
            for item in value if isinstance(value, list) else [value]:
                obj = self._object(item, found[1], out)
                if obj is not None:
                    out.append((subject, predicate, obj))
        return subject

    def _object(self, value: Any, term: Any, out: list[Triple]) -> str | None:
        if value is None:
            return None
        if isinstance(value, dict):
            if "@value" in value:
                datatype = value.get("@type")
                return literal_term(str(value["@value"]),
                                    self._compact(datatype) if datatype else _STRING)
            return self._node(value, out)
        coercion = term.coercion if term is not None else None
        if isinstance(value, str):
            if coercion == "@id":
                return iri_term(self._compact(value))
            if coercion == "@vocab":
                key = (term.name, value)
                found = self._codes.get(key)
                if found is None:
                    found = iri_term(self._vocab_iri(value, term.enum_values, term.enum_vocab))
                    if len(self._codes) < 10_000:
                        self._codes[key] = found
                return found
            if coercion is not None:
                return literal_term(value, coercion)
            return literal_term(value)
        if isinstance(value, bool):
            return literal_term("true" if value else "false",
                                coercion if coercion not in (None, "@id", "@vocab") else _BOOLEAN)
        if isinstance(value, int | float):
            datatype = coercion if coercion not in (None, "@id", "@vocab") else None
            if isinstance(value, float) and (not value.is_integer() or datatype == _DOUBLE
                                             or datatype is None):
                return literal_term(_double(value), datatype or _DOUBLE)
            return literal_term(str(int(value)), datatype or _INTEGER)
        return None

    # --- documents --------------------------------------------------------------------------

    def triples(self, document: dict[str, Any]) -> list[Triple]:
        out: list[Triple] = []
        self._node(document, out)
        return out

    def ntriples(self, document: dict[str, Any]) -> str:
        return "".join(f"{s} {p} {o} .\n" for s, p, o in self.triples(document))

    def turtle(self, document: dict[str, Any]) -> str:
        """The document's triples as Turtle statements, one per subject, IRIs under the standard
        context's prefixes written as prefixed names (:meth:`turtle_prefixes` declares them);
        ``a`` for rdf:type."""
        lines: list[str] = []
        by_subject: dict[str, list[tuple[str, str]]] = {}
        for s, p, o in self.triples(document):
            by_subject.setdefault(s, []).append((p, o))
        short = self._short
        for subject, pairs in by_subject.items():
            body = " ;\n    ".join(f"{short(p)} {short(o)}" for p, o in pairs)
            lines.append(f"{short(subject)}\n    {body} .\n")
        return "\n".join(lines) + "\n"

    def turtle_prefixes(self) -> str:
        return "".join(f"@prefix {prefix}: <{namespace}> .\n"
                       for prefix, namespace in self._namespaces) + "\n"

    @property
    def _namespaces(self) -> list[tuple[str, str]]:
        found = getattr(self, "_namespace_list", None)
        if found is None:
            found = sorted(((p, n) for p, n in {**self.ctx.prefixes, **_COMMON}.items()
                            if n.endswith(("#", "/"))), key=lambda item: -len(item[1]))
            self._namespace_list = found
        return found

    def _short(self, term: str) -> str:
        """A term as a prefixed name when it is an IRI under a known namespace with a plain
        local name; anything else as it is (an N-Triples term is a Turtle term)."""
        if term == _TYPE_TERM:
            return "a"
        if not term.startswith("<"):
            if term.startswith('"') and term.endswith(">"):  # a typed literal's datatype
                lexical, _, datatype = term.rpartition("^^")
                return f"{lexical}^^{self._short(datatype)}"
            return term
        cached = self._shorts.get(term)
        if cached is not None:
            return cached
        iri = term[1:-1]
        short = term
        for prefix, namespace in self._namespaces:
            if iri.startswith(namespace) and _LOCAL.match(iri[len(namespace):]):
                short = f"{prefix}:{iri[len(namespace):]}"
                break
        if len(self._shorts) < 10_000:
            self._shorts[term] = short
        return short


def publishable(document: dict[str, Any], context: StandardContext | None = None) -> Any:
    """The document as published in JSON-LD: every scalar under a datatype other than
    xsd:integer or xsd:boolean as its lexical form."""
    ctx = context or standard_context()

    def walk(value: Any, datatype: str | None) -> Any:
        if isinstance(value, list):
            return [walk(v, datatype) for v in value]
        if isinstance(value, dict):
            return {k: walk(v, _datatype(ctx, k)) for k, v in value.items()}
        if datatype is None or isinstance(value, str) or value is None:
            return value
        if isinstance(value, bool):
            return value if datatype == _BOOLEAN else ("true" if value else "false")
        if isinstance(value, int):
            return value if datatype == _INTEGER else str(value)
        if isinstance(value, float):
            return int(value) if value.is_integer() and datatype == _INTEGER else repr(value)
        return value

    return walk(document, None)


def _datatype(ctx: StandardContext, key: str) -> str | None:
    term = ctx.terms.get(key)
    if term is None or term.coercion in (None, "@id", "@vocab"):
        return None
    return term.coercion
