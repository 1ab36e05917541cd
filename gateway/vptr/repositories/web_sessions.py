"""The rows behind the web app's staff sessions (``web_sessions``): found, made, slid forward,
changed and deleted by the SHA-256 of the session id, which is all the store ever sees of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from vptr.store import tables

S = tables.web_sessions.c


@dataclass(frozen=True)
class SessionRow:
    id_hash: str
    csrf: str
    organisation: str | None
    person: str | None
    login: str | None
    data: dict[str, Any]
    idle_until: datetime
    expires_at: datetime


def live(connection: Connection, id_hash: str, moment: datetime) -> SessionRow | None:
    """The session with this hash, unless it is past its idle limit or its expiry."""
    row = connection.execute(
        select(S.id_hash, S.csrf, S.organisation_id, S.person, S.login, S.data, S.idle_until,
               S.expires_at)
        .where(S.id_hash == id_hash, S.idle_until > moment, S.expires_at > moment)
    ).first()
    if row is None:
        return None
    return SessionRow(row.id_hash, row.csrf, row.organisation_id, row.person, row.login,
                      dict(row.data or {}), row.idle_until, row.expires_at)


def add(connection: Connection, row: SessionRow, moment: datetime) -> None:
    connection.execute(insert(tables.web_sessions).values(
        id_hash=row.id_hash, csrf=row.csrf, organisation_id=row.organisation, person=row.person,
        login=row.login, data=row.data, created_at=moment, idle_until=row.idle_until,
        expires_at=row.expires_at))


def slide(connection: Connection, id_hash: str, idle_until: datetime) -> None:
    connection.execute(update(tables.web_sessions).where(S.id_hash == id_hash)
                       .values(idle_until=idle_until))


def set_data(connection: Connection, id_hash: str, data: dict[str, Any]) -> bool:
    """Replace what waits in the session; False when the session is gone."""
    return connection.execute(update(tables.web_sessions).where(S.id_hash == id_hash)
                              .values(data=data)).rowcount > 0


def remove(connection: Connection, id_hash: str) -> None:
    connection.execute(delete(tables.web_sessions).where(S.id_hash == id_hash))
