"""Rotating an organisation's API keys, and listing them without ever showing one.

Keys are made and checked by :mod:`vptr.auth.api_keys` (salted hashes at rest, a public
prefix); this module adds the operator's side. Rotation issues a new key and revokes the old ones,
at once or after a grace window: during the window both keys work, so a provider can roll the new
key out to its servers without an outage. A revocation in the future is simply a ``revoked`` time
that has not come yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, or_, select

from vptr.auth.api_keys import IssuedKey, issue_key
from vptr.store import tables
from vptr.times import format_instant
from vptr.times import now as utc_now


class UnknownOrganisationError(LookupError):
    """Keys can only be made for an organisation the register knows."""


@dataclass(frozen=True)
class KeyInfo:
    """What may be shown about a key: never the key, only its public prefix."""

    organisation: str
    prefix: str
    label: str | None
    created: datetime
    revoked: datetime | None

    def state(self, at: datetime) -> str:
        if self.revoked is None:
            return "active"
        return "revoked" if self.revoked <= at else "expiring"

    def as_json(self, at: datetime) -> dict[str, object]:
        return {
            "organisation": self.organisation,
            "prefix": self.prefix,
            "label": self.label,
            "created": format_instant(self.created),
            "revoked": format_instant(self.revoked) if self.revoked else None,
            "state": self.state(at),
        }


def rotate_key(
    connection: Connection,
    organisation: str,
    *,
    grace: timedelta = timedelta(0),
    label: str | None = None,
    now: datetime | None = None,
) -> IssuedKey:
    """A new key for ``organisation``; its keys still working stop working after ``grace``."""
    if grace < timedelta(0):
        raise ValueError("the grace window cannot be negative")
    org = tables.organisations.c
    if connection.execute(select(org.id).where(org.id == organisation)).first() is None:
        raise UnknownOrganisationError(f"no organisation {organisation}")
    moment = now or utc_now()
    ends = moment + grace
    keys = tables.api_keys
    connection.execute(
        keys.update()
        .where(
            keys.c.organisation_id == organisation,
            or_(keys.c.revoked.is_(None), keys.c.revoked > ends),
        )
        .values(revoked=ends)
    )
    return issue_key(connection, organisation, label=label or f"rotated {format_instant(moment)}")


def list_keys(connection: Connection, organisation: str | None = None) -> list[KeyInfo]:
    """Every key (of one organisation, or of all), oldest first."""
    keys = tables.api_keys.c
    query = select(keys.organisation_id, keys.prefix, keys.label, keys.created, keys.revoked)
    if organisation is not None:
        query = query.where(keys.organisation_id == organisation)
    query = query.order_by(keys.organisation_id, keys.created, keys.id)
    return [KeyInfo(*row) for row in connection.execute(query)]
