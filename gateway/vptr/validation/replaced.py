"""IRIs of the previous version in a payload, read as the IRIs that replaced them.

Version 1.0 gave the standard's terms Dutch IRIs (``vptr:Right`` became ``vptr:Recht``,
``concept/Gebruiksdoel/paidParking`` became ``concept/Gebruiksdoel/betaalparkeren``). The JSON keys
and code-list short names did not change, so a client that writes ``"type": "Right"`` and
``"usage": "paidParking"`` sees no difference. A client may also write an IRI where the context
allows one (a compact ``"vptr:Right"`` as a type, a full concept IRI as a code-list value, a
``"vptr:channel"`` key); those old IRIs are accepted until version 2.0 of the standard
(docs/reuse.md, "Old IRIs") and rewritten here to their 1.0 IRIs, in the form they came in
(compact stays compact), before anything reads the document: the validators see 1.0 terms, and the
register stores them, so nothing stored names an old IRI.

The pairs come from the model index (``replaced``, written by ``vptr generate`` from the
published ``iri-mapping.ttl``), never from a table in code.

JSON keys a client sends are another matter: a key renamed after 1.0 (issue 13 made a whitelist's
``owner`` its ``areaManager``, the key zones, regimes and permits use) is read as its new key
until version 2.0 of the standard, so a client has a documented period to move (docs/reuse.md,
"Old keys"). :data:`REPLACED_KEYS` lists them, one line each: old key, class, new key, when it
was replaced, and for a key whose value changed shape (a regime's ``exemptPublicHolidays: true``
is now the entry ``{"recurringDay": "publicHoliday"}`` of its ``exemptDays``) how it is read.
The client is told with ``Deprecation`` and ``Warning`` headers
(:func:`deprecation_headers`); a body that sends the old key and the new one with different
values is refused naming the old key, since the register cannot tell which one is meant.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

from .errors import PayloadError
from .model_index import model_index

#: How an old key's value is read into its new key: (old value, the new key's value as sent or
#: None, the old key's JSON pointer) -> the new key's value, None to leave it out.
Reading = Callable[[Any, Any, str], Any]


@dataclass(frozen=True)
class ReplacedKey:
    """A JSON key of class ``cls`` that a client may still send as ``old``, read as ``new``."""

    old: str
    cls: str
    new: str
    since: str  # the day it was replaced (ISO date): the Deprecation header's date
    until: str = "2.0"  # the version of the standard that no longer reads it
    #: For a value that changed shape; None: the value is the new key's, unchanged.
    read: Reading | None = None
    #: What to send instead, when it is more than the new key.
    instead: str | None = None

    @property
    def notice(self) -> str:
        return (f"{self.cls}.{self.old} is deprecated: send {self.instead or self.new} (read as "
                f"{self.new} until version {self.until} of the standard)")


PUBLIC_HOLIDAYS_ENTRY = {"recurringDay": "publicHoliday"}


def _exempt_public_holidays(flag: Any, days: Any, pointer: str) -> Any:
    """``exemptPublicHolidays: true`` is the exempt day ``{"recurringDay": "publicHoliday"}``
    (added once); ``false`` said nothing the list does not (docs/model-decisions.md)."""
    if not isinstance(flag, bool):
        raise PayloadError("exemptPublicHolidays (deprecated) is true or false; send the exempt "
                           'day {"recurringDay": "publicHoliday"} in exemptDays instead', pointer)
    if days is None:
        days = []
    elif not isinstance(days, list):
        days = [days]
    if flag and PUBLIC_HOLIDAYS_ENTRY not in days:
        days = [*days, dict(PUBLIC_HOLIDAYS_ENTRY)]
    return days or None


#: The keys read under their new name until version 2.0 (docs/reuse.md, "Old keys"). Another
#: renamed key is one more line here.
REPLACED_KEYS: tuple[ReplacedKey, ...] = (
    ReplacedKey("owner", "Whitelist", "areaManager", since="2026-12-06"),
    ReplacedKey("exemptPublicHolidays", "Regime", "exemptDays", since="2026-12-07",
                read=_exempt_public_holidays,
                instead='the exempt day {"recurringDay": "publicHoliday"} in exemptDays'),
)


@cache
def _lookup(prefix_items: tuple[tuple[str, str], ...]) -> tuple[dict[str, str], dict[str, str]]:
    """Old full IRI -> new, and old compact IRI (with a prefix of the context) -> new compact."""
    full = dict(model_index().replaced)
    prefixes = dict(prefix_items)
    compact: dict[str, str] = {}
    for old, new in full.items():
        for prefix, ns in prefixes.items():
            if old.startswith(ns):
                compact[f"{prefix}:{old[len(ns):]}"] = _compact(new, prefixes)
    return full, compact


def _compact(iri: str, prefixes: dict[str, str]) -> str:
    best = max((ns for ns in prefixes.values() if iri.startswith(ns)), key=len, default="")
    if not best:
        return iri
    prefix = next(p for p, ns in prefixes.items() if ns == best)
    return f"{prefix}:{iri[len(best):]}"


def upgrade_iris(document: Any, prefixes: dict[str, str], max_depth: int) -> Any:
    """The document with every old IRI (as a key or a string value) replaced by its 1.0 IRI; the
    document itself when it has none (the caller's document is never changed). ``prefixes`` are
    the context's (for compact IRIs); below ``max_depth`` (the reader's limit) nothing is looked
    at: the reader refuses such a document anyway."""
    full, compact = _lookup(tuple(sorted(prefixes.items())))

    def new(text: str) -> str | None:
        if ":" not in text:  # keys and short names: the common case costs one test
            return None
        return full.get(text) or compact.get(text)

    return _upgrade(document, new, max_depth, 0)


def _upgrade(document: Any, new: Callable[[str], str | None], max_depth: int, depth: int) -> Any:
    if depth > max_depth:
        return document
    if isinstance(document, dict):
        changed = False
        out: dict[str, Any] = {}
        for key, value in document.items():
            new_key = new(key) if isinstance(key, str) else None
            new_value = _upgrade(value, new, max_depth, depth + 1)
            changed = changed or new_key is not None or new_value is not value
            out[new_key or key] = new_value
        return out if changed else document
    if isinstance(document, list):
        items = [_upgrade(item, new, max_depth, depth + 1) for item in document]
        return items if any(a is not b for a, b in zip(items, document, strict=True)) else document
    if isinstance(document, str):
        return new(document) or document
    return document


def _top_nodes(document: Any) -> list[Any]:
    """The outermost objects of a payload: the document, or the members of its ``@graph``."""
    if isinstance(document, list):
        return document
    if isinstance(document, dict) and "@graph" in document:
        members = document["@graph"]
        return members if isinstance(members, list) else [members]
    return [document]


def _keys_of(node: Any, default_type: str | None) -> list[ReplacedKey]:
    if not isinstance(node, dict):
        return []
    cls = node.get("type", node.get("@type", default_type))
    return [key for key in REPLACED_KEYS if key.cls == cls and key.old in node]


def replaced_keys_in(document: Any, default_type: str | None = None) -> list[ReplacedKey]:
    """The old keys a payload sends in its outermost objects (``default_type`` for an object
    without a type, as the native API's bodies are)."""
    found = [key for node in _top_nodes(document) for key in _keys_of(node, default_type)]
    return list(dict.fromkeys(found))


def upgrade_keys(document: Any, default_type: str | None = None) -> Any:
    """The payload with every old key of its outermost objects renamed to its new key; the
    payload itself when it has none (the caller's document is never changed). Raises
    :class:`PayloadError` naming the old key when an object sends both keys with different
    values."""
    if not replaced_keys_in(document, default_type):
        return document

    def upgraded(node: Any, pointer: str) -> Any:
        keys = _keys_of(node, default_type)
        if not keys:
            return node
        node = dict(node)
        for key in keys:
            value = node.pop(key.old)
            if key.read is not None:
                read = key.read(value, node.get(key.new), f"{pointer}/{key.old}")
                if read is not None:
                    node[key.new] = read
                continue
            if key.new in node and node[key.new] != value:
                raise PayloadError(f"{key.old} is the old name of {key.new} and both are sent "
                                   f"with different values; send {key.new} only",
                                   f"{pointer}/{key.old}")
            node.setdefault(key.new, value)
        return node

    if isinstance(document, list):
        return [upgraded(node, f"/{i}") for i, node in enumerate(document)]
    if isinstance(document, dict) and "@graph" in document:
        members = document["@graph"]
        if isinstance(members, list):
            return {**document, "@graph": [upgraded(node, f"/@graph/{i}")
                                           for i, node in enumerate(members)]}
        return {**document, "@graph": upgraded(members, "/@graph")}
    return upgraded(document, "")


def deprecation_headers(used: list[ReplacedKey]) -> dict[str, str]:
    """The headers that tell a client it sent an old key: ``Deprecation`` (RFC 9745: the moment
    the key was replaced) and ``Warning`` 299 with what to send instead; none when it sent none."""
    if not used:
        return {}
    since = min(datetime.fromisoformat(key.since).replace(tzinfo=UTC) for key in used)
    return {"Deprecation": f"@{int(since.timestamp())}",
            "Warning": ", ".join(f'299 - "{key.notice}"' for key in used)}


__all__ = ["PUBLIC_HOLIDAYS_ENTRY", "REPLACED_KEYS", "ReplacedKey", "deprecation_headers",
           "replaced_keys_in", "upgrade_iris", "upgrade_keys"]
