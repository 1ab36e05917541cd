"""Keeping plates out of the server's access log on the APDS paths: uvicorn logs every request's
path with its query, and ``GET /apds/rights/assigned?credential_id=`` (and ``/apds/sessions``)
carry plates."""

from __future__ import annotations

import logging
import re

_CREDENTIAL_IN_QUERY = re.compile(r"(?i)([?&]credential_id=)[^&\s\"]*")


def redact_credentials(text: str) -> str:
    """The same URL with the value of every ``credential_id`` query parameter masked."""
    return _CREDENTIAL_IN_QUERY.sub(r"\1***", text)


class CredentialRedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and record.args:
            record.args = tuple(redact_credentials(a) if isinstance(a, str) else a
                                for a in record.args)
        if isinstance(record.msg, str) and "credential_id=" in record.msg.lower():
            record.msg = redact_credentials(record.msg)
        return True


def install_credential_redaction(logger_names: tuple[str, ...] = ("uvicorn.access",)) -> None:
    """Attach the filter once to the access loggers (idempotent)."""
    for name in logger_names:
        logger = logging.getLogger(name)
        if not any(isinstance(f, CredentialRedactingFilter) for f in logger.filters):
            logger.addFilter(CredentialRedactingFilter())
