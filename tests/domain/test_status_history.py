"""The status in force at a moment, from a history of status changes (vptr.domain.status_history):
the last status taken by then; before the first change, the first status."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from vptr.domain import status_history
from vptr.errors import Invalid


def at(month: int) -> datetime:
    return datetime(2026, month, 1, tzinfo=UTC)


HISTORY = (("active", at(1)), ("suspended", at(3)), ("active", at(5)))


@pytest.mark.parametrize(("moment", "status"), [
    (at(1), "active"), (datetime(2025, 6, 1, tzinfo=UTC), "active"), (at(3), "suspended"),
    (at(4), "suspended"), (at(5), "active"), (at(12), "active")])
def test_the_status_at_a_moment_is_the_last_one_taken_by_then(moment, status):
    assert status_history.status_at(HISTORY, moment) == status


def test_no_history_knows_no_status():
    assert status_history.status_at((), at(1)) is None


def test_a_change_joins_the_history_and_the_same_status_again_changes_nothing():
    document = {"permitStatus": "active"}
    status_history.begin(document, status_history.PERMIT, at(1))
    status_history.change(document, status_history.PERMIT, "suspended", at(3))
    status_history.change(document, status_history.PERMIT, "suspended", at(4))
    assert document["statusSince"] == "2026-03-01T00:00:00Z"
    assert status_history.parsed(document, status_history.PERMIT) == (
        ("active", at(1)), ("suspended", at(3)))


def test_a_change_before_the_current_status_started_is_refused():
    document = {"rightStatus": "active"}
    status_history.begin(document, status_history.RIGHT, at(3))
    with pytest.raises(Invalid):
        status_history.change(document, status_history.RIGHT, "ended", at(4), since=at(2))


def test_a_document_stored_before_histories_starts_one_from_its_status():
    document = {"rightStatus": "active", "statusSince": "2026-01-01T00:00:00Z"}
    status_history.change(document, status_history.RIGHT, "revoked", at(2))
    assert [c["rightStatus"] for c in document["rightStatusHistory"]] == ["active", "revoked"]
