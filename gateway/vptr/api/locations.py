"""Where the native API serves each kind of the registry (vptr.kinds): ``/zones/{ref}`` serves
``.../id/zone/{ref}``. Whitelist entries are served under their whitelist. Checked at import time
against the registry, so a new kind cannot be added without a place here."""

from __future__ import annotations

from vptr import kinds
from vptr.iris import Iris

#: The collection path of each kind (None: nested under another resource's path).
COLLECTIONS: dict[str, str | None] = {
    "zone": "/zones",
    "regime": "/regimes",
    "permit": "/permits",
    "whitelist": "/whitelists",
    "whitelist-entry": None,
    "right": "/rights",
    "organisation": "/organisations",
    "authorisation": "/authorisations",
}
kinds.covered("vptr.api.locations.COLLECTIONS", set(COLLECTIONS), set(kinds.BY_NAME))


def location(iris: Iris, kind: str, iri: str) -> dict[str, str]:
    """The ``Location`` header of a resource just made."""
    collection = COLLECTIONS[kind]
    assert collection is not None, f"{kind} is served under another resource"
    return {"Location": f"{collection}/{iris.reference(kind, iri)}"}
