"""The APDS routers, all under ``/apds``."""

from vptr.apds.routes.configuration import router as configuration
from vptr.apds.routes.holdings import router as holdings

ROUTERS = [holdings, configuration]
