"""One router per resource or question; ``ROUTERS`` is what the app mounts, in this order."""

from vptr.api.routes import (
    export,
    operations,
    organisations,
    permits,
    regimes,
    reports,
    rights,
    whitelists,
    zones,
)

ROUTERS = [
    zones.router, regimes.router, rights.router, permits.router, whitelists.router,
    organisations.router, reports.router, export.router, operations.router,
]
