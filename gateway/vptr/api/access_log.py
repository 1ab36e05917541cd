"""Keeping plates out of the server's access log: uvicorn logs every request's path with its
query, and ``GET /check?plate=`` and ``GET /rights?plate=`` carry a plate."""

from __future__ import annotations

import logging
import re

_PLATE_IN_QUERY = re.compile(r"(?i)([?&]plate=)[^&\s]*")


def redact_plate(text: str) -> str:
    """The same URL with the value of every ``plate`` query parameter masked."""
    return _PLATE_IN_QUERY.sub(r"\1***", text)


class PlateRedactingFilter(logging.Filter):
    """Masks ``plate=`` in access-log records (uvicorn logs the full path with its query)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and record.args:
            record.args = tuple(redact_plate(a) if isinstance(a, str) else a for a in record.args)
        if isinstance(record.msg, str) and "plate=" in record.msg.lower():
            record.msg = redact_plate(record.msg)
        return True


def install_plate_redaction(logger_names: tuple[str, ...] = ("uvicorn.access",)) -> None:
    """Attach the filter once to the access loggers (idempotent: create_app may run many times)."""
    for name in logger_names:
        logger = logging.getLogger(name)
        if not any(isinstance(f, PlateRedactingFilter) for f in logger.filters):
            logger.addFilter(PlateRedactingFilter())
