"""The APDS routers, all under ``/apds``."""

from vptr.apds.routes.configuration import router as configuration
from vptr.apds.routes.holdings import router as holdings
from vptr.apds.routes.quotes import router as quotes

ROUTERS = [holdings, configuration, quotes]
