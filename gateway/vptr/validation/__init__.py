"""Checking payloads against the application profile: the one definition of a valid payload.

Everyone validates the same way: the CLI (`vptr validate`), `POST /validate`, and every write of the
register. Entry points: :func:`validate_payload` for bytes as they arrive, :func:`validate_graph` for
RDF already parsed.
"""

from .errors import PayloadError
from .loading import CONTEXT_IRI, load_payload
from .report import Report, Violation
from .service import validate_document, validate_graph, validate_payload

__all__ = [
    "CONTEXT_IRI",
    "PayloadError",
    "Report",
    "Violation",
    "load_payload",
    "validate_document",
    "validate_graph",
    "validate_payload",
]
