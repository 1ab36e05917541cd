"""The NPR message endpoints are served without FastAPI's dependency machinery (vptr.npr.routes
NprRoute, for speed), so they must run the app's guards themselves: the per-organisation rate
limit and the refusal of control characters hold on them as on every route."""

from __future__ import annotations

from fastapi.testclient import TestClient

from vptr.app import create_app
from vptr.services.demo import credential


def test_the_rate_limit_holds_on_the_npr_message_endpoints(store):
    app = create_app(store.settings.model_copy(update={
        "rate_limit_per_second": 0.01, "rate_limit_burst": 3}), store)
    client = TestClient(app, headers={"Authorization": f"Bearer {credential('provider').key}"})
    try:
        body = {"RetrieveAreaManagersRequestData": {}}
        statuses = [client.post("/npr/RetrieveAreaManagers", json=body).status_code
                    for _ in range(5)]
        soap = client.post("/npr/soap", content=b"<x/>",
                           headers={"Content-Type": "text/xml; charset=utf-8"})
    finally:
        client.close()
        app.state.runtime.close()
    assert statuses[:3] == [200] * 3 and statuses[3:] == [429, 429]
    assert soap.status_code == 429
