"""One page of a query's results, and the total (:class:`vptr.paging.Page` says which page)."""

from __future__ import annotations

from sqlalchemy import Connection, Row, Select, func, select

from vptr.paging import Page


def fetch_page(connection: Connection, query: Select, page: Page) -> tuple[list[Row], int]:
    """One page of ``query`` (which must be ordered) and the number of rows in all pages."""
    total = connection.execute(select(func.count()).select_from(query.order_by(None).subquery())
                               ).scalar_one()
    rows = connection.execute(query.limit(page.size).offset(page.offset)).all()
    return list(rows), total
