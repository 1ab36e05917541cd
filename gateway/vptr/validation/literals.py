"""Literal values as the reference validator (pySHACL on rdflib) sees them.

Two validators only agree if they agree on what a literal means: which lexical forms are valid for a
datatype, and how two literals compare. Both follow rdflib here: the same lexical-to-value
converters decide well-typedness, and comparisons that are not plain number-to-number or
like-with-like date-time ones are handed to rdflib's own literal ordering (rare: ill-typed values,
mixed datatypes), so that even its odd corners give the same answer.
"""

from __future__ import annotations

import logging
import warnings
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from rdflib import Literal
from rdflib.term import XSDToPython

from .datagraph import XSD, Lit

XSD_STRING = XSD + "string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
RDFS_LITERAL = "http://www.w3.org/2000/01/rdf-schema#Literal"
RDFS_DATATYPE = "http://www.w3.org/2000/01/rdf-schema#Datatype"

_CONVERTERS: dict[str, Any] = {str(k): v for k, v in XSDToPython.items() if k is not None}
_BOOLEAN_LEXICAL = {"true", "false", "1", "0"}
_NUMERIC = {XSD + n for n in (
    "integer", "decimal", "double", "float", "int", "long", "short", "byte", "nonNegativeInteger",
    "nonPositiveInteger", "negativeInteger", "positiveInteger", "unsignedLong", "unsignedInt",
    "unsignedShort", "unsignedByte")}
_VALUE_CLASS: dict[str, type | tuple[type, ...]] = {
    XSD + "integer": int, XSD + "float": float, XSD + "decimal": Decimal,
    XSD + "boolean": bool, XSD + "date": date, XSD + "time": time, XSD + "dateTime": datetime,
}
_MISSING = object()


class _DropConversionWarnings(logging.Filter):
    """rdflib logs every ill-typed literal with a traceback holding the payload's value: noise in
    a server's log, and user data in it. Validation reports ill-typed values itself."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Failed to convert Literal lexical form")


logging.getLogger("rdflib.term").addFilter(_DropConversionWarnings())
# The same for the reference path's booleans ("Parsing weird boolean, 'yes' ..."), a Python warning.
warnings.filterwarnings("ignore", message="Parsing weird boolean", category=UserWarning)


def parsed(lit: Lit) -> tuple[bool | None, Any]:
    """(ill-typed?, value) as rdflib computes them: ``None`` for an unknown datatype, whose
    lexical forms are all accepted."""
    if lit._parsed is None:
        lit._parsed = _parse(lit.lexical, lit.datatype)
    return lit._parsed


def _parse(lexical: str, datatype: str | None) -> tuple[bool | None, Any]:
    if datatype is None:
        return (None, lexical)
    if datatype == XSD + "boolean":  # without rdflib's converter, which warns with the value
        return (lexical not in _BOOLEAN_LEXICAL, lexical in ("true", "1"))
    converter = _CONVERTERS.get(datatype, _MISSING)
    if converter is _MISSING:
        return (None, None)
    if converter is None:
        return (False, lexical)
    try:
        value = converter(lexical)
    except Exception:
        return (True, None)
    if isinstance(value, Decimal) and not value.is_finite():
        # rdflib takes NaN and Infinity as decimals; XSD does not, and pySHACL crashes on them.
        return (True, None)
    return (value is None, value)


def has_datatype(lit: Lit, datatype: str) -> bool:
    """``sh:datatype``: the literal has the datatype and, for a known one, a valid lexical form."""
    if lit.datatype == datatype:
        ill_typed, value = parsed(lit)
        if ill_typed:
            return False
        return _actual_value_matches(value, datatype)
    if datatype == RDFS_LITERAL:
        return True
    if datatype == RDFS_DATATYPE:
        return lit.datatype is not None
    if datatype == XSD_STRING:
        return lit.datatype is None and lit.lang is None
    if datatype == RDF_LANGSTRING:
        return bool(lit.lang)
    return False


def _actual_value_matches(value: Any, datatype: str) -> bool:
    if datatype in (XSD_STRING, RDF_LANGSTRING):
        return isinstance(value, str | bytes)
    expected = _VALUE_CLASS.get(datatype)
    return expected is None or isinstance(value, expected)


def normalised_lexical(lit: Lit) -> str:
    """The lexical form rdflib keeps for the literal: a well-typed number, date or time is
    rewritten in its canonical form (``2026-03-02 10:00Z`` becomes ``2026-03-02T10:00:00+00:00``).
    pySHACL matches ``sh:pattern`` against this form, not against what the payload wrote."""
    if lit.datatype is None or lit.lang is not None or lit.datatype == XSD_STRING:
        return lit.lexical
    if lit._normalised is None:
        lit._normalised = _canonical(lit)
    return lit._normalised


def _canonical(lit: Lit) -> str:
    """rdflib's rewriting of a well-typed literal (``_castPythonToLiteral``) for the value types
    of the profile's datatypes; anything else is left to rdflib itself."""
    _, value = parsed(lit)
    if value is None:  # rdflib rewrites whatever it got a value for, even an ill-typed boolean
        return lit.lexical
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | str):
        return str(value)
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(to_rdflib(lit))


def to_rdflib(lit: Lit) -> Literal:
    return Literal(lit.lexical, datatype=lit.datatype, lang=lit.lang)


def _fast_pair(a: Lit, b: Lit) -> tuple[Any, Any] | None:
    """The two values when they compare plainly (both numbers, or two date-times or two times of
    one datatype), None when rdflib's general literal ordering must decide."""
    if a.lang is not None or b.lang is not None:
        return None
    ill_a, va = parsed(a)
    ill_b, vb = parsed(b)
    if ill_a or ill_b or va is None or vb is None:
        return None
    if a.datatype in _NUMERIC and b.datatype in _NUMERIC:
        if isinstance(va, bool) or isinstance(vb, bool):
            return None
        return (va, vb)
    both_datetimes = isinstance(va, datetime) and isinstance(vb, datetime)
    both_times = isinstance(va, time) and isinstance(vb, time)
    if a.datatype == b.datatype and (both_datetimes or both_times):
        return (va, vb)
    return None


def compare(a: Lit, b: Lit) -> int:
    """pySHACL's literal comparison (sh:minInclusive and friends): -1, 0 or 1; raises TypeError
    when the two cannot be compared (a date-time with and one without a time zone, for one)."""
    pair = _fast_pair(a, b)
    if pair is not None:
        va, vb = pair
        if va == vb:
            return 0
        return 1 if va > vb else -1
    from pyshacl.rdfutil.compare import compare_literal

    try:
        return compare_literal(to_rdflib(a), to_rdflib(b))
    except NotImplementedError as exc:
        raise TypeError(str(exc)) from exc


def less_than(a: Lit, b: Lit) -> bool:
    """rdflib's ``a < b`` for two literals (sh:lessThan): a total order, in which a date-time
    without a time zone comes before any with one."""
    pair = _fast_pair(a, b)
    if pair is not None:
        va, vb = pair
        if isinstance(va, datetime | time):
            return _aware_key(va) < _aware_key(vb)
        return va < vb
    return bool(to_rdflib(a) < to_rdflib(b))


def _aware_key(value: datetime | time) -> tuple[bool, Any]:
    if isinstance(value, datetime):
        aware = value.tzinfo is not None and value.tzinfo.utcoffset(value) is not None
        return (aware, value.replace(tzinfo=None) if not aware else value)
    aware = value.tzinfo is not None and value.tzinfo.utcoffset(None) is not None
    return (aware, value)


def is_string_value(lit: Lit) -> bool:
    """Whether rdflib's value of the literal is a Python string (pySHACL treats those apart)."""
    _, value = parsed(lit)
    return isinstance(value, str)
