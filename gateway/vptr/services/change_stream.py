"""The change stream of the public resources, in pages, for the Linked Data Event Stream at /ldes.

Page n holds the members ``n * size + 1 .. (n + 1) * size`` (members are numbered without gaps
in commit order, vptr.repositories.change_stream), so a full page never changes again and its
address can be cached for good; the last page grows until it is full. Members are never removed
(the retention policy is to keep every version; docs/open-data.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from vptr.errors import NotFound
from vptr.repositories import change_stream as repository
from vptr.repositories.change_stream import Change
from vptr.services.runtime import Caller, Runtime

__all__ = ["Change", "StreamPage", "page"]


@dataclass(frozen=True)
class StreamPage:
    number: int
    size: int
    members: list[Change]
    #: The newest member of the whole stream (0: empty).
    head: int

    @property
    def full(self) -> bool:
        """Whether the page holds all the members it ever will (then it is immutable)."""
        return self.head >= (self.number + 1) * self.size

    @property
    def last_at(self) -> datetime | None:
        return self.members[-1].at if self.members else None


def page(runtime: Runtime, caller: Caller, number: int, size: int) -> StreamPage:
    if number < 0:
        raise NotFound(f"no page {number} of the change stream")
    with runtime.store.reading() as connection:
        head, _ = repository.head(connection)
        if number > 0 and number * size >= head:
            raise NotFound(f"no page {number} of the change stream yet")
        members = repository.changes(connection, number * size + 1, (number + 1) * size)
    return StreamPage(number, size, members, head)
