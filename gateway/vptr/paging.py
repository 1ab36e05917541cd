"""A page of results as every channel asks for one: page numbers from 1 and a page size (capped
by the settings where the channel reads it)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    number: int
    size: int

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size
