"""regimes."""

from fastapi import APIRouter

from vptr.web.pages import PREFIX, WebRoute

router = APIRouter(prefix=PREFIX, route_class=WebRoute, include_in_schema=False)
