"""The one registry of the register's stored resource kinds.

Each kind is named once, here, with what every other part needs to know about it: the segment of
its IRIs (``.../id/{name}/{reference}``), the model class of its documents, its table, whether its
rows hold plates (then every access is audited, NF6.8) and whether it is part of a tenant's export
(F4.1; in this order: configuration first, then the rights). The audit log, the export and the
channels' paths read this registry and check at import time that they cover every kind; it names
tables by name, so every layer may read it.

Adding a stored class: the model, its table and migration, its repository, one line here (and the
consumers' checks name what else is missing). See docs/architecture.md.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    name: str  # the IRI segment
    model_class: str
    table: str  # its table in vptr.store.tables
    holds_plates: bool
    exported: bool


KINDS: tuple[Kind, ...] = (
    Kind("zone", "Zone", "zones", holds_plates=False, exported=True),
    Kind("regime", "Regime", "regime_versions", holds_plates=False, exported=True),
    Kind("permit", "Permit", "permits", holds_plates=True, exported=True),
    Kind("whitelist", "Whitelist", "whitelists", holds_plates=True, exported=True),
    Kind("whitelist-entry", "WhitelistEntry", "whitelist_entries", holds_plates=True,
         exported=True),
    Kind("right", "Right", "rights", holds_plates=True, exported=True),
    Kind("organisation", "Organisation", "organisations", holds_plates=False,
         exported=False),
    Kind("authorisation", "Authorisation", "authorisations", holds_plates=False,
         exported=False),
)

BY_NAME = {kind.name: kind for kind in KINDS}
#: The kinds whose every read and change is audited.
AUDITED = frozenset(kind.name for kind in KINDS if kind.holds_plates)
#: What a tenant's export holds, in order.
EXPORTED = tuple(kind for kind in KINDS if kind.exported)


def covered(consumer: str, names: set[str] | frozenset[str], expected: set[str] | frozenset[str]
            ) -> None:
    """Raise at import time when a consumer of the registry misses kinds or names unknown ones,
    naming both, so a new kind cannot be half added."""
    missing, unknown = sorted(expected - names), sorted(names - expected)
    if missing or unknown:
        raise RuntimeError(f"{consumer} does not match vptr.store.kinds: missing {missing}, "
                           f"unknown {unknown}")
