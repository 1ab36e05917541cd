"""Declarative translation between the register's native documents and APDS / NPR messages.

One YAML file per message under ``mappings/`` (docs/mappings.md explains the format); one small
engine runs every file in both directions. The gateways look translators up by
``(standard, message)``::

    from vptr.mapping import translator
    zone = translator("apds", "Place").to_native(place)

The package imports no web framework and no storage: the APDS and NPR gateways wrap it.
"""

from .converters import CONVERTERS, TranslationError, converter
from .paths import MISSING
from .registry import MappingError, Registry, load_registry, registry, translator
from .translator import NotMapped, Rule, Translator

__all__ = ["CONVERTERS", "MISSING", "MappingError", "NotMapped", "Registry", "Rule",
           "TranslationError", "Translator", "converter", "load_registry", "registry",
           "translator"]
