"""Linked regimes at registration (F1.6; the rules: :mod:`vptr.domain.linked_regimes`): a right
under a regime cannot be registered while the plate holds a right, for an overlapping time, under
a regime that excludes it or that it excludes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection

from vptr.domain.linked_regimes import excluded, exclusive, regime_series, series_of, under
from vptr.errors import Conflict, FieldError
from vptr.repositories.rights import lock_plate
from vptr.store.check_sources import StoreCheckSources
from vptr.times import LATEST, format_instant


def refuse_exclusive(connection: Connection, tenant: str, zone: str, regime: str | None,
                     plate_hash: str, start: datetime, end: datetime | None) -> None:
    """Raises 409 when the new right (in ``zone``, under ``regime`` if named, else under the
    regimes in force there at ``start``) is excluded by a right the plate already holds."""
    sources = StoreCheckSources(connection)
    in_zone = sources.regimes_in_force([zone], start)
    new = [r for r in in_zone if regime is None or regime_series(r) == series_of(regime)]
    if not new:
        return
    names = {regime_series(r) for r in new} | set().union(*(excluded(r) for r in new))
    others = exclusive(sources.linked_regimes(sorted(names), start), new, tenant)
    if not others:
        return
    zones = sorted({z for r in others for z in r.zones})
    until = end or LATEST
    # Every registration that meets an excluding link takes this lock before reading the plate's
    # rights: the two sides of a mutual exclusion then read one after the other.
    lock_plate(connection, tenant, plate_hash)
    for right in sources.rights_for_plate(plate_hash, zones, start, until):
        if right.status == "revoked" or (end is not None and right.start >= end):
            continue
        for other in others:
            if right.zone in other.zones and under(right.regime, other):
                raise Conflict(
                    f"the plate holds a right under regime {regime_series(other)} from "
                    f"{format_instant(right.start)}, which cannot be combined with a right "
                    "under this zone's regime (linked regimes exclude each other)",
                    [FieldError("regime" if regime else "zone",
                                f"excluded by {regime_series(other)} (right {right.id})")])
