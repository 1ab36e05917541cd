"""Open data: the register's public resources for anyone, without an account (docs/open-data.md).

Public are the zones, the regime versions (with the tariffs, time slots and exempt days they
hold) and the organisations that are area managers or providers; their documents hold no plate
and nothing personal. Rights, permits, whitelists, authorisations and every organisation's keys are
never read here (vptr.repositories.change_stream names the only tables it reads).

The zones, regimes and trial prices of the native API keep their tenancy rule for callers with a
key (docs/open-data.md explains the decision): what is public is public here, at the resources'
own IRIs, the same for everyone.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from vptr.auth.principal import Principal
from vptr.errors import NotFound
from vptr.repositories import change_stream as repository
from vptr.repositories.change_stream import PUBLIC_KINDS, PublicRow
from vptr.services.runtime import Caller, Runtime

__all__ = ["ANONYMOUS", "PUBLIC_KINDS", "Catalogue", "PublicRow", "Published", "Tenant",
           "catalogue", "dump", "newest_regime_version", "public_caller", "resource",
           "tenant_of"]


@dataclass(frozen=True)
class Published:
    row: PublicRow
    #: When it last changed, as the change stream knows it (None: not in the stream).
    modified: datetime | None


@dataclass(frozen=True)
class Tenant:
    iri: str
    name: str


@dataclass(frozen=True)
class Catalogue:
    tenants: list[Tenant]
    #: When any public resource last changed.
    modified: datetime | None


def resource(runtime: Runtime, caller: Caller, kind: str, iri: str) -> Published:
    """A public resource by IRI; any other kind, or a resource that is not public, is absent."""
    if kind not in PUBLIC_KINDS:
        raise NotFound(f"no public {kind} {iri}")
    with runtime.store.reading() as connection:
        row = repository.public_row(connection, kind, iri)
        if row is None:
            raise NotFound(f"no public {kind} {iri}")
        return Published(row, repository.last_change(connection, iri))


def newest_regime_version(runtime: Runtime, caller: Caller, regime: str) -> str:
    """The IRI of a regime's newest version (the regime itself is its versions)."""
    with runtime.store.reading() as connection:
        found = repository.newest_version(connection, regime)
    if found is None:
        raise NotFound(f"no regime {regime}")
    return found


def catalogue(runtime: Runtime, caller: Caller) -> Catalogue:
    with runtime.store.reading() as connection:
        tenants = [Tenant(row.id, row.name) for row in repository.tenants(connection)]
        _, modified = repository.head(connection)
    return Catalogue(tenants, modified)


def tenant_of(runtime: Runtime, caller: Caller, iri: str) -> Tenant:
    """A tenant (an area manager) by IRI, for its dataset; 404 when there is none."""
    for tenant in catalogue(runtime, caller).tenants:
        if tenant.iri == iri:
            return tenant
    raise NotFound(f"no area manager {iri}")


def dump(runtime: Runtime, caller: Caller, tenant: str | None = None,
         kinds: tuple[str, ...] = PUBLIC_KINDS) -> Iterator[PublicRow]:
    """Every public resource (of one tenant, or of the register), kind by kind and by IRI, read
    in batches while the caller consumes them: memory does not grow with the register."""
    with runtime.store.reading() as connection:
        for kind in kinds:
            yield from repository.public_rows(connection, kind, tenant)


#: Who an open-data request is: nobody in particular.
ANONYMOUS = Principal("anonymous", "anonymous", frozenset())


def public_caller(operation: str, address: str | None) -> Caller:
    return Caller(ANONYMOUS, operation, address)
