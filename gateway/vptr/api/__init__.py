"""The register's native API channel: OSLO JSON-LD over HTTP, errors as RFC 9457 problems.

Routes parse, call a use case of ``vptr.services`` and render; they hold no rule of the register.
The composition root (``vptr.app``) calls :func:`install` and mounts :data:`ROUTERS`.
"""

from vptr.api.access_log import AccessLogWriter, install_plate_redaction
from vptr.api.openapi import install_openapi
from vptr.api.operation_ids import operation_id
from vptr.api.problems import install_problem_handlers
from vptr.api.routes import ROUTERS
from vptr.api.security import install_security

__all__ = ["ROUTERS", "AccessLogWriter", "install", "operation_id"]


def install(app) -> None:
    """Problem handlers, limits, metering, the access-log mask and the completed OpenAPI
    description, before any router is added."""
    install_problem_handlers(app)
    install_security(app)
    install_plate_redaction()
    install_openapi(app)
