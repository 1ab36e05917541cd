"""Who may see and change what: the tenant rules and the area managers' authorisations (NF6.1,
NF6.4), answered from the store on every request so every instance agrees at once.

- An area manager reads and writes its own tenant only.
- A provider registers, ends, revokes and adjusts rights only in zones an Authorisation with scope
  ``writeRights`` covers (the zones it lists, or every zone of the grantor when it lists none), and
  reads and searches rights only where one with ``readRights`` does; it always sees the rights it
  registered itself.
- Enforcement reads and checks only with ``readRights``.
- A permit portal manages (issues, changes, reads, withdraws) permits only with ``managePermits``,
  and a whitelist supplier whitelists and their entries only with ``manageWhitelists``, each only
  for permits or whitelists all of whose zones the authorisation covers; neither scope reaches
  rights, nor the other's resources.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    ColumnElement,
    Connection,
    Row,
    and_,
    bindparam,
    exists,
    false,
    or_,
    select,
)

from vptr.auth.principal import Principal
from vptr.errors import Forbidden
from vptr.store import tables

READ = "readRights"
WRITE = "writeRights"
PERMITS = "managePermits"
WHITELISTS = "manageWhitelists"


@dataclass(frozen=True)
class Grant:
    """What an authorisation lets its grantee reach in one tenant: every zone (``zones`` None) or
    the listed ones."""

    tenant: str
    zones: frozenset[str] | None
    authorisation: str


def _in_force(at: datetime) -> ColumnElement[bool]:
    a = tables.authorisations.c
    return and_(or_(a.valid_from.is_(None), a.valid_from <= at),
                or_(a.valid_to.is_(None), a.valid_to > at))


def grants(connection: Connection, organisation: str, scope: str | None, at: datetime
           ) -> list[Grant]:
    """The organisation's authorisations in force at ``at`` with ``scope`` (any scope when None)."""
    a = tables.authorisations.c
    query = select(a.id, a.tenant_id, a.all_zones).where(a.grantee_id == organisation,
                                                         _in_force(at))
    if scope == READ:
        query = query.where(a.can_read)
    elif scope == WRITE:
        query = query.where(a.can_write)
    elif scope == PERMITS:
        query = query.where(a.can_manage_permits)
    elif scope == WHITELISTS:
        query = query.where(a.can_manage_whitelists)
    rows = connection.execute(query).all()
    limited = [r.id for r in rows if not r.all_zones]
    zones: dict[str, set[str]] = {r: set() for r in limited}
    if limited:
        az = tables.authorisation_zones.c
        for auth_id, zone_id in connection.execute(
            select(az.authorisation_id, az.zone_id).where(az.authorisation_id.in_(limited))
        ):
            zones[auth_id].add(zone_id)
    return [Grant(r.tenant_id, None if r.all_zones else frozenset(zones[r.id]), r.id) for r in rows]


_WRITE_AUTHORISATION = (
    select(tables.authorisations.c.id, tables.authorisations.c.all_zones,
           tables.authorisations.c.document)
    .where(
        tables.authorisations.c.grantee_id == bindparam("organisation"),
        tables.authorisations.c.tenant_id == bindparam("tenant"),
        tables.authorisations.c.can_write,
        or_(tables.authorisations.c.valid_from.is_(None),
            tables.authorisations.c.valid_from <= bindparam("at")),
        or_(tables.authorisations.c.valid_to.is_(None),
            tables.authorisations.c.valid_to > bindparam("at")),
        or_(tables.authorisations.c.all_zones, exists().where(
            tables.authorisation_zones.c.authorisation_id == tables.authorisations.c.id,
            tables.authorisation_zones.c.zone_id == bindparam("zone"))),
    )
    .order_by(tables.authorisations.c.id)
    .limit(1)
)
_WRITE_AUTHORISATION_NAMED = _WRITE_AUTHORISATION.where(
    tables.authorisations.c.id == bindparam("authorisation"))


def write_authorisation(connection: Connection, organisation: str, tenant: str, zone: str,
                        at: datetime, authorisation: str | None = None) -> Row | None:
    """The authorisation (id, document) under which ``organisation`` may write rights in ``zone``
    at ``at`` (``authorisation``: only that one), if any. One indexed query: it runs on every
    registration."""
    parameters = {"organisation": organisation, "tenant": tenant, "zone": zone, "at": at}
    if authorisation is None:
        return connection.execute(_WRITE_AUTHORISATION, parameters).first()
    return connection.execute(_WRITE_AUTHORISATION_NAMED,
                              {**parameters, "authorisation": authorisation}).first()


def write_grant(connection: Connection, organisation: str, tenant: str, zone: str, at: datetime
                ) -> Grant | None:
    """An authorisation under which ``organisation`` may write rights in ``zone`` now, if any
    (its ``zones``: None when it covers every zone, else the zone asked about)."""
    row = write_authorisation(connection, organisation, tenant, zone, at)
    if row is None:
        return None
    return Grant(tenant, None if row.all_zones else frozenset({zone}), row.id)


def may_read_rights_in(principal: Principal, tenant: str, zone: str,
                       grants: Iterable[Grant] | None) -> bool:
    """Whether the principal may read (and check) rights in a zone of ``tenant``, given its read
    grants in force *now* (also for a question about the past)."""
    if principal.tenant == tenant:
        return True
    if not (principal.is_enforcement or principal.is_provider) or not grants:
        return False
    return any(g.tenant == tenant and (g.zones is None or zone in g.zones) for g in grants)


#: Tenant -> the zones a principal manages permits or whitelists in there (None: every zone).
Managed = dict[str, frozenset[str] | None]


def managed_by(connection: Connection, principal: Principal, scope: str, at: datetime
               ) -> Managed:
    """Where the principal manages permits (``scope`` PERMITS) or whitelists (WHITELISTS): every
    zone of its own tenant, and the zones of authorisations with the scope in force at ``at``;
    403 when nowhere."""
    managed: Managed = {}
    if principal.is_provider or principal.is_enforcement:
        for grant in grants(connection, principal.organisation, scope, at):
            held = managed.get(grant.tenant, frozenset())
            managed[grant.tenant] = (None if grant.zones is None or held is None
                                     else held | grant.zones)
    if principal.tenant:
        managed[principal.tenant] = None
    if not managed:
        what = "permits" if scope == PERMITS else "whitelists"
        raise Forbidden(f"only an area manager, or an organisation it authorised with {scope}, "
                        f"manages {what}")
    return managed


def covers(managed: Managed, tenant: str, zones: Iterable[str]) -> bool:
    """Whether the principal manages things of ``tenant`` lying in all of ``zones``."""
    if tenant not in managed:
        return False
    allowed = managed[tenant]
    return allowed is None or set(zones) <= allowed


def managed_tenant(principal: Principal) -> str:
    """The caller's tenant; only an area manager manages its configuration and reads its
    reports."""
    if principal.tenant is None:
        raise Forbidden("only an area manager manages this resource")
    return principal.tenant


def visible_tenants(connection: Connection, principal: Principal, at: datetime) -> set[str]:
    """Tenants whose configuration (zones, regimes) the principal may read: its own, or those
    that authorised it for anything."""
    tenants = {principal.tenant} if principal.tenant else set()
    if principal.is_provider or principal.is_enforcement:
        tenants.update(g.tenant for g in grants(connection, principal.organisation, None, at))
    return tenants


def grants_condition(grant_list: Iterable[Grant], tenant_column, zone_column
                     ) -> ColumnElement[bool]:
    """A SQL condition: the row lies in a tenant (and zone) one of the grants covers."""
    clauses: list[ColumnElement[bool]] = []
    for grant in grant_list:
        if grant.zones is None:
            clauses.append(tenant_column == grant.tenant)
        elif grant.zones:
            clauses.append(and_(tenant_column == grant.tenant,
                                zone_column.in_(sorted(grant.zones))))
    return or_(*clauses) if clauses else false()


def rights_read_condition(connection: Connection, principal: Principal, at: datetime
                          ) -> ColumnElement[bool]:
    """Which rights the principal may read."""
    r = tables.rights.c
    clauses: list[ColumnElement[bool]] = []
    if principal.tenant:
        clauses.append(r.tenant_id == principal.tenant)
    if principal.is_provider:
        clauses.append(r.provider_id == principal.organisation)
    if principal.is_provider or principal.is_enforcement:
        clauses.append(grants_condition(grants(connection, principal.organisation, READ, at),
                                        r.tenant_id, r.zone_id))
    if not clauses:
        return false()
    return or_(*clauses) if len(clauses) > 1 else clauses[0]


def may_see_authorisation(principal: Principal, tenant: str, grantee: str) -> bool:
    """An authorisation is seen by the area manager that gave it and the organisation that
    received it."""
    return tenant == principal.tenant or grantee == principal.organisation
