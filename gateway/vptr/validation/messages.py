"""What a broken rule means, in Dutch and English, for people reading a report.

Hand-written shapes carry their own ``sh:message`` in both languages; the generated ones do not, so
the message follows from the constraint component and its parameter (the same text whichever
engine found the violation).
"""

from __future__ import annotations

import re
from typing import Any

from .model_index import model_index

LANGUAGES = ("nl", "en")

_NODE_KINDS = {
    "IRI": ("een IRI", "an IRI"), "BlankNode": ("een genest object", "a nested object"),
    "Literal": ("een waarde (tekst, getal of datum)", "a value (text, number or date)"),
    "BlankNodeOrIRI": ("een object of een IRI", "an object or an IRI"),
    "BlankNodeOrLiteral": ("een genest object of een waarde", "a nested object or a value"),
    "IRIOrLiteral": ("een IRI of een waarde", "an IRI or a value"),
}
_DATATYPES = {
    "string": ("tekst", "text"), "integer": ("een geheel getal", "a whole number"),
    "decimal": ("een decimaal getal als tekst (\"2.50\")", "a decimal number as text (\"2.50\")"),
    "boolean": ("true of false", "true or false"),
    "dateTime": ("een tijdstip (2026-03-02T10:00:00+01:00)", "a date and time "
                 "(2026-03-02T10:00:00+01:00)"),
    "date": ("een datum (2026-03-02)", "a date (2026-03-02)"),
    "time": ("een uur (08:00:00)", "a time of day (08:00:00)"),
}

#: What the application profile's patterns ask for, in words a person filling in a form reads
#: (the regular expression itself means nothing to them); a pattern not listed here is quoted.
_PATTERNS = {
    r"^[A-Z]{2}$": ("twee hoofdletters, de landcode (BE)", "two capital letters, the country code "
                    "(BE)"),
    r"^[A-Z]{3}$": ("drie hoofdletters, de muntcode (EUR)", "three capital letters, the currency "
                    "code (EUR)"),
    r"^[A-Z0-9]{1,25}$": ("alleen hoofdletters en cijfers, zonder streepjes of spaties (1ABC123)",
                          "capital letters and digits only, without dashes or spaces (1ABC123)"),
    r"^-?[0-9]{1,10}(\.[0-9]{1,2})?$": ("een bedrag met hoogstens twee decimalen (2.50)",
                                        "an amount with at most two decimals (2.50)"),
    r"^-?[0-9]+(\.[0-9]+)?$": ("een decimaal getal (2.5)", "a decimal number (2.5)"),
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$": ("een datum (2026-03-02)", "a date (2026-03-02)"),
    r"^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$": ("een uur (08:00:00)",
                                                    "a time of day (08:00:00)"),
    r"^(19|2[0-9])[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?"
    r"(Z|[+-][0-9]{2}:[0-9]{2})$": ("een tijdstip met tijdzone (2026-03-02T10:00:00+01:00)",
                                    "a date and time with its offset "
                                    "(2026-03-02T10:00:00+01:00)"),
    r"^.{1,40}$": ("1 tot 40 tekens", "1 to 40 characters"),
    r"^[^\u0000-\u001F\u007F]{1,200}$": ("1 tot 200 tekens, zonder stuurtekens",
                                           "1 to 200 characters, without control characters"),
    r"^[^\u0000-\u001F\u007F]{1,500}$": ("1 tot 500 tekens, zonder stuurtekens",
                                           "1 to 500 characters, without control characters"),
    r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]{1,5000}$": (
        "1 tot 5000 tekens, zonder stuurtekens", "1 to 5000 characters, without control "
        "characters"),
}


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _class_label(iri: str, lang: str) -> str:
    cls = model_index().classes_by_iri.get(iri)
    return cls.labels.get(lang, cls.name) if cls is not None else _local(iri)


#: The application profile's pattern for a reference (vptr.standard_build.shacl.reference_pattern).
_REFERENCE = re.compile(r"^\^https\?://.*id/([a-z-]+)/")


def describe(component: str, parameter: Any, lang: str) -> str:
    """A sentence saying what the rule requires, in ``lang`` (``nl`` or ``en``)."""
    nl = lang == "nl"
    name = component.removesuffix("ConstraintComponent")
    if name == "MinCount":
        if parameter == 1:
            return "verplicht, maar ontbreekt" if nl else "required, but missing"
        return (f"minstens {parameter} waarden vereist" if nl
                else f"at least {parameter} values required")
    if name == "MaxCount":
        if parameter == 1:
            return "hoogstens één waarde toegelaten" if nl else "at most one value allowed"
        return (f"hoogstens {parameter} waarden toegelaten" if nl
                else f"at most {parameter} values allowed")
    if name == "Datatype":
        label = _DATATYPES.get(_local(str(parameter)), (_local(str(parameter)),) * 2)
        return f"moet {label[0]} zijn" if nl else f"must be {label[1]}"
    if name == "NodeKind":
        label = _NODE_KINDS.get(_local(str(parameter)), (_local(str(parameter)),) * 2)
        return f"moet {label[0]} zijn" if nl else f"must be {label[1]}"
    if name == "Class":
        label = _class_label(str(parameter), lang)
        return (f"moet verwijzen naar een {label}" if nl else f"must refer to a {label}")
    if name == "In":
        return ("geen waarde van de codelijst" if nl else "not a value of the code list")
    if name == "Pattern":
        reference = _REFERENCE.search(str(parameter))
        if reference is not None:
            kind = reference.group(1)
            return (f"moet de IRI van een {kind} zijn (…/id/{kind}/{{referentie}})" if nl
                    else f"must be the IRI of a {kind} (…/id/{kind}/{{reference}})")
        words = _PATTERNS.get(str(parameter))
        if words is not None:
            return f"moet {words[0]} zijn" if nl else f"must be {words[1]}"
        return (f"heeft niet het vereiste formaat ({parameter})" if nl
                else f"does not have the required format ({parameter})")
    if name == "Closed":
        return ("geen eigenschap van deze klasse in het model" if nl
                else "not a property of this class in the model")
    if name in ("MinInclusive", "MinExclusive", "MaxInclusive", "MaxExclusive"):
        op = {"MinInclusive": (">=", "at least"), "MinExclusive": (">", "more than"),
              "MaxInclusive": ("<=", "at most"), "MaxExclusive": ("<", "less than")}[name]
        return (f"moet {op[0]} {parameter} zijn" if nl else f"must be {op[1]} {parameter}")
    if name in ("MinLength", "MaxLength"):
        word = ("minstens", "at least") if name == "MinLength" else ("hoogstens", "at most")
        return (f"moet {word[0]} {parameter} tekens lang zijn" if nl
                else f"must be {word[1]} {parameter} characters long")
    if name in ("LessThan", "LessThanOrEquals"):
        other = model_index().short_name(str(parameter))
        return (f"moet kleiner zijn dan {other}" if nl else f"must be less than {other}")
    if name == "Node":
        return ("moet een genest object zijn dat aan zijn vorm voldoet" if nl
                else "must be a nested object that conforms to its shape")
    if name == "HasValue":
        return (f"moet de waarde {parameter} hebben" if nl else f"must have the value {parameter}")
    return (f"voldoet niet aan {name}" if nl else f"does not satisfy {name}")


def messages_for(shape_messages: dict[str, str], component: str,
                 parameter: Any) -> dict[str, str]:
    """The shape's own messages where it has them, otherwise the component's description."""
    found = {lang: shape_messages[lang] for lang in LANGUAGES if lang in shape_messages}
    neutral = shape_messages.get("")
    for lang in LANGUAGES:
        if lang not in found:
            found[lang] = neutral or describe(component, parameter, lang)
    return found
