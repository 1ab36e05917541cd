"""One router per resource or question; ``ROUTERS`` is what the composition root mounts, in this
order (the hot routes first: they are matched before every other path)."""

from vptr.api.routes import (
    admin,
    check,
    export,
    operations,
    organisations,
    permits,
    price,
    regimes,
    reports,
    rights,
    validate,
    whitelists,
    zones,
)

ROUTERS = [
    operations.hot_router, check.router, price.router,
    zones.router, regimes.router, rights.router, permits.router, whitelists.router,
    organisations.router, reports.router, export.router, operations.router, admin.router,
    validate.router,
]
