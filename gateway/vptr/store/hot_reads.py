"""The check's few reads, run on the driver's cursor.

Why: a check makes two to four small indexed reads. SQLAlchemy's per-execution machinery (execution
context, parameter processing, result metadata) cost about six times what SQLite takes to answer
each of them (``bench/README.md``), and it ran on every check. A :class:`HotSelect` still lets
SQLAlchemy write the SQL (once per dialect and length of the ``IN`` list) and still converts values
with the columns' own types (their bind and result processors, so instants and JSON documents
come back exactly as through SQLAlchemy), but executes on the DBAPI cursor of the request's
connection. Only read statements use it; every write goes through SQLAlchemy as before.

Statements run this way bypass SQLAlchemy's ``before_cursor_execute`` event; :func:`observe` lets a
test see them (the query-plan tests do).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select
from sqlalchemy.engine import Dialect

Processor = Callable[[Any], Any] | None

_observers: list[Callable[[str, Any], None]] = []


@contextmanager
def observe(callback: Callable[[str, Any], None]) -> Iterator[None]:
    """Calls ``callback(sql, parameters)`` for every statement a HotSelect runs in the block."""
    _observers.append(callback)
    try:
        yield
    finally:
        _observers.remove(callback)


@dataclass(frozen=True, slots=True)
class _Plan:
    sql: str
    names: tuple[str, ...]  # the compiled statement's parameters, in order
    #: Where each value comes from: (parameter, index in its list or None), or (None, constant)
    #: for a value written into the statement itself.
    sources: tuple[tuple[str | None, Any], ...]
    binds: tuple[Processor, ...]
    results: tuple[Processor, ...]
    positional: bool


class HotSelect:
    """A SELECT compiled once per (dialect, length of the expanding list) and run on the cursor.

    ``expanding`` names the one list-valued parameter (``IN``), if any; its values are bound one by
    one, so a new length means a new plan (there are few: a check asks about one to three zones).
    """

    def __init__(self, statement: Select, expanding: str | None = None) -> None:
        self.statement = statement
        self.expanding = expanding
        self._plans: dict[tuple[str, int], _Plan] = {}

    def rows(self, connection: Connection, **params: Any) -> list[tuple[Any, ...]]:
        dialect = connection.dialect
        length = len(params[self.expanding]) if self.expanding else 0
        plan = self._plans.get((dialect.name, length))
        if plan is None:
            plan = self._plans[(dialect.name, length)] = self._plan(dialect, params)
        values = []
        for (name, index), bind in zip(plan.sources, plan.binds, strict=True):
            value = index if name is None else params[name] if index is None else (
                params[name][index])
            values.append(bind(value) if bind is not None else value)
        arguments: Any = tuple(values) if plan.positional else dict(zip(plan.names, values,
                                                                         strict=True))
        for observer in _observers:
            observer(plan.sql, arguments)
        cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(plan.sql, arguments)
            fetched = cursor.fetchall()
        finally:
            cursor.close()
        processors = plan.results
        if not any(processors):
            return [tuple(row) for row in fetched]
        return [tuple(p(v) if p is not None else v for p, v in zip(processors, row, strict=True))
                for row in fetched]

    def _plan(self, dialect: Dialect, params: dict[str, Any]) -> _Plan:
        compiled = self.statement.compile(dialect=dialect)
        state = compiled.construct_expanded_state(params)
        positional = state.positiontup is not None
        names = tuple(state.positiontup) if positional else tuple(state.parameters)
        member_of = {member: (base, index)
                     for base, members in state.parameter_expansion.items()
                     for index, member in enumerate(members)}
        sources: list[tuple[str | None, Any]] = []
        binds: list[Processor] = []
        for name in names:
            if name in params:
                sources.append((name, None))
            elif name in member_of:  # one value of the expanding list
                sources.append(member_of[name])
            else:  # a literal written into the statement
                sources.append((None, state.parameters[name]))
            parameter = compiled.binds[sources[-1][0] if name in member_of else name]
            binds.append(parameter.type.dialect_impl(dialect).bind_processor(dialect))
        results = tuple(column.type.dialect_impl(dialect).result_processor(dialect, None)
                        for column in self.statement.selected_columns)
        return _Plan(state.statement, names, tuple(sources), tuple(binds), results, positional)
