"""The APDS v4 gateway: providers and enforcement integrate with the register in the
international standard (apds4.yaml, the UK National Parking Platform's profile of APDS 4).

A channel like the native API: its routes parse APDS requests (checked against apds4.yaml),
call the use cases of ``vptr.services`` and render APDS answers through the declarative mappings
of ``mappings/apds/`` (:mod:`vptr.mapping`); refusals are APDS ``ResponseStatus`` bodies. The
composition root (``vptr.app``) mounts :data:`ROUTERS`.
"""

from vptr.apds import events
from vptr.apds.openapi import install_openapi
from vptr.apds.routes import ROUTERS

__all__ = ["ROUTERS", "install"]


def install(app) -> None:
    """What the channel needs around its routers: its bodies and answers in the OpenAPI
    description, and the renderer of its webhook events. Its refusals are rendered by its own
    route class; the plates in its queries (``credential_id``) are masked in the access log by
    the one mask of every channel (vptr.api.access_log)."""
    install_openapi(app)
    events.install(app.state.runtime)
