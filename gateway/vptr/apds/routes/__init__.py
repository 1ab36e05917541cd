"""The APDS routers, all under ``/apds``."""

from vptr.apds.routes.configuration import router as configuration

ROUTERS = [configuration]
