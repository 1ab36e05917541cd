"""OSLO's naming rule: a term's local name is derived from its Dutch label.

OSLO names classes in UpperCamelCase and properties in lowerCamelCase, from the Dutch label
(``mobiliteit#Zone``, ``generiek#Geometrie``, ``persoon#heeftNationaliteit``); the English label is
a translation and never shapes an IRI. The model keeps its IRIs written out (the LinkML generators
read ``class_uri``/``slot_uri``/``meaning``), and ``model_loader.check_conventions`` holds every
own term to the name derived here, so the label stays the one source and a rename is a label edit.

The same rule names this standard's concepts (``concept/Gebruiksdoel/betaalparkeren``, values in
lowerCamelCase) and concept schemes (UpperCamelCase, from the enumeration's Dutch label).
"""

from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = re.compile("['\u2019]")  # ' and the typographic apostrophe
_SEPARATORS = re.compile(r"[^A-Za-z0-9]+")


def _words(label: str) -> list[str]:
    """The label's words without diacritics, apostrophes or punctuation (``taxi's`` -> taxis,
    ``btw-bedrag`` -> btw, bedrag, ``beëindigd`` -> beeindigd)."""
    plain = unicodedata.normalize("NFKD", label)
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    plain = _APOSTROPHES.sub("", plain)
    return [w for w in _SEPARATORS.split(plain) if w]


def upper_camel(label: str) -> str:
    """``Vermelding op witte lijst`` -> ``VermeldingOpWitteLijst``: the local name of a class or
    a concept scheme. Each word keeps its own case after its first letter (``NIS-code``)."""
    return "".join(w[0].upper() + w[1:] for w in _words(label))


def lower_camel(label: str) -> str:
    """``betaald bedrag`` -> ``betaaldBedrag``, ``NPR-gebiedscode`` -> ``nprGebiedscode``: the
    local name of a property or a concept. The first word is written in lower case entirely, so
    an abbreviation at the start (NPR, GIS, APDS) does not leave a capital behind."""
    words = _words(label)
    if not words:
        return ""
    return words[0].lower() + "".join(w[0].upper() + w[1:] for w in words[1:])
