"""The check: may this plate park in, or enter, these zones (or the zones at this point) at this
moment? The most frequent question the register answers, so its path is kept short.

Who may check: an area manager in its own zones, enforcement and providers in zones an
authorisation with ``readRights`` covers (vptr.auth.access). A named zone the caller may not read
is refused; at a point, zones of tenants that authorised the caller for nothing are absent, as
for a named zone, and zones of tenants whose configuration it may read but where it may not check
are left out of the answer (and named), so a scan car at a municipal border checks its own
municipality. Every answer
is audited, a "no" as well: it says something about the plate too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection

from vptr.accounting.audit import of_check
from vptr.auth import access
from vptr.auth.principal import Principal
from vptr.domain.checking import CheckResult, UnknownZoneError, check, resolve_zones
from vptr.domain.errors import DomainError
from vptr.domain.sources import ZoneRecord
from vptr.errors import FieldError, Forbidden, Invalid, NotFound
from vptr.services.runtime import Caller, Runtime
from vptr.store.check_sources import StoreCheckSources
from vptr.times import now


@dataclass(frozen=True, slots=True)
class Question:
    """A check as every channel asks it: zones (IRIs or references) or a point, never both."""

    plate: str
    country: str
    zones: tuple[str, ...] = ()
    lon: float | None = None
    lat: float | None = None
    at: datetime | None = None  # now when absent
    right_kind: str | None = None  # only "parking" or only "access"


@dataclass(frozen=True, slots=True)
class Answer:
    result: CheckResult
    #: Zones at the point whose tenant did not authorise the caller.
    left_out: tuple[str, ...] = ()


def ask(runtime: Runtime, caller: Caller, question: Question) -> Answer:
    """Answer a check and audit what it revealed."""
    moment = question.at or now()
    if question.zones and (question.lon is not None or question.lat is not None):
        raise Invalid.field("zone", "give either zone or lon and lat, not both")
    if not question.zones and (question.lon is None or question.lat is None):
        field = "lat" if question.lon is not None else "lon" if question.lat is not None \
            else "zone"
        raise Invalid.field(field, "give a zone, or both lon and lat")
    zone_ids = [runtime.store.iris.resolve("zone", z) for z in question.zones] or None
    point = (question.lon, question.lat) if zone_ids is None else None
    with runtime.store.hot_reading() as connection:
        sources = StoreCheckSources(connection)
        try:
            zones = resolve_zones(sources, zone_ids, point, moment)  # type: ignore[arg-type]
            allowed, left_out = _readable(runtime, caller.principal, connection, zones,
                                          named=zone_ids is not None)
            result = check(sources, country=question.country, plate=question.plate,
                           moment=moment, zones=allowed, right_kind=question.right_kind)
        except UnknownZoneError as exc:
            raise _unknown(exc) from exc
        except DomainError as exc:
            raise Invalid.field(exc.field, str(exc)) from exc
    runtime.audit_reads(caller, of_check(result))
    return Answer(result, left_out)


def _unknown(exc: UnknownZoneError) -> NotFound:
    """The one answer for a zone that does not exist and for another tenant's."""
    return NotFound(str(exc), [FieldError("zone", "no such zone")])


def _readable(runtime: Runtime, principal: Principal, connection: Connection,
              zones: list[ZoneRecord], *, named: bool
              ) -> tuple[list[ZoneRecord], tuple[str, ...]]:
    """The zones the caller may read rights in, and those left out at a point.

    Another tenant's zone is treated alike whether named or found at a point: if the caller may
    not read that tenant's configuration (it authorised the caller for nothing), the zone is as
    absent as one that does not exist (a named one is not found; at a point it is not there, so
    a check over another municipality answers as over open country). If the caller may read the
    configuration but not check in the zone, a named zone is forbidden, and at a point the zone
    is left out and named (``zonesLeftOut``), or forbidden when no zone there remains."""
    grants = None
    if any(z.area_manager != principal.tenant for z in zones):
        grants = _read_grants(runtime, principal, connection)
    allowed = [z for z in zones if access.may_read_rights_in(principal, z.area_manager, z.id,
                                                               grants)]
    if len(allowed) < len(zones):
        visible = access.visible_tenants(connection, principal, now())
        unseen = [z for z in zones if z not in allowed and z.area_manager not in visible]
        if named and unseen:
            raise _unknown(UnknownZoneError([z.id for z in unseen]))
        if named:
            refused = [z.id for z in zones if z not in allowed]
            raise Forbidden(f"no authorisation to read rights in zone(s): {', '.join(refused)}")
        zones = [z for z in zones if z not in unseen]
    if zones and not allowed:
        raise Forbidden("no authorisation to read rights in any zone at this point")
    return allowed, tuple(z.id for z in zones if z not in allowed)


def _read_grants(runtime: Runtime, principal: Principal, connection: Connection
                 ) -> list[access.Grant]:
    """The caller's read authorisations in force now, remembered by this instance for at most
    ``auth_cache_seconds`` (a withdrawn authorisation stops counting within that bound)."""
    known = runtime.read_grants.get(principal.organisation)
    if known is not None:
        return known
    found = access.grants(connection, principal.organisation, access.READ, now())
    if found:
        runtime.read_grants.put(principal.organisation, found)
    return found
