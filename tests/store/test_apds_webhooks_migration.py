"""Revision 0012_apds_webhooks adds the durable webhook queue (``apds_outbox``) beside the APDS
tables, keeps the subscriptions and the delivery log as they were, and can be undone."""

from __future__ import annotations

import sqlalchemy as sa
from support.migrations import downgrade

from vptr.store import migrations
from vptr.store.db import make_engine, sqlite_url


def test_0010_adds_the_queue_and_keeps_subscriptions_and_the_log(tmp_path):
    engine = make_engine(sqlite_url(tmp_path / "store.sqlite"))
    migrations.upgrade(engine, "0011_model_register")
    with engine.begin() as connection:
        connection.execute(sa.text(
            "INSERT INTO organisations (id, tenant_id, name, is_area_manager, is_provider, "
            "is_enforcement, document, created_at, updated_at, version) VALUES ('o', 'o', 'O', "
            "1, 0, 0, '{}', '2026-01-01 00:00:00', '2026-01-01 00:00:00', 1)"))
        connection.execute(sa.text(
            "INSERT INTO apds_subscriptions (id, organisation_id, endpoint, topics, created_at) "
            "VALUES ('s', 'o', 'https://x.example', '[\"SessionCreated\"]', "
            "'2026-01-01 00:00:00')"))
        connection.execute(sa.text(
            "INSERT INTO apds_deliveries (subscription_id, event_id, topic, attempt, at, "
            "delivered) VALUES ('s', 'e', 'SessionCreated', 1, '2026-01-01 00:00:00', 1)"))
    assert "apds_outbox" not in sa.inspect(engine).get_table_names()

    assert migrations.upgrade(engine, "0012_apds_webhooks") == "0012_apds_webhooks"

    inspector = sa.inspect(engine)
    assert {c["name"] for c in inspector.get_columns("apds_outbox")} >= {
        "subscription_id", "event_id", "body", "plate", "attempt", "due_at", "lease_owner",
        "lease_until"}
    with engine.connect() as connection:
        assert connection.execute(sa.text(
            "SELECT id, endpoint FROM apds_subscriptions")).all() == [("s", "https://x.example")]
        assert connection.execute(sa.text(
            "SELECT event_id, attempt FROM apds_deliveries")).all() == [("e", 1)]

    downgrade(engine, "0011_model_register")
    assert "apds_outbox" not in sa.inspect(engine).get_table_names()
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM apds_subscriptions")).scalar() \
            == 1
