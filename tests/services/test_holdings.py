"""The use cases behind APDS assigned rights and sessions (vptr.services.holdings), called as any
channel calls them: a Runtime, a Caller and plain values, no HTTP."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from vptr.auth.principal import Principal
from vptr.errors import Conflict, Forbidden, Invalid
from vptr.services import holdings
from vptr.services.demo import GENT, ID, PARKPLUS
from vptr.services.runtime import Caller

PROVIDER = Caller(Principal(PARKPLUS, "ParkPlus NV", frozenset({"provider"})), "test")
AREA_MANAGER = Caller(Principal(GENT, "Stad Gent", frozenset({"areaManager", "provider"})),
                      "test")


# One moment for the whole module: instants taken from the clock at each call would move the
# start of a later version across a second boundary, and a changed start is refused.
_NOW = datetime.now(UTC).replace(microsecond=0)


def _instant(minutes: int) -> str:
    return (_NOW + timedelta(minutes=minutes)).isoformat()


def _assignment(assigned_id: str, regime: str, version: int = 1, end: int = 60
                ) -> holdings.Assignment:
    return holdings.Assignment(assigned_id, version, {
        "regime": ID + "regime/" + regime,
        "vehicle": {"licencePlate": {"plateNumber": "1SRV001", "country": "BE"}},
        "validityPeriod": {"startTime": _instant(-1), "endTime": _instant(end)},
        "channel": "app"})


@pytest.mark.parametrize("regime, caller, kind", [
    ("gent-zuid-betalend/1", PROVIDER, holdings.RIGHT),
    ("gent-bewoners-kouter/1", AREA_MANAGER, holdings.PERMIT),
    ("gent-autoluwe-kern-toegang/1", AREA_MANAGER, holdings.WHITELIST_ENTRY),
])
def test_what_a_credential_becomes_follows_the_right_specification(runtime, regime, caller,
                                                                  kind):

    holding, events = holdings.assign(runtime, caller, _assignment("srv-1", regime))

    assert holding.kind == kind and holding.version == 1
    assert [e.topic for e in events] == ["AssignedRightCreated"] and events[0].tenant == GENT
    assert holdings.get(runtime, caller, holdings.ASSIGNED_RIGHT, "srv-1").target == \
        holding.target


def test_permits_and_whitelist_entries_are_the_area_managers(runtime):

    with pytest.raises(Forbidden):
        holdings.assign(runtime, PROVIDER, _assignment("srv-2", "gent-bewoners-kouter/1"))
    with pytest.raises(Forbidden):
        holdings.assign(runtime, PROVIDER, _assignment("srv-3",
                                                       "gent-autoluwe-kern-toegang/1"))


def test_versions_duplicates_and_logical_deletes(runtime):
    holdings.assign(runtime, PROVIDER, _assignment("srv-4", "gent-zuid-betalend/1"))

    with pytest.raises(Conflict):
        holdings.assign(runtime, PROVIDER, _assignment("srv-4", "gent-zuid-betalend/1"))
    with pytest.raises(Conflict):
        holdings.change_assignment(runtime, PROVIDER, _assignment(
            "srv-4", "gent-zuid-betalend/1", version=3))
    changed, _ = holdings.change_assignment(runtime, PROVIDER, _assignment(
        "srv-4", "gent-zuid-betalend/1", version=2, end=90))
    deleted, events = holdings.unassign(runtime, PROVIDER, "srv-4")

    assert changed.version == 2 and deleted.deleted is not None
    assert [e.topic for e in events] == ["AssignedRightDeleted"]
    with pytest.raises(Invalid):
        holdings.assign(runtime, PROVIDER, _assignment("srv-5", "gent-zuid-betalend/9"))
