"""Export of the caller's own raw data (F4.1), streamed as JSON-LD or CSV."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from vptr.accounting import audit
from vptr.api.deps import StoreDep, area_manager, one_of
from vptr.auth.principal import CurrentPrincipal
from vptr.repositories import export
from vptr.times import now

router = APIRouter(tags=["export"])
FORMATS = ("jsonld", "csv")


@router.get("/export",
            summary="Download all your data (zones, regimes, permits, whitelists, rights)")
def export_tenant_data(
    request: Request, store: StoreDep, principal: CurrentPrincipal,
    format: Annotated[str, Query(description="jsonld (one @graph) or csv (one row per document, "
                                             "with the full document in the last column).")
                      ] = "jsonld",
) -> StreamingResponse:
    tenant = area_manager(principal)
    one_of(format, FORMATS, "format")
    audit.record_read(request, store, [  # one entry per kind: the export holds all of them
        audit.Access(audit.AuditAction.EXPORT, kind, None, tenant)
        for kind in ("right", "permit", "whitelist-entry")])
    stamp = now().strftime("%Y%m%dT%H%M%SZ")
    if format == "csv":
        return StreamingResponse(export.csv_rows(store, tenant), media_type="text/csv",
                                 headers={"Content-Disposition":
                                          f'attachment; filename="vptr-export-{stamp}.csv"'})
    return StreamingResponse(export.jsonld(store, tenant), media_type="application/ld+json",
                             headers={"Content-Disposition":
                                      f'attachment; filename="vptr-export-{stamp}.jsonld"'})
