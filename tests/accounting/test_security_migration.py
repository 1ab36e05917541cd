"""Revision 0002_security adds the security tables and the retention stamp, and can be undone."""

from __future__ import annotations

import sqlalchemy as sa
from support.migrations import downgrade

from vptr.store import migrations
from vptr.store.db import make_engine, sqlite_url

SECURITY_TABLES = {"metering_counts", "audit_events", "oidc_clients"}



def shape(engine: sa.Engine) -> tuple[set[str], set[str]]:
    inspector = sa.inspect(engine)
    return (set(inspector.get_table_names()),
            {column["name"] for column in inspector.get_columns("rights")})


def test_0002_follows_0001_and_adds_the_security_schema(tmp_path):
    engine = make_engine(sqlite_url(tmp_path / "store.sqlite"))
    migrations.upgrade(engine, "0001_initial")
    before_tables, before_columns = shape(engine)

    assert migrations.upgrade(engine, "0002_security") == "0002_security"
    after_tables, after_columns = shape(engine)

    assert not SECURITY_TABLES & before_tables
    assert after_tables - before_tables == SECURITY_TABLES
    assert after_columns - before_columns == {"pseudonymised_at"}


def test_0002_can_be_undone_and_done_again(tmp_path):
    engine = make_engine(sqlite_url(tmp_path / "store.sqlite"))
    migrations.upgrade(engine, "0002_security")
    reference = shape(engine)

    downgrade(engine, "0001_initial")
    tables_, columns = shape(engine)
    assert not SECURITY_TABLES & tables_ and "pseudonymised_at" not in columns

    migrations.upgrade(engine, "0002_security")
    assert shape(engine) == reference
