"""Several instances of the web app on one store share their sessions (no sticky sessions): log in
on one, use the session and its CSRF token on the other, log out on one and be refused on the
other. On SQLite (a file two instances share) and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from vptr.app import create_app
from vptr.settings import Settings
from vptr.store.database import Store

from .conftest import StaffClient, log_in


@pytest.fixture
def two_instances(store_url: str) -> Iterator[tuple[TestClient, TestClient]]:
    """Two apps, each with a store (engine, pool) of its own, on the same database."""
    stores = [Store(Settings(database_url=store_url, demo=True, audit_flush_seconds=0,
                             rate_limit_per_second=0)) for _ in range(2)]
    clients = []
    for store in stores:
        store.prepare()
        clients.append(StaffClient(create_app(store.settings, store)))
    yield clients[0], clients[1]
    for client, store in zip(clients, stores, strict=True):
        client.close()
        client.app.state.runtime.close()
        store.dispose()


def test_a_session_made_on_one_instance_works_on_the_other(two_instances):
    first, second = two_instances
    log_in(first, "an.beheerder")
    second.cookies.set("vptr_beheer", first.cookies.get("vptr_beheer"), path="/beheer")
    assert "An Beheerder" in second.get("/beheer/").text

    # The CSRF token of the session, read on the first, is accepted by the second.
    second.csrf = first.csrf
    made = second.post_form("/beheer/witte-lijsten/nieuw", {
        "name": "Gedeelde sessie", "reason": "event", "zones": ["gent-autoluwe-kern"],
        "validFrom": "2026-01-01"})
    assert made.status_code == 200 and "Gedeelde sessie" in made.text
    assert "Gedeelde sessie" in first.get("/beheer/witte-lijsten").text
    second.csrf = "forged"
    assert second.post_form("/beheer/witte-lijsten/nieuw", {"name": "Vervalst"}
                            ).status_code == 403

    # Logged out on the second: the first refuses the session at once.
    second.csrf = first.csrf
    assert second.post_form("/beheer/logout", follow_redirects=False).status_code == 303
    refused = first.get("/beheer/", follow_redirects=False)
    assert refused.status_code == 303 and refused.headers["location"].startswith("/beheer/login")
    assert first.post_form("/beheer/witte-lijsten/nieuw", {"name": "Na afmelden"},
                           follow_redirects=False).status_code in (303, 403)
