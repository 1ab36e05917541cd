"""A body no JSON parser reads without an exception of its own (nesting beyond the recursion
limit, an integer of more than 4,300 digits) is refused by APDS as by every channel (the one
reader, vptr.http.bodies): a 400 ResponseStatus naming the field where one can be named, never a
500, and nothing stored."""

from __future__ import annotations

import json
from typing import Any

import pytest
import sqlalchemy as sa

from tests.apds.conftest import assigned_body, session_body, status
from vptr.store import tables

BIG = "9" * 5000


def _snapshot(store) -> dict[str, list[tuple[Any, ...]]]:
    """The rights and APDS records, every row in full: a refusal leaves them as they were."""
    found = {}
    with store.reading() as connection:
        for table in (tables.rights, tables.apds_records, tables.permits):
            rows = connection.execute(sa.select(table).order_by(*table.primary_key.columns))
            found[table.name] = [tuple(row) for row in rows]
    return found


def _with_big_version(body: dict[str, Any]) -> bytes:
    """``body`` with its ``version`` a 5,000-digit integer."""
    return json.dumps({**body, "version": 0}).replace('"version": 0', f'"version": {BIG}',
                                                      1).encode()


WRITES = [("/apds/sessions", session_body), ("/apds/rights/assigned", assigned_body)]


@pytest.mark.parametrize(("path", "make"), WRITES, ids=[p for p, _ in WRITES])
def test_nested_arrays_are_a_400_and_store_nothing(client_as, store, path, make):
    before = _snapshot(store)
    response = client_as("provider").post(path, content=b"[" * 1500 + b"]" * 1500,
                                          headers={"Content-Type": "application/json"})
    refusal = status(response, 400)
    assert "nested deeper than 32 levels" in refusal["message"]
    assert _snapshot(store) == before


@pytest.mark.parametrize(("path", "make"), WRITES, ids=[p for p, _ in WRITES])
def test_an_integer_of_5000_digits_is_a_400_naming_the_field(client_as, store, path, make):
    before = _snapshot(store)
    response = client_as("provider").post(path, content=_with_big_version(make()),
                                          headers={"Content-Type": "application/json"})
    refusal = status(response, 400)
    assert refusal["message"].startswith("version: "), refusal
    assert "an integer of 5000 digits" in refusal["message"]
    assert _snapshot(store) == before
