"""Checking payloads against the application profile: the one definition of a valid payload.

Everyone validates the same way: the CLI (`vptr validate`), `POST /validate`, and every write of the
register. Entry points: :func:`validate_payload` for bytes as they arrive, :func:`validate_document`
for parsed JSON, :func:`validate_graph` for RDF already parsed. Each takes ``supporting`` entities
for cross-entity rules and an ``engine``: ``fast`` (default) or ``pyshacl`` (the reference).
"""

from .errors import PayloadError, UnsupportedShapeError
from .json_reader import CONTEXT_IRI
from .loading import load_payload
from .report import Report, Violation
from .service import ENGINES, validate_document, validate_graph, validate_payload

__all__ = [
    "CONTEXT_IRI",
    "ENGINES",
    "PayloadError",
    "Report",
    "UnsupportedShapeError",
    "Violation",
    "load_payload",
    "validate_document",
    "validate_graph",
    "validate_payload",
]
