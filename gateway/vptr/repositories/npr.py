"""The codes the NPR message set names the register's things by (``npr_codes``) and the numeric
PSRightId of every right (``npr_rights``): rows in, plain values out.

Kinds of code (``KINDS``): ``areaManager`` (a tenant's AreaManagerId, unique in the register),
``area`` (a zone's AreaId), ``regulation`` (a regime series' RegulationId), ``fare`` (the
FareCalculationCode of a regime series' tariff), ``sellingPoint`` (a meter's SellingPointId,
an alternative key of its zone) and ``usage`` (a tenant's UsageId for a Usage of the model).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, and_, bindparam, delete, insert, or_, select

from vptr.store import tables
from vptr.store.hot_reads import HotSelect

KINDS = ("areaManager", "area", "regulation", "fare", "sellingPoint", "usage")
#: The scope of register-wide codes (AreaManagerId).
GLOBAL = ""

c = tables.npr_codes.c
_AREA_MANAGER = select(c.scope, c.target).where(
    c.kind == "areaManager", c.scope == GLOBAL, c.code == bindparam("code"))
_TENANT = select(c.kind, c.code, c.target, c.description).where(
    or_(c.scope == bindparam("tenant"),
        and_(c.kind == "areaManager", c.scope == GLOBAL, c.target == bindparam("tenant"))))


@dataclass
class TenantCodes:
    """A tenant's codes both ways: ``codes[kind][code] = target`` and ``of[kind][target] = code``
    (the first code in code order where a target has several, as a zone with several meters)."""

    tenant: str
    codes: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    of: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    descriptions: dict[tuple[str, str], str] = field(default_factory=dict)

    @property
    def area_manager_id(self) -> str | None:
        return self.of["areaManager"].get(self.tenant)


def tenant_of_area_manager(connection: Connection, code: str) -> str | None:
    """The tenant with this AreaManagerId, or None."""
    row = connection.execute(_AREA_MANAGER, {"code": code}).first()
    return row.target if row is not None else None


def tenant_codes(connection: Connection, tenant: str) -> TenantCodes:
    """Every code of one tenant, with its AreaManagerId, in one query."""
    found = TenantCodes(tenant)
    rows = connection.execute(_TENANT, {"tenant": tenant}).all()
    for row in sorted(rows, key=lambda r: (r.kind, r.code)):
        found.codes[row.kind][row.code] = row.target
        found.of[row.kind].setdefault(row.target, row.code)
        if row.description:
            found.descriptions[(row.kind, row.code)] = row.description
    return found


def area_managers(connection: Connection) -> list[tuple[str, str, dict[str, Any]]]:
    """Every tenant with an AreaManagerId: (code, tenant IRI, organisation document), by code."""
    o = tables.organisations.c
    rows = connection.execute(
        select(c.code, o.id, o.document).join(tables.organisations, o.id == c.target)
        .where(c.kind == "areaManager", c.scope == GLOBAL)).all()
    return sorted(((r.code, r.id, r.document) for r in rows), key=lambda r: int(r[0]))


def selling_point(connection: Connection, code: str) -> tuple[str, str] | None:
    """(tenant, zone IRI) of a SellingPointId."""
    row = connection.execute(select(c.scope, c.target).where(
        c.kind == "sellingPoint", c.code == code).order_by(c.scope)).first()
    return (row.scope, row.target) if row is not None else None


def set_code(connection: Connection, kind: str, scope: str, code: str, target: str,
             description: str | None = None) -> None:
    """Gives ``target`` the code (replacing what the code named before)."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind of NPR code {kind!r}")
    connection.execute(delete(tables.npr_codes).where(
        c.kind == kind, c.scope == scope, c.code == code))
    connection.execute(insert(tables.npr_codes).values(
        kind=kind, scope=scope, code=code, target=target, description=description))


# --- rights ------------------------------------------------------------------------------------

n = tables.npr_rights.c
_BY_PS_ID = select(n.right_id, n.tenant_id).where(n.ps_right_id == bindparam("id"))


def right_of(connection: Connection, ps_right_id: int) -> str | None:
    """The IRI of the right with this PSRightId."""
    row = connection.execute(_BY_PS_ID, {"id": ps_right_id}).first()
    return row.right_id if row is not None else None


def ps_right_ids(connection: Connection, right_ids: Iterable[str]) -> dict[str, int]:
    """PSRightId by right IRI."""
    wanted = list(dict.fromkeys(right_ids))
    if not wanted:
        return {}
    rows = connection.execute(select(n.right_id, n.ps_right_id).where(n.right_id.in_(wanted)))
    return {r.right_id: int(r.ps_right_id) for r in rows}


_r = tables.rights.c
#: On the check's hot path: run on the driver's cursor (vptr.store.hot_reads).
_CHECKED = HotSelect(select(_r.id, _r.zone_id, _r.tenant_id, _r.start_time, _r.end_time,
                            _r.client_reference, n.ps_right_id)
                     .join(tables.npr_rights, n.right_id == _r.id)
                     .where(_r.id.in_(bindparam("ids", expanding=True))), expanding="ids")


@dataclass(frozen=True, slots=True)
class CheckedRight:
    id: str
    zone_id: str
    tenant_id: str
    start_time: Any
    end_time: Any
    client_reference: str | None
    ps_right_id: int


def rights_with_ids(connection: Connection, right_ids: Iterable[str]) -> list[CheckedRight]:
    """What a check answer lists of rights (zone, period, reference) with their PSRightId."""
    wanted = list(dict.fromkeys(right_ids))
    if not wanted:
        return []
    return [CheckedRight(*row) for row in _CHECKED.rows(connection, ids=wanted)]


def zones(connection: Connection, zone_ids: Iterable[str]) -> dict[str, Any]:
    """Zone rows by IRI (name, validity, document)."""
    wanted = list(dict.fromkeys(zone_ids))
    if not wanted:
        return {}
    z = tables.zones.c
    rows = connection.execute(select(z.id, z.tenant_id, z.name, z.valid_from, z.valid_to,
                                     z.wkt, z.document).where(z.id.in_(wanted)))
    return {row.id: row for row in rows}


def organisation_names(connection: Connection, iris: Iterable[str]
                       ) -> dict[str, tuple[str | None, str]]:
    """(NPR provider code, name) of organisations by IRI; the code is their nprProviderId."""
    wanted = [i for i in dict.fromkeys(iris) if i]
    if not wanted:
        return {}
    o = tables.organisations.c
    found = {}
    for row in connection.execute(select(o.id, o.name, o.document).where(o.id.in_(wanted))):
        code = next((i.get("notation") for i in (row.document or {}).get("identifiers", [])
                     if i.get("identifierScheme") == "nprProviderId"), None)
        found[row.id] = (code, row.name)
    return found


# --- the RDW open-data tables (vptr.services.npr_open_data) ----------------------------------

def tenant_zones(connection: Connection, tenant: str) -> list[Any]:
    z = tables.zones.c
    return connection.execute(select(z.id, z.name, z.valid_from, z.valid_to, z.wkt, z.document)
                              .where(z.tenant_id == tenant).order_by(z.id)).all()


def tenant_regime_versions(connection: Connection, tenant: str) -> list[Any]:
    v = tables.regime_versions.c
    return connection.execute(
        select(v.id, v.regime_id, v.version_number, v.valid_from, v.valid_to, v.document)
        .where(v.tenant_id == tenant).order_by(v.regime_id, v.version_number)).all()


def organisation(connection: Connection, iri: str) -> Any:
    o = tables.organisations.c
    return connection.execute(select(o.id, o.name, o.document).where(o.id == iri)).first()


def kept(connection: Connection, tenant: str) -> dict[tuple[str, str], dict[str, str]]:
    k = tables.npr_kept.c
    rows = connection.execute(select(k.table_name, k.row_key, k.vals).where(k.tenant_id == tenant))
    return {(r.table_name, r.row_key): dict(r.vals) for r in rows}


def keep(connection: Connection, tenant: str, table: str, key: str, values: dict[str, str]
         ) -> None:
    k = tables.npr_kept.c
    connection.execute(delete(tables.npr_kept).where(k.tenant_id == tenant,
                                                     k.table_name == table, k.row_key == key))
    connection.execute(insert(tables.npr_kept).values(tenant_id=tenant, table_name=table,
                                                      row_key=key, vals=values))


def code_owner(connection: Connection, kind: str, scope: str, code: str) -> str | None:
    row = connection.execute(select(c.target).where(c.kind == kind, c.scope == scope,
                                                    c.code == code)).first()
    return row.target if row is not None else None


def owns(connection: Connection, tenant: str, kind: str, target: str) -> bool:
    """Whether ``target`` (a zone, or a regime across its versions) is the tenant's."""
    if kind == "zone":
        z = tables.zones.c
        return connection.execute(select(z.id).where(z.id == target, z.tenant_id == tenant)
                                  ).first() is not None
    v = tables.regime_versions.c
    return connection.execute(select(v.regime_id).where(
        v.regime_id == target, v.tenant_id == tenant).limit(1)).first() is not None


def forget_target(connection: Connection, kind: str, scope: str, target: str) -> None:
    """Removes the codes of this kind that name ``target`` (before it gets its one new code)."""
    connection.execute(delete(tables.npr_codes).where(c.kind == kind, c.scope == scope,
                                                      c.target == target))
