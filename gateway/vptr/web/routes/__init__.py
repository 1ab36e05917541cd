"""The web app's routers, one per screen family."""

from vptr.web.routes import home, permits, providers, regimes, reports, rights, whitelists, zones

ROUTERS = [home.router, zones.router, whitelists.router, regimes.router, rights.router,
           reports.router, permits.router, providers.router]
