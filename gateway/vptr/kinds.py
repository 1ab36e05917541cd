"""The one registry of the register's stored resource kinds.

Each kind is named once, here, with what every other part needs to know about it: the segment of
its IRIs (``.../id/{name}/{reference}``), the model class of its documents, its table, whether its
rows hold plates (then every access is audited, NF6.8), whether it is part of a tenant's export
(F4.1; in this order: configuration first, then the rights) and whether it is public (published
as open data and in the change stream). The audit log, the export, the open data's change stream,
the mapping harness and the channels' paths read this registry, and those that keep something per
kind (a query, a renderer, a path) check at import time that they cover every kind they should
with :func:`covered`; it names tables by name, so every layer may read it.

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
    #: Its rows name vehicles (a plate, or a permit's vehicles): every read and change of one is
    #: audited, one entry per plate, by pseudonym. A whitelist does not: its entries do.
    holds_plates: bool
    exported: bool
    #: Published as open data, and every change to one appended to the change stream
    #: (vptr.repositories.change_stream.record, in the change's transaction). Never a kind that
    #: holds plates.
    public: bool


#: Organisations first: the open data's dumps and catalogue list the public kinds in this order.
KINDS: tuple[Kind, ...] = (
    Kind("organisation", "Organisation", "organisations", holds_plates=False, exported=False,
         public=True),
    Kind("zone", "Zone", "zones", holds_plates=False, exported=True, public=True),
    Kind("regime", "Regime", "regime_versions", holds_plates=False, exported=True, public=True),
    Kind("permit", "Permit", "permits", holds_plates=True, exported=True, public=False),
    Kind("whitelist", "Whitelist", "whitelists", holds_plates=False, exported=True,
         public=False),
    Kind("whitelist-entry", "WhitelistEntry", "whitelist_entries", holds_plates=True,
         exported=True, public=False),
    Kind("right", "Right", "rights", holds_plates=True, exported=True, public=False),
    Kind("authorisation", "Authorisation", "authorisations", holds_plates=False,
         exported=False, public=False),
)

BY_NAME = {kind.name: kind for kind in KINDS}
#: The kinds whose every read and change is audited.
AUDITED = frozenset(kind.name for kind in KINDS if kind.holds_plates)
#: What a tenant's export holds, in order.
EXPORTED = tuple(kind for kind in KINDS if kind.exported)
#: What open data publishes and the change stream carries, in order.
PUBLIC = tuple(kind for kind in KINDS if kind.public)


def covered(consumer: str, names: set[str] | frozenset[str], expected: set[str] | frozenset[str]
            ) -> None:
    """Raise at import time when a consumer of the registry misses kinds or names unknown ones,
    naming both, so a new kind cannot be half added."""
    missing, unknown = sorted(expected - names), sorted(names - expected)
    if missing or unknown:
        raise RuntimeError(f"{consumer} does not match vptr.kinds: missing {missing}, "
                           f"unknown {unknown}")
