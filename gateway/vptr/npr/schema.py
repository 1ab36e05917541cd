"""The NPR message set's XML schema (``spec/registration.xsd``, interface v18.0) as the gateway
uses it: validation with lxml, and one conversion between XML and the JSON form of a message.

The JSON form keeps the XSD's element names as keys; an element that may repeat
(``maxOccurs="unbounded"``) is a JSON list; a nil element is ``null``. Values follow the XSD
types: integers (``Numeric4Type``, ...) are JSON numbers, decimals (``PriceType``, ...) JSON
numbers written through their shortest decimal form, ``xs:dateTime`` ISO 8601 text (an instant
without an offset is read as UTC, as the NPR sends times in UTC), everything else text.

Both channels go through XML: a JSON request is written as the XML it stands for and validated
against the XSD like a SOAP body, so the schema is the one definition of a valid request; the
answer is built as JSON data, written as XML and (when :data:`CHECK_RESPONSES` is on, as in the
test suite) validated before it leaves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from lxml import etree

NS = "http://rdw.nl/rpv/1.0"
XS = "http://www.w3.org/2001/XMLSchema"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SPEC_DIR = Path(__file__).resolve().parent / "spec"
XSD_PATH = SPEC_DIR / "registration.xsd"
WSDL_PATH = SPEC_DIR / "registration.wsdl"

#: Validate every answer against the XSD before sending it (the test suite turns this on; an
#: invalid answer then fails the request instead of reaching a client).
CHECK_RESPONSES = False
_NIL = f"{{{XSI}}}nil"

#: The instants the register reasons about (a year 1 or 9999 would overflow its calendar
#: arithmetic: grace periods, local days).
FIRST_YEAR, LAST_YEAR = 1900, 2999

_INTEGER_BASES = {"nonNegativeInteger", "integer", "int", "long", "positiveInteger", "short"}


class SchemaViolation(ValueError):  # noqa: N818 - a refusal, not a bug
    """A message that does not conform to registration.xsd; ``element`` names where."""

    def __init__(self, message: str, element: str | None = None) -> None:
        super().__init__(message)
        self.element = element


@dataclass(frozen=True, slots=True)
class Child:
    name: str
    type: str  # a complexType name, "#anonymous-key", or a simple category
    repeats: bool
    nillable: bool


@dataclass(frozen=True, slots=True)
class ComplexType:
    name: str
    children: tuple[Child, ...]

    def child(self, name: str) -> Child | None:
        for item in self.children:
            if item.name == name:
                return item
        return None


class Schema:
    """The XSD read once: its complex types (children in sequence order, extensions resolved),
    the simple category of every simple type, the top-level elements, and the lxml validator."""

    def __init__(self, path: Path = XSD_PATH) -> None:
        self.document = etree.parse(str(path))
        self.validator = etree.XMLSchema(self.document)
        #: The XSD plus one element, ``ResponseError`` of the XSD's base type ``ResponseError``:
        #: what the JSON channel answers for an operation the XSD does not have (there is no
        #: response element to answer in), validated like every other answer.
        self.error_validator = etree.XMLSchema(etree.fromstring(
            f'<xs:schema xmlns:xs="{XS}" xmlns:tns="{NS}" targetNamespace="{NS}" '
            f'elementFormDefault="qualified"><xs:include schemaLocation="{path.as_uri()}"/>'
            f'<xs:element name="ResponseError" type="tns:ResponseError"/></xs:schema>'))
        root = self.document.getroot()
        self._simple: dict[str, str] = {}
        for simple in root.iter(f"{{{XS}}}simpleType"):
            restriction = simple.find(f"{{{XS}}}restriction")
            base = restriction.get("base", "xs:string") if restriction is not None else "xs:string"
            self._simple[simple.get("name", "")] = self._category(base)
        self.types: dict[str, ComplexType] = {}
        self._raw = {t.get("name"): t for t in root.findall(f"{{{XS}}}complexType")}
        for name in self._raw:
            self._complex(name)
        self.elements: dict[str, str] = {}
        for element in root.findall(f"{{{XS}}}element"):
            inline = element.find(f"{{{XS}}}complexType")
            name = element.get("name", "")
            if inline is not None:
                self.elements[name] = self._anonymous(name, inline)
            else:
                self.elements[name] = self._type_of(element.get("type", "xs:string"))

    @staticmethod
    def _local(qname: str) -> str:
        return qname.split(":", 1)[1] if ":" in qname else qname

    def _category(self, base: str) -> str:
        local = self._local(base)
        if base.startswith("tns:"):
            return self._simple.get(local, "string")
        if local in _INTEGER_BASES:
            return "integer"
        if local == "decimal":
            return "decimal"
        if local == "dateTime":
            return "dateTime"
        return "string"

    def _type_of(self, qname: str) -> str:
        local = self._local(qname)
        if qname.startswith("tns:"):
            if local in self._raw:
                return local
            return self._simple.get(local, "string")
        return self._category(qname)

    def _complex(self, name: str) -> str:
        if name not in self.types:
            self.types[name] = ComplexType(name, ())  # a placeholder against cycles
            self.types[name] = ComplexType(name, self._children(name, self._raw[name]))
        return name

    def _anonymous(self, key: str, node: Any) -> str:
        name = f"#{key}"
        self.types[name] = ComplexType(name, self._children(name, node))
        return name

    def _children(self, owner: str, node: Any) -> tuple[Child, ...]:
        children: list[Child] = []
        extension = node.find(f"{{{XS}}}complexContent/{{{XS}}}extension")
        if extension is not None:
            base = self._local(extension.get("base", ""))
            children.extend(self.types[self._complex(base)].children)
            node = extension
        sequence = node.find(f"{{{XS}}}sequence")
        for element in (sequence if sequence is not None else ()):
            if element.tag != f"{{{XS}}}element":
                continue
            name = element.get("name", "")
            inline = element.find(f"{{{XS}}}complexType")
            kind = (self._anonymous(f"{owner}/{name}", inline) if inline is not None
                    else self._type_of(element.get("type", "xs:string")))
            children.append(Child(name, kind, element.get("maxOccurs") == "unbounded",
                                  element.get("nillable") == "true"))
        return tuple(children)

    # --- validation -----------------------------------------------------------------------------

    def validate(self, element: Any) -> None:
        """Raises :class:`SchemaViolation` naming the first element at fault."""
        if self.validator.validate(element):
            return
        error = self.validator.error_log[0]
        text = error.message
        where = None
        if text.startswith("Element '"):
            where = text[len("Element '"):].split("'", 1)[0].split("}")[-1]
        raise SchemaViolation(text.replace(f"{{{NS}}}", ""), where)

    def validate_error(self, content: dict[str, Any]) -> None:
        """Validates a bare ``ResponseError`` (ErrorCode, ErrorDesc, ErrorVariable) against the
        XSD's type of that name; raises :class:`SchemaViolation`."""
        element = etree.Element(f"{{{NS}}}ResponseError", nsmap={None: NS})
        self._fill(element, "ResponseError", content, "ResponseError")
        if not self.error_validator.validate(element):
            raise SchemaViolation(self.error_validator.error_log[0].message.replace(
                f"{{{NS}}}", ""))

    # --- JSON -> XML ----------------------------------------------------------------------------

    def to_xml(self, name: str, value: Any) -> Any:
        """The XML element ``name`` (a top-level element of the schema) that the JSON value
        stands for; children are written in the schema's order, unknown keys last (so that
        validation names them)."""
        element = etree.Element(f"{{{NS}}}{name}", nsmap={None: NS})
        self._fill(element, self.elements.get(name, "string"), value, name)
        return element

    def _fill(self, element: Any, kind: str, value: Any, where: str) -> None:
        complex_type = self.types.get(kind)
        if complex_type is None:
            try:
                element.text = _text(value, where)
            except ValueError as error:  # control characters: no XML can carry them
                if isinstance(error, SchemaViolation):
                    raise
                raise SchemaViolation(f"{where}: {error}", where.split("/")[-1]) from None
            return
        if not isinstance(value, dict):
            raise SchemaViolation(f"{where}: expected an object of elements", where.split("/")[-1])
        known = {c.name for c in complex_type.children}
        for child in complex_type.children:
            if child.name in value:
                self._append(element, child, value[child.name], f"{where}/{child.name}")
        for key in value:
            if key not in known:  # left to the validator, which names it
                etree.SubElement(element, f"{{{NS}}}{key}" if _is_name(key) else f"{{{NS}}}_")

    def _append(self, parent: Any, child: Child, value: Any, where: str) -> None:
        values = value if isinstance(value, list) else [value]
        if isinstance(value, list) and not child.repeats:
            raise SchemaViolation(f"{where}: one element expected, not a list", child.name)
        for item in values:
            element = etree.SubElement(parent, f"{{{NS}}}{child.name}")
            if item is None:
                element.set(_NIL, "true")
            else:
                self._fill(element, child.type, item, where)

    # --- XML -> JSON ----------------------------------------------------------------------------

    def from_xml(self, element: Any) -> dict[str, Any]:
        """The JSON form of a (valid) element of the schema."""
        name = etree.QName(element).localname
        return self._read(element, self.elements.get(name, "string"))

    def _read(self, element: Any, kind: str) -> Any:
        if element.get(_NIL) in ("true", "1"):
            return None
        complex_type = self.types.get(kind)
        if complex_type is None:
            return _value(element.text or "", kind)
        out: dict[str, Any] = {}
        for node in element:
            if not isinstance(node.tag, str):
                continue
            local = etree.QName(node).localname
            child = complex_type.child(local)
            if child is None:
                continue
            value = self._read(node, child.type)
            if child.repeats:
                out.setdefault(local, []).append(value)
            else:
                out[local] = value
        return out

    def json_value(self, name: str, value: Any) -> Any:
        """A JSON value in the form :meth:`from_xml` gives (numbers typed, instants in UTC):
        the request as the operations read it, whichever channel it came by."""
        return self.from_xml(self.to_xml(name, value))


def _is_name(key: str) -> bool:
    return bool(key) and (key[0].isalpha() or key[0] == "_") and all(
        ch.isalnum() or ch in "_-." for ch in key)


def _text(value: Any, where: str) -> str:
    if isinstance(value, bool):
        raise SchemaViolation(f"{where}: true/false is not a value of this message set",
                              where.split("/")[-1])
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format(Decimal(repr(value)), "f")
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        return format_instant(value)
    if isinstance(value, str):
        return value
    raise SchemaViolation(f"{where}: a value, not an object or a list", where.split("/")[-1])


def _value(text: str, kind: str) -> Any:
    text = text.strip() if kind != "string" else text
    if kind == "integer":
        return int(text)
    if kind == "decimal":
        try:
            number = Decimal(text)
        except InvalidOperation:
            return text
        return int(number) if number == number.to_integral_value() and "." not in text \
            else float(number)
    if kind == "dateTime":
        try:
            moment = parse_datetime(text)
        except (ValueError, OverflowError):
            moment = None
        if moment is None or not FIRST_YEAR <= moment.year <= LAST_YEAR:
            raise SchemaViolation(f"{text!r}: a date and time from {FIRST_YEAR} to {LAST_YEAR}")
        return format_instant(moment)
    return text


def parse_datetime(text: str) -> datetime:
    """An ``xs:dateTime``; without an offset it is UTC (the NPR's convention)."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00")) if text.endswith("Z") \
        else datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def format_instant(value: datetime) -> str:
    value = value.astimezone(UTC)
    return value.isoformat(timespec="seconds").replace("+00:00", "Z")


def decimal(value: Any) -> Decimal | None:
    """A JSON number (or text) of the message as an exact decimal."""
    if value is None:
        return None
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value))


def serialise(element: Any) -> bytes:
    return etree.tostring(element, encoding="utf-8")


@cache
def schema() -> Schema:
    """The gateway's schema, read once per process."""
    return Schema()
