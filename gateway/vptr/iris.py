"""The register's identifiers: minting them, and between an IRI and the API path that serves it.

Data IRIs are ``{data_base_iri}{kind}/{reference}`` with a kind of ``vptr.kinds`` (docs/
architecture.md); the API path uses the reference, the IRI's last segment, so ``/zones/{ref}``
serves ``.../id/zone/{ref}``.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from vptr.errors import Invalid, NotFound

_REFERENCE = re.compile(r"^[A-Za-z0-9._~-]{1,120}$")


class Iris:
    """IRIs under one base (Settings.data_base_iri)."""

    def __init__(self, base: str) -> None:
        self.base = base if base.endswith("/") else base + "/"

    def of(self, kind: str, reference: str) -> str:
        return f"{self.base}{kind}/{reference}"

    def mint(self, kind: str) -> str:
        return self.of(kind, str(uuid.uuid4()))

    def from_path(self, kind: str, reference: str) -> str:
        """The IRI a path reference stands for; a malformed reference cannot name anything."""
        if not _REFERENCE.match(reference):
            raise NotFound(f"no {kind} {reference!r}")
        return self.of(kind, reference)

    def reference(self, kind: str, iri: str) -> str | None:
        """The reference of an IRI of this kind under this base, or None if it is not one."""
        prefix = f"{self.base}{kind}/"
        if not iri.startswith(prefix):
            return None
        ref = iri[len(prefix):]
        return ref if _REFERENCE.match(ref) else None

    def check_own(self, kind: str, iri: object, field: str = "id") -> str:
        """An ``id`` a client chose must be one of the register's IRIs of the right kind, so the
        API can serve it at its path."""
        if not isinstance(iri, str) or self.reference(kind, iri) is None:
            raise Invalid.field(
                field, f"must be an IRI {self.base}{kind}/{{reference}} with a reference of "
                "letters, digits, '.', '_', '~' or '-' (or leave it out and the register mints "
                "one)",
            )
        return iri

    def assign(self, kind: str, document: dict[str, Any], iri: str | None = None) -> str:
        """Gives a document to be written its ``id``: the path's IRI on a PUT (a different ``id``
        in the body is refused), else the client's own one if it is a valid IRI of the register,
        else a new one."""
        if iri is not None:
            if document.get("id", iri) != iri:
                raise Invalid.field("id", f"must be {iri}, the {kind} at this path")
            document["id"] = iri
        elif "id" in document:
            self.check_own(kind, document["id"])
        else:
            document["id"] = self.mint(kind)
        return document["id"]

    def resolve(self, kind: str, value: str) -> str:
        """A query parameter naming a resource by IRI or by reference."""
        if value.startswith(("http://", "https://")):
            return value
        return self.of(kind, value)
