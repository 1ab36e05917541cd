"""A read run on the driver's cursor (vptr.store.hot_reads) answers exactly what SQLAlchemy
would: same rows, same Python values, instants compared as instants (an end is exclusive to the
microsecond), on every store backend."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from vptr.store import check_sources, tables
from vptr.store.catalogue import _READ_KEY
from vptr.store.hot_reads import HotSelect, observe

RIGHTS = check_sources._RIGHTS_FOR_PLATE


def through_sqlalchemy(connection, hot: HotSelect, **params):
    return [tuple(row) for row in connection.execute(hot.statement, params)]


def test_rights_around_their_boundaries_are_read_as_through_sqlalchemy(store):
    with store.reading() as connection:
        stored = connection.execute(sa.select(
            tables.rights.c.plate_hash, tables.rights.c.zone_id, tables.rights.c.start_time,
            tables.rights.c.end_time).where(tables.rights.c.end_time.is_not(None))).all()
        assert stored, "the demo holds rights with an end"
        tiny = timedelta(microseconds=1)
        for plate_hash, zone, start, end in stored:
            for moment in (start - tiny, start, end - tiny, end):
                params = {"plate_hash": plate_hash, "zone_ids": [zone], "until": moment,
                          "since": moment}
                hot = RIGHTS.rows(connection, **params)
                assert hot == through_sqlalchemy(connection, RIGHTS, **params)
                assert bool(hot) == (start <= moment < end), moment


def test_lists_of_any_length_and_literals_of_the_statement_are_bound(store):
    with store.reading() as connection:
        zones = [z for (z,) in connection.execute(sa.select(tables.rights.c.zone_id).distinct())]
        plate_hash, = connection.execute(sa.select(tables.rights.c.plate_hash).limit(1)).one()
        moment = connection.execute(sa.select(sa.func.max(tables.rights.c.start_time))).scalar()
        for length in range(1, len(zones) + 1):
            params = {"plate_hash": plate_hash, "zone_ids": zones[:length], "until": moment,
                      "since": moment - timedelta(days=3650)}
            assert RIGHTS.rows(connection, **params) == through_sqlalchemy(connection, RIGHTS,
                                                                           **params)
        # `WHERE id = 1` carries its own value.
        assert _READ_KEY.rows(connection) == through_sqlalchemy(connection, _READ_KEY)


def test_observers_see_every_statement_with_its_parameters(store):
    seen = []
    with store.reading() as connection, observe(lambda sql, params: seen.append((sql, params))):
        _READ_KEY.rows(connection)
    assert len(seen) == 1 and "catalogue_state" in seen[0][0]
