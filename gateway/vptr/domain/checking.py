"""The check: may this plate park in, or enter, these zones at this moment?

How the answer is reached (the register's rules, stated once here):

- **Zones.** Either the zones named, or every zone whose geometry contains the point (the stacked
  layers). A point inside no zone, or zones with no regime in force, regulate nothing: the answer
  is yes with a ``regimeExempt`` grant, reason ``noRegimeInForce``.
- **Regime versions.** The versions in force at the moment, so a question about a past moment uses
  the rules of that moment, not today's. If ``right_kind`` is given only regimes and rights of that
  kind (parking or access) count.
- **"No payment needed now".** Only when *no* considered regime applies at the moment (outside its
  hours, an exempt day, a public holiday) does the regime itself grant: one ``regimeExempt`` grant
  per (zone, regime) with the reason. If any stacked regime applies, the others' free time does not
  excuse the plate from it.
- **Rights.** A right of the plate in a considered zone counts from ``start - gracePeriodBefore``
  to ``end + gracePeriod`` (end exclusive; an open end counts for ever). A *revoked* right never
  counts, not even for the time before it was revoked; an *ended* right counts up to its (actual)
  end plus grace. Grace is the largest ``gracePeriod`` (and ``gracePeriodBefore``) among the
  considered regime versions.
- **Permits.** A permit counts if it was active at the moment by its status history (a permit
  suspended in March and active again in May counts in February and June, not in April; without a
  history, a suspended or revoked permit counts only for moments before ``status_since``, when the
  store knows it), valid at the moment, covers a
  considered zone, and its type is among the ``allowedPermitTypes`` or ``exemptPermitTypes`` of a
  regime in force in that zone. A disability parking card is bound to a person, not a vehicle: it
  is never found by plate, so a check by plate cannot grant on it (the officer checks the card).
- **Credits** (F2.5): a right that used a permit's credit counts as any right; its grant says
  reason ``permitCredit`` (vptr.services.credits).
- **Whitelist entries.** An entry counts at a moment inside both the entry's period (if any) and its
  list's, in a considered zone among the entry's zones (or the list's, if the entry names none).
- **Not checkable by plate alone.** ``exemptUserClasses``, ``allowedUserClasses`` and
  ``vehicleCriteria`` (emission standard, fuel) need facts the register does not hold for a plate;
  the check reports them in ``unverifiable`` for the zone so enforcement knows to look, but they
  never turn a no into a yes. The same holds for a blue-zone parking disc.
- **Tenants.** Plates are looked up per area manager with that tenant's plate hash; nothing of one
  tenant's rights is read for another tenant's zone.
- **Linked regimes** (``grants``/``excludes``, F1.6; :mod:`vptr.domain.linked_regimes`). A right
  under a regime that ``grants`` a regime in force in a considered zone counts there too, as a
  ``right`` grant with reason ``linkedRegime`` naming the granting regime. Only looked up when such
  a link exists (the catalogue indexes links), so an unlinked check costs nothing more.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from vptr.domain import plates
from vptr.domain.calendar import require_aware, time_zone
from vptr.domain.errors import DomainError
from vptr.domain.linked_regimes import LINKED, granted, granting, regime_series, under
from vptr.domain.regime_time import applicability, enum_value, in_force
from vptr.domain.sources import (
    CheckSources,
    PermitRecord,
    RightRecord,
    WhitelistEntryRecord,
    ZoneRecord,
)
from vptr.domain.status_history import status_at
from vptr.standard.datamodel import Regime
from vptr.times import FIRST_YEAR, LAST_YEAR, in_range, minutes, shifted

RIGHT = "right"
PERMIT = "permit"
WHITELIST_ENTRY = "whitelistEntry"
REGIME_EXEMPT = "regimeExempt"
NO_REGIME = "noRegimeInForce"
DISABILITY_CARD = "disabilityCard"
#: The reason of a right grant whose right used a permit's credit (F2.5).
PERMIT_CREDIT = "permitCredit"



class CheckError(DomainError):
    """A check that cannot be answered as asked; ``field`` names the parameter at fault."""


class UnknownZoneError(CheckError):
    """A named zone is not in the register (or not visible to the caller)."""

    def __init__(self, zone_ids: Sequence[str]) -> None:
        super().__init__(f"unknown zone(s): {', '.join(zone_ids)}", "zone")
        self.zone_ids = list(zone_ids)


@dataclass(frozen=True, slots=True)
class Grant:
    """One reason the plate may be there: a right, a permit, a whitelist entry or the regime."""

    kind: str
    zone: str | None
    id: str | None = None
    end: datetime | None = None
    reason: str | None = None
    name: str | None = None
    within_grace: bool = False


@dataclass(frozen=True, slots=True)
class RegimeConsidered:
    """A regime version in force in a considered zone, and whether it applied at the moment."""

    zone: str
    regime: str
    series: str
    version: int
    applies: bool
    reason: str | None
    name: str | None
    unverifiable: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CheckResult:
    allowed: bool
    checked_at: datetime
    grants: tuple[Grant, ...]
    grace_period: int
    grace_period_before: int
    zones: tuple[ZoneRecord, ...]
    regimes: tuple[RegimeConsidered, ...] = field(default=())
    #: The plate's pseudonym in each tenant asked about (tenant, plate_hash): what the audit log
    #: names, so nobody has to hash the plate again.
    plate_hashes: tuple[tuple[str, str], ...] = field(default=())


def _unverifiable(regime: Regime) -> tuple[str, ...]:
    found = []
    if regime.exemptUserClasses:
        found.append("exemptUserClasses")
    if regime.allowedUserClasses:
        found.append("allowedUserClasses")
    if regime.vehicleCriteria:
        found.append("vehicleCriteria")
    if enum_value(regime.usage) == "blueZoneParking":
        found.append("parkingDisc")
    return tuple(found)


def check(
    sources: CheckSources,
    *,
    country: str,
    plate: str,
    moment: datetime,
    zone_ids: Sequence[str] | None = None,
    point: tuple[float, float] | None = None,
    right_kind: str | None = None,
    zones: Sequence[ZoneRecord] | None = None,
) -> CheckResult:
    """Decide whether the plate may be in the zones (or at the point) at ``moment``.

    ``zones`` may hand over zones the caller already resolved (and authorised), instead of
    ``zone_ids`` or ``point``, to save the lookup.
    """
    require_aware(moment, "at")
    if not in_range(moment):
        raise CheckError(f"the moment must lie in the years {FIRST_YEAR} to {LAST_YEAR}", "at")
    try:
        plate, country = plates.checked(plate, country)
    except plates.PlateError as exc:
        raise CheckError(str(exc), exc.field) from None
    if zones is not None:
        if zone_ids is not None or point is not None:
            raise CheckError("give zones, zone ids or a point, not several", "zone")
        zones = list(zones)
    else:
        zones = resolve_zones(sources, zone_ids, point, moment)
    by_id = {z.id: z for z in zones}

    regimes_by_zone: dict[str, list[Regime]] = defaultdict(list)
    ids = list(by_id)
    for regime in sources.regimes_in_force(ids, moment) if ids else []:
        if not in_force(regime, moment):
            continue
        if right_kind and enum_value(regime.rightKind) != right_kind:
            continue
        for zone_id in regime.zones:
            if zone_id in by_id:
                regimes_by_zone[zone_id].append(regime)

    considered: list[RegimeConsidered] = []
    grace = grace_before = 0
    demanding = False
    for zone in zones:
        tz = time_zone(zone.time_zone)
        for regime in regimes_by_zone.get(zone.id, []):
            state = applicability(regime, moment, tz)
            demanding = demanding or state.applies
            grace = max(grace, regime.gracePeriod or 0)
            grace_before = max(grace_before, regime.gracePeriodBefore or 0)
            considered.append(RegimeConsidered(
                zone.id, regime.id, regime.isVersionOf or regime.id, regime.version,
                state.applies, state.reason, state.name, _unverifiable(regime)))

    # Regimes of other zones whose rights also count here (F1.6): none, nearly always.
    targets = {regime_series(r) for rs in regimes_by_zone.values() for r in rs}
    linked = sources.linked_regimes(sorted(targets), moment) if targets else []

    grants: list[Grant] = []
    if not demanding:
        for item in considered:
            grants.append(Grant(REGIME_EXEMPT, item.zone, item.regime, reason=item.reason,
                                name=item.name))
        for zone in zones:
            if not regimes_by_zone.get(zone.id):
                grants.append(Grant(REGIME_EXEMPT, zone.id, reason=NO_REGIME))
        if not zones:
            grants.append(Grant(REGIME_EXEMPT, None, reason=NO_REGIME))

    tenants: dict[str, list[str]] = defaultdict(list)
    for zone in zones:
        tenants[zone.area_manager].append(zone.id)
    hashes: list[tuple[str, str]] = []
    for tenant, tenant_zones in tenants.items():
        plate_hash = sources.plate_hash(tenant, country, plate)
        hashes.append((tenant, plate_hash))
        grants.extend(_right_grants(sources, plate_hash, tenant_zones, moment, grace,
                                    grace_before, right_kind))
        if linked:
            grants.extend(_linked_right_grants(sources, plate_hash, tenant, tenant_zones,
                                               regimes_by_zone, linked, moment, grace,
                                               grace_before))
        # A permit only ever grants where a regime in force accepts a permit type: elsewhere
        # (most paid streets) there is nothing to look up.
        permit_zones = [z for z in tenant_zones if any(
            r.allowedPermitTypes or r.exemptPermitTypes for r in regimes_by_zone.get(z, ()))]
        if permit_zones:
            grants.extend(_permit_grants(
                sources.permits_for_plate(plate_hash, permit_zones, moment), permit_zones,
                regimes_by_zone, moment))
        grants.extend(_whitelist_grants(
            sources.whitelist_entries_for_plate(plate_hash, tenant_zones, moment), tenant_zones,
            moment))

    return CheckResult(bool(grants), moment, tuple(grants), grace, grace_before, tuple(zones),
                       tuple(considered), tuple(hashes))


def checked_point(lon: float, lat: float) -> tuple[float, float]:
    """A WGS84 point as every question at a point takes it: finite, within the globe."""
    if not -180.0 <= lon <= 180.0:  # NaN compares false: refused too
        raise CheckError("lon must be between -180 and 180", "lon")
    if not -90.0 <= lat <= 90.0:
        raise CheckError("lat must be between -90 and 90", "lat")
    return lon, lat


def resolve_zones(sources: CheckSources, zone_ids: Sequence[str] | None,
                   point: tuple[float, float] | None, moment: datetime) -> list[ZoneRecord]:
    if (zone_ids is None) == (point is None):
        raise CheckError("give either a zone or a longitude and latitude", "zone")
    if zone_ids is not None:
        wanted = list(dict.fromkeys(zone_ids))
        if not wanted:
            raise CheckError("give at least one zone", "zone")
        found = {z.id: z for z in sources.zones_by_ids(wanted)}
        missing = [z for z in wanted if z not in found]
        if missing:
            raise UnknownZoneError(missing)
        return [found[z] for z in wanted]
    assert point is not None
    lon, lat = checked_point(*point)
    return sorted(sources.zones_at_point(lon, lat, moment), key=lambda z: z.id)


def _right_window(right: RightRecord, moment: datetime, after: timedelta, before: timedelta
                  ) -> bool | None:
    """None: the right does not count at ``moment``; else whether it counts only by grace."""
    if right.status == "revoked":
        return None
    if moment < shifted(right.start, -before):
        return None
    if right.end is not None and moment >= shifted(right.end, after):
        return None
    return (right.end is not None and moment >= right.end) or moment < right.start


def _right_grants(sources: CheckSources, plate_hash: str, zone_ids: list[str], moment: datetime,
                  grace: int, grace_before: int, right_kind: str | None) -> list[Grant]:
    # Held within the calendar: a stored grace period or end may predate the model's bounds.
    after = minutes(grace)
    before = minutes(grace_before)
    out = []
    wanted = set(zone_ids)
    for right in sources.rights_for_plate(plate_hash, zone_ids, shifted(moment, -after),
                                          shifted(moment, before)):
        if right.zone not in wanted:
            continue
        if right_kind and right.right_kind != right_kind:
            continue
        grace_only = _right_window(right, moment, after, before)
        if grace_only is None:
            continue
        out.append(Grant(RIGHT, right.zone, right.id, end=right.end, within_grace=grace_only,
                         reason=PERMIT_CREDIT if right.credit_minutes else None))
    return out


def _linked_right_grants(sources: CheckSources, plate_hash: str, tenant: str,
                         zone_ids: list[str], regimes_by_zone: dict[str, list[Regime]],
                         linked: list[Regime], moment: datetime, grace: int, grace_before: int
                         ) -> list[Grant]:
    """Rights under a regime that grants a regime in force in one of the zones (F1.6)."""
    wanted = {z: {regime_series(r) for r in regimes_by_zone.get(z, ())} for z in zone_ids}
    sources_of = granting(linked, set().union(*wanted.values()), tenant)
    if not sources_of:
        return []
    after, before = minutes(grace), minutes(grace_before)
    their_zones = sorted({z for r in sources_of for z in r.zones})
    out = []
    for right in sources.rights_for_plate(plate_hash, their_zones, shifted(moment, -after),
                                          shifted(moment, before)):
        grace_only = _right_window(right, moment, after, before)
        if grace_only is None:
            continue
        for regime in sources_of:
            if right.zone not in regime.zones or not under(right.regime, regime):
                continue
            for zone_id in zone_ids:
                if zone_id != right.zone and granted_here(regime, wanted[zone_id]):
                    out.append(Grant(RIGHT, zone_id, right.id, end=right.end, reason=LINKED,
                                     name=regime_series(regime), within_grace=grace_only))
    return list(dict.fromkeys(out))


def granted_here(regime: Regime, series_in_zone: set[str]) -> bool:
    return bool(granted(regime) & series_in_zone)


def _permit_counts(permit: PermitRecord, moment: datetime) -> bool:
    if permit.permit_type == DISABILITY_CARD:
        return False
    if moment < permit.start or (permit.end is not None and moment >= permit.end):
        return False
    if permit.history:
        return status_at(permit.history, moment) == "active"
    if permit.status == "active":
        return True
    return permit.status_since is not None and moment < permit.status_since


def _permit_grants(permits: list[PermitRecord], zone_ids: list[str],
                   regimes_by_zone: dict[str, list[Regime]], moment: datetime) -> list[Grant]:
    out = []
    for permit in permits:
        if not _permit_counts(permit, moment):
            continue
        for zone_id in zone_ids:
            if zone_id not in permit.zones:
                continue
            accepted = any(
                permit.permit_type in {enum_value(t) for t in (r.allowedPermitTypes or ())}
                | {enum_value(t) for t in (r.exemptPermitTypes or ())}
                for r in regimes_by_zone.get(zone_id, ())
            )
            if accepted:
                out.append(Grant(PERMIT, zone_id, permit.id, end=permit.end,
                                 reason=permit.permit_type))
    return out


def _whitelist_grants(entries: list[WhitelistEntryRecord], zone_ids: list[str],
                      moment: datetime) -> list[Grant]:
    out = []
    for entry in entries:
        starts = [entry.list_start] + ([entry.entry_start] if entry.entry_start else [])
        ends = [e for e in (entry.list_end, entry.entry_end) if e is not None]
        end = min(ends) if ends else None
        if moment < max(starts) or (end is not None and moment >= end):
            continue
        effective = entry.entry_zones or entry.list_zones
        for zone_id in zone_ids:
            if zone_id in effective:
                out.append(Grant(WHITELIST_ENTRY, zone_id, entry.id, end=end,
                                 reason=entry.reason, name=entry.whitelist))
    return out
