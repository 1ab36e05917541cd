"""How a caller presents the register's credential over HTTP, the same on every channel (the
native API, APDS, NPR's JSON and SOAP): ``Authorization: Bearer <API key or token>``, or
``X-API-Key``. Read from the headers alone, so no channel needs another's code for it."""

from __future__ import annotations

from collections.abc import Mapping


def presented_credential(headers: Mapping[str, str]) -> str | None:
    """The credential in the headers (header names as the server lowers them), or None. An
    ``Authorization`` header of another scheme presents none, even beside an ``X-API-Key``."""
    authorization = headers.get("authorization")
    if authorization:
        scheme, _, value = authorization.partition(" ")
        return value.strip() if scheme.lower() == "bearer" and value.strip() else None
    key = headers.get("x-api-key")
    return key.strip() if key else None
