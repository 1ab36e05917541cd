"""Keeping plates out of the server's access log: uvicorn logs every request's path with its
query, and ``GET /check?plate=`` and ``GET /rights?plate=`` carry a plate. The mask reads the
query as the server does (names percent-decoded, any case), on every route."""

from __future__ import annotations

import logging
import re
from urllib.parse import unquote_plus

#: A query in a logged line: from ``?`` to the first blank (uvicorn logs the path as received).
_QUERY = re.compile(r"\?([^\s\"]*)")
_MASKED = ("plate",)


def redact_plate(text: str) -> str:
    """The same text with the value of every ``plate`` query parameter masked. Names are compared
    as the server reads them, decoded: ``pl%61te=`` and ``PLATE=`` are masked too."""
    if "?" not in text:
        return text
    return _QUERY.sub(lambda m: "?" + _masked_query(m.group(1)), text)


def _masked_query(query: str) -> str:
    pairs = []
    for pair in query.split("&"):
        name, sep, _value = pair.partition("=")
        decoded = unquote_plus(name, errors="replace")
        if decoded.strip().lower() in _MASKED:
            pairs.append(f"{name}{sep}***" if sep else pair)
        else:
            pairs.append(pair)
    return "&".join(pairs)


class PlateRedactingFilter(logging.Filter):
    """Masks ``plate=`` in access-log records (uvicorn logs the full path with its query)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and record.args:
            record.args = tuple(redact_plate(a) if isinstance(a, str) else a for a in record.args)
        if isinstance(record.msg, str) and "?" in record.msg:
            record.msg = redact_plate(record.msg)
        return True


def install_plate_redaction(logger_names: tuple[str, ...] = ("uvicorn.access",)) -> None:
    """Attach the filter once to the access loggers (idempotent: create_app may run many times)."""
    for name in logger_names:
        logger = logging.getLogger(name)
        if not any(isinstance(f, PlateRedactingFilter) for f in logger.filters):
            logger.addFilter(PlateRedactingFilter())
