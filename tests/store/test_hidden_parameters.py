"""No log line and no error message of the store ever holds a statement's parameters (issue 18,
item 2): they carry clear plates. Forced database errors on both stores, with SQLAlchemy's own
logging at its most talkative."""

from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa

from vptr.store import tables
from vptr.store.database import Store
from vptr.store.db import make_engine

PLATE = "1BAD001"


@pytest.mark.filterwarnings("ignore:Column 'rights.id' is marked:sqlalchemy.exc.SAWarning")
def test_a_failing_insert_names_no_parameter(store: Store, store_url: str,
                                             caplog: pytest.LogCaptureFixture) -> None:
    engine = make_engine(store_url)
    caplog.set_level(logging.DEBUG)
    logging.getLogger("sqlalchemy.engine").setLevel(logging.DEBUG)
    try:
        with pytest.raises(sa.exc.DBAPIError) as failed, engine.begin() as connection:
            # NOT NULL columns left out: the insert fails in the database, with the plate bound.
            connection.execute(sa.insert(tables.rights).values(plate=PLATE, country="BE"))
        logging.getLogger(__name__).exception("as a handler would log it", exc_info=failed.value)
    finally:
        logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)
        engine.dispose()
    assert PLATE not in str(failed.value)
    assert "hidden" in str(failed.value)
    assert PLATE not in caplog.text
    assert any(r.name.startswith("sqlalchemy.engine") for r in caplog.records)
