"""The status of a right or permit with the moment it took effect, and its history (issue 13).

A right's ``rightStatus`` and a permit's ``permitStatus`` each come with ``statusSince`` (when the
current status took effect) and a history (``rightStatusHistory`` / ``permitStatusHistory``): every
status taken, oldest first, with its moment. The register keeps them: a client's history is never
taken as it came, because the history is what lets the register answer for a past moment (NF6.9):
a permit suspended in March and active again in May counted in February and June, not in April.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from vptr.errors import Invalid
from vptr.times import format_instant, parse_instant


@dataclass(frozen=True, slots=True)
class Keys:
    """The document keys of one kind of thing's status."""

    status: str
    history: str


RIGHT = Keys("rightStatus", "rightStatusHistory")
PERMIT = Keys("permitStatus", "permitStatusHistory")


def begin(document: dict[str, Any], keys: Keys, since: datetime) -> None:
    """A new thing's status starts its history at ``since``."""
    document["statusSince"] = format_instant(since)
    document[keys.history] = [{keys.status: document[keys.status],
                               "statusSince": document["statusSince"]}]


def change(document: dict[str, Any], keys: Keys, status: str, moment: datetime,
           since: datetime | None = None) -> None:
    """The stored ``document`` takes ``status`` at ``since`` (else ``moment``), which may not
    precede the status it follows; the same status again changes nothing."""
    history = list(document.get(keys.history) or [])
    if not history and document.get(keys.status) is not None:  # stored before histories
        history = [{keys.status: document[keys.status],
                    "statusSince": document.get("statusSince") or format_instant(moment)}]
    document[keys.status] = status
    if history and history[-1][keys.status] == status:
        document["statusSince"] = history[-1]["statusSince"]
        document[keys.history] = history
        return
    effective = since or moment
    if history and effective < parse_instant(history[-1]["statusSince"], "statusSince"):
        raise Invalid.field("statusSince", f"must not precede the current status's start "
                                           f"({history[-1]['statusSince']})")
    document["statusSince"] = format_instant(effective)
    document[keys.history] = [*history, {keys.status: status,
                                         "statusSince": document["statusSince"]}]


def follow(document: dict[str, Any], stored: dict[str, Any], keys: Keys, moment: datetime
           ) -> None:
    """A replacing ``document`` carries the ``stored`` one's history on, with its own status
    joining it at its own ``statusSince`` if it sent a new one (else at ``moment``)."""
    given = document.get("statusSince")
    since = None
    if given is not None and given != stored.get("statusSince"):
        since = parse_instant(given, "statusSince")
    status = document[keys.status]
    document[keys.status] = stored.get(keys.status)
    document["statusSince"] = stored.get("statusSince")
    document[keys.history] = list(stored.get(keys.history) or [])
    if not document[keys.history]:
        document.pop(keys.history)
    change(document, keys, status, moment, since)


def status_at(history: Sequence[tuple[str, datetime]], moment: datetime) -> str | None:
    """The status in force at ``moment``: the last one taken by then; before the first change,
    the first status (a permit registered today may be valid from last month)."""
    if not history:
        return None
    found = history[0][0]
    for status, since in history:
        if since <= moment:
            found = status
        else:
            break
    return found


def parsed(document: dict[str, Any], keys: Keys) -> tuple[tuple[str, datetime], ...]:
    """The history of a stored document as (status, since) pairs, oldest first."""
    out = []
    for change in document.get(keys.history) or ():
        try:
            out.append((str(change[keys.status]),
                        parse_instant(change["statusSince"], "statusSince")))
        except (KeyError, TypeError, Invalid):
            continue
    return tuple(sorted(out, key=lambda item: item[1]))
