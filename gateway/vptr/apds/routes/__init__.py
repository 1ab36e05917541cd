"""The APDS routers, all under ``/apds``."""

from vptr.apds.routes.configuration import router as configuration
from vptr.apds.routes.holdings import router as holdings
from vptr.apds.routes.quotes import router as quotes
from vptr.apds.routes.webhooks import router as webhooks

ROUTERS = [holdings, configuration, quotes, webhooks]
