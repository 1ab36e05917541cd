"""Named value conversions that a mapping rule may ask for, registered in code.

A mapping file says *which* conversion a field needs (``convert: code``) and gives its data
(``with: {table: ...}``); how to convert lives here, once, tested once. Every converter works in
both directions from the same parameters, so one rule serves the way in and the way out.

A converter is a factory: at load time it receives the rule's parameters and the model slot the rule
writes (its range, for checks such as "every key of this table is a value of the slot's
enumeration") and returns the two functions. A bad parameter raises :class:`ValueError`, which the
loader reports with the file and the rule. At run time a value that cannot be converted raises
:class:`TranslationError`, which a gateway answers as the sender's error.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..times import in_zone
from ..validation.model_index import ModelIndex, PropertyInfo


class TranslationError(ValueError):
    """A message or document value that a rule cannot translate (the sender's fault)."""


@dataclass(frozen=True)
class Conversion:
    """The two directions of one bound converter."""

    to_native: Callable[[Any], Any]
    to_message: Callable[[Any], Any]


@dataclass(frozen=True)
class Target:
    """What a converter may know about the rule it serves: the native slot and the model."""

    slot: PropertyInfo | None  # None for the IRI ``id``
    index: ModelIndex


Factory = Callable[[Mapping[str, Any], Target], Conversion]


@dataclass(frozen=True)
class Converter:
    name: str
    summary: str
    params: frozenset[str]
    required: frozenset[str]
    factory: Factory

    def bind(self, params: Mapping[str, Any], target: Target) -> Conversion:
        unknown = sorted(set(params) - self.params)
        if unknown:
            allowed = ", ".join(sorted(self.params)) or "none"
            raise ValueError(f"unknown parameter(s) {', '.join(unknown)} of converter "
                             f"{self.name!r} (allowed: {allowed})")
        missing = sorted(self.required - set(params))
        if missing:
            raise ValueError(f"converter {self.name!r} needs parameter(s) {', '.join(missing)}")
        return self.factory(params, target)


CONVERTERS: dict[str, Converter] = {}


def converter(name: str, summary: str, params: tuple[str, ...] = (),
              required: tuple[str, ...] = ()) -> Callable[[Factory], Factory]:
    """Registers a converter factory under ``name`` (the name mapping files use)."""
    def register(factory: Factory) -> Factory:
        if name in CONVERTERS:
            raise RuntimeError(f"converter {name!r} registered twice")
        CONVERTERS[name] = Converter(name, summary, frozenset(params), frozenset(required),
                                     factory)
        return factory
    return register


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise TranslationError(f"{what}: expected text, got {type(value).__name__}")
    return value


# ------------------------------------------------------------------------------ the converters
@converter("multilingual",
           "APDS MultilingualString ([{language, string}]) ↔ one string: in, the string in "
           "`language` (else the first); out, a one-entry list in `language`.",
           params=("language",))
def _multilingual(params: Mapping[str, Any], target: Target) -> Conversion:
    language = params.get("language", "nl")
    if not isinstance(language, str) or not re.fullmatch(r"[a-z]{2}", language):
        raise ValueError(f"language must be an ISO 639-1 code such as 'nl', not {language!r}")

    def to_native(value: Any) -> str:
        if not isinstance(value, list) or not value:
            raise TranslationError("expected a MultilingualString (a non-empty list)")
        first: str | None = None
        for entry in value:
            if not isinstance(entry, dict) or not isinstance(entry.get("string"), str):
                raise TranslationError("a MultilingualString entry needs a string")
            if entry.get("language") == language:
                return str(entry["string"])
            if first is None:
                first = str(entry["string"])
        assert first is not None
        return first

    def to_message(value: Any) -> list[dict[str, str]]:
        return [{"language": language, "string": _text(value, "name")}]

    return Conversion(to_native, to_message)


@converter("code",
           "a code list value ↔ the message's code, through `table` (native → message, one to "
           "one) kept in the mapping file; `also_in` adds message codes read in only, "
           "`also_out` native values sent out only (as one of the table's codes).",
           params=("table", "also_in", "also_out"), required=("table",))
def _code(params: Mapping[str, Any], target: Target) -> Conversion:
    table = params["table"]
    also_in = params.get("also_in") or {}
    also_out = params.get("also_out") or {}
    if not isinstance(table, dict) or not table or not isinstance(also_in, dict) \
            or not isinstance(also_out, dict):
        raise ValueError("table (and also_in, also_out) must be non-empty mappings of codes")
    allowed = _enum_values(target)
    for native, code in also_out.items():
        if native in table:
            raise ValueError(f"native value {native!r} is in both table and also_out")
        if code not in table.values():
            raise ValueError(f"also_out sends {native!r} as {code!r}, which is not a code of "
                             "the table")
    for native in [*table, *also_in.values(), *also_out]:
        if allowed is not None and native not in allowed:
            enum = target.slot.range if target.slot else "?"
            raise ValueError(f"{native!r} is not a value of {enum} "
                             f"(values: {', '.join(sorted(allowed))})")
    inverse: dict[Any, Any] = {}
    for native, code in table.items():
        if code in inverse:
            raise ValueError(f"message code {code!r} stands for both {inverse[code]!r} and "
                             f"{native!r}: the table must be one to one (use also_in for the "
                             "extra codes read in)")
        inverse[code] = native
    for code, native in also_in.items():
        if code in inverse:
            raise ValueError(f"message code {code!r} is in both table and also_in")
        inverse[code] = native
    forward = {**table, **also_out}

    def to_native(value: Any) -> Any:
        try:
            return inverse[value]
        except (KeyError, TypeError):
            raise TranslationError(f"unknown code {value!r}") from None

    def to_message(value: Any) -> Any:
        try:
            return forward[value]
        except (KeyError, TypeError):
            raise TranslationError(f"{value!r} has no code in this message set") from None

    return Conversion(to_native, to_message)


def _enum_values(target: Target) -> set[str] | None:
    slot = target.slot
    if slot is None or slot.kind != "enum":
        return None
    return set(target.index.enums.get(slot.range, {}))


@converter("iri",
           "a reference (the register's IRI) ↔ the message's local id: IRI = `base` + id.",
           params=("base",), required=("base",))
def _iri(params: Mapping[str, Any], target: Target) -> Conversion:
    base = params["base"]
    if not isinstance(base, str) or not re.match(r"^https?://\S+[/#]$", base):
        raise ValueError(f"base must be an http(s) IRI ending in / or #, not {base!r}")

    def to_native(value: Any) -> str:
        local = _text(value, "id")
        if not local or "/" in local or any(c.isspace() for c in local):
            raise TranslationError(f"{local!r} cannot be the last segment of an IRI")
        return base + local

    def to_message(value: Any) -> str:
        iri = _text(value, "IRI")
        if not iri.startswith(base) or len(iri) == len(base):
            raise TranslationError(f"{iri!r} is not an IRI under {base}")
        return iri[len(base):]

    return Conversion(to_native, to_message)


@converter("integer_text",
           "a code kept as text in the model ↔ a number in the message (NPR `Numeric4Type`); "
           "`digits` limits its length.",
           params=("digits",))
def _integer_text(params: Mapping[str, Any], target: Target) -> Conversion:
    digits = params.get("digits")
    if digits is not None and (not isinstance(digits, int) or digits < 1):
        raise ValueError(f"digits must be a positive integer, not {digits!r}")
    limit = 10 ** digits if digits is not None else None

    def check(number: int) -> int:
        if number < 0 or (limit is not None and number >= limit):
            raise TranslationError(f"{number} is not a non-negative number of at most {digits} "
                                   "digits")
        return number

    def to_native(value: Any) -> str:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TranslationError(f"expected a number, got {value!r}")
        return str(check(value))

    def to_message(value: Any) -> int:
        text = _text(value, "code")
        if not re.fullmatch(r"0|[1-9][0-9]*", text):
            raise TranslationError(f"{text!r} is not a number without leading zeros")
        return check(int(text))

    return Conversion(to_native, to_message)


@converter("decimal_number",
           "a decimal string of the model (`\"2.50\"`) ↔ a JSON number: in, through the number's "
           "shortest representation (never binary arithmetic), with `places` decimals.",
           params=("places",))
def _decimal_number(params: Mapping[str, Any], target: Target) -> Conversion:
    places = params.get("places")
    if places is not None and (not isinstance(places, int) or not 0 <= places <= 12):
        raise ValueError(f"places must be an integer from 0 to 12, not {places!r}")
    quantum = Decimal(1).scaleb(-places) if places is not None else None

    def to_native(value: Any) -> str:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TranslationError(f"expected a number, got {value!r}")
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if not number.is_finite():
            raise TranslationError(f"{value!r} is not a finite number")
        if quantum is not None:
            number = number.quantize(quantum)
        return str(number)

    def to_message(value: Any) -> float | int:
        try:
            number = Decimal(_text(value, "decimal"))
        except InvalidOperation:
            raise TranslationError(f"{value!r} is not a decimal") from None
        if not number.is_finite():
            raise TranslationError(f"{value!r} is not a finite decimal")
        return int(number) if number == number.to_integral_value() and places is None \
            else float(number)

    return Conversion(to_native, to_message)


@converter("instant",
           "an instant with an offset in the model (shown in `zone`, default Europe/Brussels) ↔ "
           "UTC with `Z` in the message.",
           params=("zone",))
def _instant(params: Mapping[str, Any], target: Target) -> Conversion:
    name = params.get("zone", "Europe/Brussels")
    try:
        zone = ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise ValueError(f"zone must be an IANA time zone, not {name!r}") from None

    def parse(value: Any) -> datetime:
        text = _text(value, "instant")
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise TranslationError(f"{text!r} is not an ISO 8601 instant") from None
        if moment.tzinfo is None:
            raise TranslationError(f"{text!r} has no offset: an instant needs one")
        return moment

    def to_native(value: Any) -> str:
        return in_zone(parse(value), zone).isoformat()

    def to_message(value: Any) -> str:
        return parse(value).astimezone(UTC).isoformat().replace("+00:00", "Z")

    return Conversion(to_native, to_message)


@converter("npr_date",
           "an instant of the model ↔ the NPR's date, a number YYYYMMDD (`DateCCYYMMDD`), local "
           "in `zone` (default Europe/Brussels); with `end: true` the date is the last day in "
           "force and the instant the next day's start.",
           params=("zone", "end"))
def _npr_date(params: Mapping[str, Any], target: Target) -> Conversion:
    name = params.get("zone", "Europe/Brussels")
    end = params.get("end", False)
    if not isinstance(end, bool):
        raise ValueError(f"end must be true or false, not {end!r}")
    try:
        zone = ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise ValueError(f"zone must be an IANA time zone, not {name!r}") from None

    def to_native(value: Any) -> str:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TranslationError(f"expected a date YYYYMMDD, got {value!r}")
        try:
            day = datetime.strptime(f"{value:08d}", "%Y%m%d").date()
        except ValueError:
            raise TranslationError(f"{value} is not a date YYYYMMDD") from None
        if end:
            day += timedelta(days=1)
        return datetime.combine(day, time(), zone).isoformat()

    def to_message(value: Any) -> int:
        text = _text(value, "instant")
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise TranslationError(f"{text!r} is not an ISO 8601 instant") from None
        if moment.tzinfo is None:
            raise TranslationError(f"{text!r} has no offset: an instant needs one")
        local = in_zone(moment, zone)
        if end and local.time() == time():
            local -= timedelta(days=1)
        return int(local.strftime("%Y%m%d"))

    return Conversion(to_native, to_message)


@converter("be_vat_number",
           "a Belgian enterprise number as the model keeps it (`0207.451.227`) ↔ the VAT number "
           "a message carries (`BE0207451227`).")
def _be_vat_number(params: Mapping[str, Any], target: Target) -> Conversion:
    kbo = re.compile(r"([01][0-9]{3})\.([0-9]{3})\.([0-9]{3})")
    vat = re.compile(r"BE([01][0-9]{9})")

    def to_native(value: Any) -> str:
        match = vat.fullmatch(_text(value, "VAT number").replace(" ", "").upper())
        if match is None:
            raise TranslationError(f"{value!r} is not a Belgian VAT number (BE + 10 digits)")
        digits = match.group(1)
        return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"

    def to_message(value: Any) -> str:
        match = kbo.fullmatch(_text(value, "enterprise number"))
        if match is None:
            raise TranslationError(f"{value!r} is not an enterprise number (0000.000.000)")
        return "BE" + "".join(match.groups())

    return Conversion(to_native, to_message)


@converter("geojson_areas",
           "APDS AreaLocation list (GeoJSON MultiPolygons) ↔ the model's GeoJSON text of one "
           "MultiPolygon: in, the entries' polygons merged; out, one entry.")
def _geojson_areas(params: Mapping[str, Any], target: Target) -> Conversion:
    def polygons(geometry: Any) -> list[Any]:
        if not isinstance(geometry, dict) or not isinstance(geometry.get("coordinates"), list):
            raise TranslationError("an area needs GeoJSON coordinates")
        kind = geometry.get("type")
        if kind == "MultiPolygon":
            return list(geometry["coordinates"])
        if kind == "Polygon":
            return [geometry["coordinates"]]
        raise TranslationError(f"an area is a Polygon or MultiPolygon, not {kind!r}")

    def to_native(value: Any) -> str:
        if not isinstance(value, list) or not value:
            raise TranslationError("expected a non-empty list of areas")
        merged = [p for area in value for p in polygons(area)]
        return json.dumps({"type": "MultiPolygon", "coordinates": merged}, separators=(",", ":"))

    def to_message(value: Any) -> list[dict[str, Any]]:
        try:
            geometry = json.loads(_text(value, "GeoJSON"))
        except json.JSONDecodeError:
            raise TranslationError("the zone's GeoJSON does not parse") from None
        return [{"type": "MultiPolygon", "coordinates": polygons(geometry)}]

    return Conversion(to_native, to_message)


_CLOCK = re.compile(r"^(?:(\d{1,3}):)?(\d{1,3}):([0-5]\d)$")


@converter("clock_duration",
           "minutes of the model ↔ an APDS rate line duration `hh:mm` or `dd:hh:mm` (`01:00` "
           "is 60, `01:00:00` is 1440); out, `hh:mm` below a day, else `dd:hh:mm`.")
def _clock_duration(params: Mapping[str, Any], target: Target) -> Conversion:
    def to_native(value: Any) -> int:
        found = _CLOCK.match(_text(value, "duration"))
        if found is None:
            raise TranslationError(f"{value!r} is not hh:mm or dd:hh:mm")
        days, hours, minutes = (int(found.group(1) or 0), int(found.group(2)),
                                int(found.group(3)))
        return (days * 24 + hours) * 60 + minutes

    def to_message(value: Any) -> str:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise TranslationError(f"{value!r} is not a number of minutes")
        days, rest = divmod(value, 1440)
        hours, minutes = divmod(rest, 60)
        return f"{days:02d}:{hours:02d}:{minutes:02d}" if days else f"{hours:02d}:{minutes:02d}"

    return Conversion(to_native, to_message)


_ISO_DURATION = re.compile(r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$")


@converter("iso_duration",
           "minutes of the model ↔ an ISO 8601 duration (`PT15M`, `PT4H`, `P1D`); years, months "
           "and weeks are refused (no fixed length), seconds must make whole minutes.")
def _iso_duration(params: Mapping[str, Any], target: Target) -> Conversion:
    def to_native(value: Any) -> int:
        text = _text(value, "duration")
        found = _ISO_DURATION.match(text)
        if found is None or text in ("P", "PT") or text.endswith("T"):
            raise TranslationError(f"{text!r} is not an ISO 8601 duration in days, hours and "
                                   "minutes")
        days, hours, minutes, seconds = (int(g or 0) for g in found.groups())
        if seconds % 60:
            raise TranslationError(f"{text!r} is not a whole number of minutes")
        return days * 1440 + hours * 60 + minutes + seconds // 60

    def to_message(value: Any) -> str:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise TranslationError(f"{value!r} is not a number of minutes")
        hours, minutes = divmod(value, 60)
        if value == 0:
            return "PT0M"
        return "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")

    return Conversion(to_native, to_message)


@converter("versioned_reference",
           "a regime version's IRI (`base` + id + `/` + version) ↔ an APDS VersionedReference "
           "`{id, version}`.",
           params=("base",), required=("base",))
def _versioned_reference(params: Mapping[str, Any], target: Target) -> Conversion:
    base = params["base"]
    if not isinstance(base, str) or not re.match(r"^https?://\S+[/#]$", base):
        raise ValueError(f"base must be an http(s) IRI ending in / or #, not {base!r}")

    def to_native(value: Any) -> str:
        if not isinstance(value, dict):
            raise TranslationError("expected a VersionedReference {id, version}")
        local, version = value.get("id"), value.get("version")
        if not isinstance(local, str) or not local or "/" in local \
                or any(c.isspace() for c in local):
            raise TranslationError(f"id {local!r} cannot be the last segment of an IRI")
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            raise TranslationError(f"version {version!r} is not a positive integer")
        return f"{base}{local}/{version}"

    def to_message(value: Any) -> dict[str, Any]:
        iri = _text(value, "IRI")
        local, _, version = iri.removeprefix(base).rpartition("/")
        if not iri.startswith(base) or not local or "/" in local or not version.isdigit():
            raise TranslationError(f"{iri!r} is not a version IRI {base}{{id}}/{{version}}")
        return {"id": local, "version": int(version)}

    return Conversion(to_native, to_message)


#: Plate schemes whose name is not {CC}NumberPlate (apds4.yaml's example is UKNumberPlate).
_SCHEME_COUNTRY = {"UKNumberPlate": "GB"}
_COUNTRY_SCHEME = {country: scheme for scheme, country in _SCHEME_COUNTRY.items()}


@converter("plate_scheme",
           "a plate's ISO 3166 country (`BE`) ↔ the APDS credential's `className`, the plate "
           "scheme `{CC}NumberPlate` (`BENumberPlate`; `UKNumberPlate` for `GB`).")
def _plate_scheme(params: Mapping[str, Any], target: Target) -> Conversion:
    def to_native(value: Any) -> str:
        text = _text(value, "className")
        if text in _SCHEME_COUNTRY:
            return _SCHEME_COUNTRY[text]
        found = re.fullmatch(r"([A-Z]{2})NumberPlate", text)
        if found is None:
            raise TranslationError(f"{text!r} is not a plate scheme {{CC}}NumberPlate")
        return found.group(1)

    def to_message(value: Any) -> str:
        text = _text(value, "country")
        if not re.fullmatch(r"[A-Z]{2}", text):
            raise TranslationError(f"{text!r} is not an ISO 3166-1 alpha-2 code")
        return _COUNTRY_SCHEME.get(text, f"{text}NumberPlate")

    return Conversion(to_native, to_message)


#: Country codes APDS senders write that ISO 3166-1 does not assign: the UK platform names its
#: plate scheme UKNumberPlate, and its vendors write the country as `uk` too (ISO: `gb`).
_APDS_COUNTRY_ALIASES = {"UK": "GB"}


def apds_country(text: str) -> str:
    """An APDS country code as the model writes it: upper case, `uk` read as `GB`."""
    return _APDS_COUNTRY_ALIASES.get(text.upper(), text.upper())


@converter("country_code",
           "an ISO 3166-1 alpha-2 code in upper case (the model, `BE`) ↔ APDS `CountryCode` in "
           "lower case (`be`); `uk` in is `GB`, out always `gb`.")
def _country_code(params: Mapping[str, Any], target: Target) -> Conversion:
    def to_native(value: Any) -> str:
        text = _text(value, "country")
        if not re.fullmatch(r"[a-zA-Z]{2}", text):
            raise TranslationError(f"{text!r} is not a two-letter country code")
        return apds_country(text)

    def to_message(value: Any) -> str:
        text = _text(value, "country")
        if not re.fullmatch(r"[A-Z]{2}", text):
            raise TranslationError(f"{text!r} is not an ISO 3166-1 alpha-2 code")
        return text.lower()

    return Conversion(to_native, to_message)
