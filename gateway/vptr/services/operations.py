"""Whether this instance can serve: its store answers and the schema is the one this version of
the register expects."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from vptr.services.runtime import Runtime
from vptr.store import migrations


@dataclass(frozen=True)
class Readiness:
    status: str  # ready, migrating or unavailable
    details: dict[str, Any]

    @property
    def ready(self) -> bool:
        return self.status == "ready"

    def as_json(self) -> dict[str, Any]:
        return {"status": self.status, **self.details}


def readiness(runtime: Runtime) -> Readiness:
    """Never creates or migrates anything: a probe must not change what it observes."""
    if not runtime.store.present():
        return Readiness("unavailable", {"detail": "no store file at the configured path"})
    try:
        current = migrations.current_revision(runtime.store.engine)
    except Exception as exc:  # any failure to reach the database means: not ready
        return Readiness("unavailable", {"detail": exc.__class__.__name__})
    expected = migrations.head_revision()
    if current != expected:
        return Readiness("migrating", {"schema": current, "expected": expected})
    return Readiness("ready", {"schema": current})
