"""Where APDS and NPR messages become native payloads before validation.

The validator checks the register's own model; a provider speaking APDS v4 or the NPR message set
gets its message translated first and the translation validated, so one profile judges every
channel. The APDS and NPR gateways register their translators here when they are imported; until
one is registered for a message, it is read as a native payload (and its unknown keys are refused
as such, naming them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Translator:
    """``detect`` says whether a parsed JSON message is in this format; ``translate`` returns the
    native JSON-LD document (an object, or a list of objects) it amounts to."""

    name: str
    detect: Callable[[Any], bool]
    translate: Callable[[Any], Any]


_TRANSLATORS: dict[str, Translator] = {}


def register_translator(translator: Translator) -> None:
    _TRANSLATORS[translator.name] = translator


def unregister_translator(name: str) -> None:
    _TRANSLATORS.pop(name, None)


def translators() -> list[Translator]:
    return list(_TRANSLATORS.values())


def to_native(document: Any) -> tuple[Any, str | None]:
    """The native document and the name of the format it was translated from (None if native)."""
    for translator in _TRANSLATORS.values():
        if translator.detect(document):
            return translator.translate(document), translator.name
    return document, None
