"""Rotating a key gives a new one, shown once; the old one stops working, at once or after a grace
window; no key is ever stored or listed in clear."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select
from support import rows
from typer.testing import CliRunner

from vptr.auth.api_keys import issue_key, organisation_for_key, revoke_keys, split_key
from vptr.auth.key_rotation import UnknownOrganisationError, list_keys, rotate_key
from vptr.cli import app as cli
from vptr.store import tables
from vptr.store.db import sqlite_url
from vptr.times import now


@pytest.fixture
def provider(sqlite_engine):
    with sqlite_engine.begin() as connection:
        gent = rows.organisation(connection, "gent", area_manager=True)
        app = rows.organisation(connection, "app", provider=True, tenant=gent)
        first = issue_key(connection, app, label="first")
    return sqlite_engine, app, first.key


def owner(engine, key):
    with engine.connect() as connection:
        return organisation_for_key(connection, key)


def test_after_rotation_the_new_key_works_and_the_old_one_does_not(provider):
    engine, app, old = provider
    with engine.begin() as connection:
        new = rotate_key(connection, app)

    assert owner(engine, new.key) == app
    assert owner(engine, old) is None


def test_during_the_grace_window_both_keys_work_and_after_it_only_the_new(provider):
    engine, app, old = provider
    with engine.begin() as connection:
        new = rotate_key(connection, app, grace=timedelta(hours=1))

    assert owner(engine, old) == app
    assert owner(engine, new.key) == app

    with engine.begin() as connection:  # the window closes: move its end into the past
        connection.execute(
            tables.api_keys.update()
            .where(tables.api_keys.c.prefix != new.prefix)
            .values(revoked=now() - timedelta(seconds=1))
        )
    assert owner(engine, old) is None
    assert owner(engine, new.key) == app


def test_revoking_all_keys_cuts_a_grace_window_short(provider):
    engine, app, old = provider
    with engine.begin() as connection:
        new = rotate_key(connection, app, grace=timedelta(days=7))
        revoke_keys(connection, app)

    assert owner(engine, old) is None
    assert owner(engine, new.key) is None


def test_a_second_rotation_does_not_extend_an_older_keys_grace(provider):
    engine, app, _old = provider
    with engine.begin() as connection:
        rotate_key(connection, app, grace=timedelta(hours=1))
        rotate_key(connection, app, grace=timedelta(days=30))
    with engine.connect() as connection:
        first = next(k for k in list_keys(connection, app) if k.label == "first")

    assert first.revoked is not None
    assert first.revoked - first.created < timedelta(hours=2)


def test_keys_are_stored_only_as_salted_hashes(provider):
    engine, app, _old = provider
    with engine.begin() as connection:
        new = rotate_key(connection, app)
    with engine.connect() as connection:
        stored = [tuple(map(str, row)) for row in connection.execute(select(tables.api_keys))]

    parts = split_key(new.key)  # the secret itself may hold "_": split as the register does
    assert parts is not None
    secret = parts[1]
    assert all(secret not in value for row in stored for value in row)


def test_keys_cannot_be_made_for_an_unknown_organisation(provider):
    engine, _app, _old = provider
    with engine.begin() as connection, pytest.raises(UnknownOrganisationError):
        rotate_key(connection, rows.BASE + "organisation/nobody")


def test_listing_shows_prefixes_and_states_never_keys(provider):
    engine, app, old = provider
    with engine.begin() as connection:
        new = rotate_key(connection, app, grace=timedelta(hours=1))
    with engine.connect() as connection:
        listed = [k.as_json(now()) for k in list_keys(connection, app)]

    assert [k["state"] for k in listed] == ["expiring", "active"]
    assert listed[1]["prefix"] == new.prefix
    assert old not in json.dumps(listed) and new.key not in json.dumps(listed)


def test_the_rotate_command_prints_the_new_key_once_and_revokes_the_old(provider, tmp_path):
    engine, app, old = provider
    url = str(engine.url)
    runner = CliRunner()

    rotated = runner.invoke(cli, ["keys", "rotate", "--organisation", app, "--database-url", url])
    listed = runner.invoke(cli, ["keys", "list", "--database-url", url, "--json"])

    assert rotated.exit_code == 0, rotated.output
    new_key = rotated.stdout.strip()
    assert owner(engine, new_key) == app
    assert owner(engine, old) is None
    assert new_key not in listed.stdout
    assert [k["state"] for k in json.loads(listed.stdout)] == ["revoked", "active"]


def test_the_rotate_command_names_an_unknown_organisation(provider):
    engine, _app, _old = provider
    result = CliRunner().invoke(cli, [
        "keys", "rotate", "--organisation", "https://example.org/nobody",
        "--database-url", str(engine.url),
    ])

    assert result.exit_code == 1
    assert "no organisation https://example.org/nobody" in result.stderr


def test_the_rotate_command_refuses_a_negative_grace(tmp_path):
    result = CliRunner().invoke(cli, [
        "keys", "rotate", "--organisation", "x", "--grace-hours", "-1",
        "--database-url", sqlite_url(tmp_path / "unused.sqlite"),
    ])

    assert result.exit_code == 2
    assert "--grace-hours" in result.stderr
