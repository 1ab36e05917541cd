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
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from .model_index import model_index


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


__all__ = ["upgrade_iris"]
