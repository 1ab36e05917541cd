"""Pages of results: page numbers from 1, a page size capped by the settings, and the total."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, Row, Select, func, select


@dataclass(frozen=True)
class Page:
    number: int
    size: int

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size


def fetch_page(connection: Connection, query: Select, page: Page) -> tuple[list[Row], int]:
    """One page of ``query`` (which must be ordered) and the number of rows in all pages."""
    total = connection.execute(select(func.count()).select_from(query.order_by(None).subquery())
                               ).scalar_one()
    rows = connection.execute(query.limit(page.size).offset(page.offset)).all()
    return list(rows), total
