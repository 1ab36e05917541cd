"""The reads a check and a trial price need from the store, and the records they come back as.

The register's store implements :class:`CheckSources` (``vptr.store.check_sources``); the unit
tests use :class:`vptr.domain.memory_sources.InMemorySources`. The protocol is deliberately narrow:
every method is one indexed query, so a check costs a handful of lookups whatever the store's size.

Licence plates never cross this boundary in clear: the store hashes them with the tenant's key
(:meth:`CheckSources.plate_hash`) and all plate reads go by that hash, so checks keep working after
retention has replaced the clear plate with its pseudonym.

Records are small frozen dataclasses rather than the generated Pydantic classes because the check
is the hot path (hundreds per second); regimes, which are few and change rarely, are handed over as
the generated :class:`~vptr.standard.datamodel.Regime` so the store can parse them once and cache.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from vptr.standard.datamodel import Regime


@dataclass(frozen=True, slots=True)
class ZoneRecord:
    """A zone as a check needs it: who owns it (whose plate key applies) and its local time zone."""

    id: str
    area_manager: str
    time_zone: str = "Europe/Brussels"
    zone_kind: str | None = None
    name: str | None = None


@dataclass(frozen=True, slots=True)
class RightRecord:
    """A parking or access right of one plate in one zone.

    ``end`` is the planned end of an active right or the actual end of an ended one; ``None`` means
    open-ended. ``status`` is ``active``, ``ended`` or ``revoked`` (the model's RightStatus).
    """

    id: str
    zone: str
    start: datetime
    end: datetime | None
    status: str
    right_kind: str = "parking"
    regime: str | None = None
    #: Minutes of a permit's credit the right used (F2.5), 0 if none.
    credit_minutes: int = 0


@dataclass(frozen=True, slots=True)
class PermitRecord:
    """A permit that names the plate among its vehicles (person-bound permits never match a plate).

    ``status`` is the permit's current PermitStatus; ``status_since`` is when that status took
    effect, if the store knows it, so a permit revoked today still counts for a moment before its
    revocation; ``history`` is every (status, since) the permit took, oldest first
    (:mod:`vptr.domain.status_history`), which answers for any moment.
    """

    id: str
    permit_type: str
    zones: tuple[str, ...]
    start: datetime
    end: datetime | None
    status: str
    status_since: datetime | None = None
    history: tuple[tuple[str, datetime], ...] = ()


@dataclass(frozen=True, slots=True)
class WhitelistEntryRecord:
    """A whitelist entry of the plate with the list it belongs to.

    An entry holds for its own zones and period where it names them, else for the list's; it never
    reaches beyond the list's period.
    """

    id: str
    whitelist: str
    list_zones: tuple[str, ...]
    list_start: datetime
    list_end: datetime | None
    entry_zones: tuple[str, ...] = ()
    entry_start: datetime | None = None
    entry_end: datetime | None = None
    reason: str | None = None


@runtime_checkable
class CheckSources(Protocol):
    """Every read the check and the trial price make. All instants are timezone-aware."""

    def zones_by_ids(self, zone_ids: Sequence[str]) -> list[ZoneRecord]:
        """The zones with these IRIs that exist; unknown IRIs are simply left out."""
        ...

    def zones_at_point(self, lon: float, lat: float, moment: datetime) -> list[ZoneRecord]:
        """Every zone whose geometry contains the WGS84 point and that is valid at ``moment``
        (no validity period means always valid): the stacked layers a check "pricks" through."""
        ...

    def regimes_in_force(self, zone_ids: Sequence[str], moment: datetime) -> list[Regime]:
        """The regime versions that list any of these zones and whose validity period contains
        ``moment`` (start inclusive, end exclusive)."""
        ...

    def regime_history(self, zone_id: str) -> list[Regime]:
        """Every version of every regime that lists the zone, in any order (for trial prices)."""
        ...

    def linked_regimes(self, series: Collection[str], moment: datetime) -> list[Regime]:
        """The regime versions in force at ``moment`` that are one of the regimes ``series``
        (IRIs across versions) or whose ``grants`` or ``excludes`` name one of them
        (:mod:`vptr.domain.linked_regimes`); in any order."""
        ...

    def plate_hash(self, area_manager: str, country: str, plate_number: str) -> str:
        """The pseudonymous lookup key of a normalised plate under the area manager's tenant key."""
        ...

    def rights_for_plate(
        self, plate_hash: str, zone_ids: Sequence[str], since: datetime, until: datetime
    ) -> list[RightRecord]:
        """Rights with this plate hash in any of the zones whose validity overlaps the window:
        ``start <= until`` and (``end`` is None or ``end > since``). Any status may be returned;
        the check itself ignores revoked rights."""
        ...

    def permits_for_plate(
        self, plate_hash: str, zone_ids: Sequence[str], moment: datetime
    ) -> list[PermitRecord]:
        """Permits with this plate hash among their vehicles, covering any of the zones, whose
        validity period contains ``moment``. Any status may be returned."""
        ...

    def whitelist_entries_for_plate(
        self, plate_hash: str, zone_ids: Sequence[str], moment: datetime
    ) -> list[WhitelistEntryRecord]:
        """Whitelist entries with this plate hash whose effective zones (the entry's, else the
        list's) include any of the zones. The period may be checked by the store or left to the
        caller; the check re-checks it either way."""
        ...
