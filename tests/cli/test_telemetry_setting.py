"""FastAPI's OpenTelemetry is the deployment's choice: off by default, on with the setting."""

from __future__ import annotations

from vptr.app import create_app
from vptr.settings import Settings


def _telemetry(app) -> dict:
    return {k: app._telemetry[k] for k in ("tracing", "metrics", "logs")}


def test_opentelemetry_is_off_unless_the_deployment_turns_it_on(tmp_path) -> None:
    off = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'a.sqlite'}"))
    on = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'b.sqlite'}",
                             opentelemetry=True))
    assert _telemetry(off) == {"tracing": False, "metrics": False, "logs": False}
    assert _telemetry(on) == {"tracing": True, "metrics": True, "logs": True}
    assert not off._native_telemetry.enabled()
