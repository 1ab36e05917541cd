"""Export of an area manager's own raw data (F4.1): zones, regimes, permits, whitelists and
rights, streamed so the tenant's size never bounds the server's memory. Audited once per kind that
holds plates."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from vptr import kinds
from vptr.accounting.audit import Access, AuditAction
from vptr.auth.access import managed_tenant
from vptr.repositories import export as repository
from vptr.services.codes import one_of
from vptr.services.runtime import Caller, Runtime
from vptr.times import now

FORMATS = ("jsonld", "csv")
_MEDIA = {"jsonld": "application/ld+json", "csv": "text/csv"}


@dataclass(frozen=True)
class Export:
    media_type: str
    file_name: str
    chunks: Iterator[bytes]


def export(runtime: Runtime, caller: Caller, format: str = "jsonld") -> Export:
    """jsonld (one @graph) or csv (one row per document, the full document in the last
    column)."""
    tenant = managed_tenant(caller.principal)
    one_of(format, FORMATS, "format")
    runtime.audit_reads(caller, [Access(AuditAction.EXPORT, kind.name, None, tenant)
                                 for kind in kinds.EXPORTED if kind.holds_plates])
    stamp = now().strftime("%Y%m%dT%H%M%SZ")
    chunks = repository.csv_rows(runtime.store, tenant) if format == "csv" \
        else repository.jsonld(runtime.store, tenant)
    return Export(_MEDIA[format], f"vptr-export-{stamp}.{format}", chunks)
