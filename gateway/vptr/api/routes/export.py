"""Export of the caller's own raw data (F4.1), streamed as JSON-LD or CSV
(:mod:`vptr.services.exports`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from vptr.api.authentication import CurrentCaller, RuntimeDep
from vptr.services import exports

router = APIRouter(tags=["export"])


@router.get("/export",
            summary="Download all your data (zones, regimes, permits, whitelists, rights)")
def export_tenant_data(
    runtime: RuntimeDep, caller: CurrentCaller,
    format: Annotated[str, Query(description="jsonld (one @graph) or csv (one row per document, "
                                             "with the full document in the last column).")
                      ] = "jsonld",
) -> StreamingResponse:
    export = exports.export(runtime, caller, format)
    return StreamingResponse(export.chunks, media_type=export.media_type, headers={
        "Content-Disposition": f'attachment; filename="{export.file_name}"'})
