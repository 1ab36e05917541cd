"""What translating a message costs, against a plain Pydantic parse and dump of the same data.

Run it from the repository root::

    .venv/bin/python -m bench.mapping                 # 2,000 messages per mapping, 5 rounds
    .venv/bin/python -m bench.mapping --quick         # a smoke run
    .venv/bin/python -m bench.mapping --linkml-map    # also linkml-map on the NPR mapping

For every registered mapping (``vptr.mapping.registry()``), N realistic messages (a full APDS
Place with a boundary, an APDS ContactPoint, an NPR AreaManagerInfoData; ids and names vary per
message) are translated to native documents (*in*) and those documents back to messages (*out*).
The baseline, measured in the same run over the same data, is what a gateway pays anyway: the
generated Pydantic class of the native document (``vptr.standard.datamodel``) parsing the document
and dumping it as JSON data (``model_validate`` + ``model_dump(mode="json")``). The documents the
baseline parses are the translated ones completed with what the gateway adds (the IRI and
required slots no message carries), so both sides see the same values.

The target (APDS issue): translation at most 3x the baseline, each direction. Medians of several
rounds; microseconds per message and the ratio. ``--linkml-map`` adds linkml-map 0.5's
``ObjectTransformer`` on the NPR message with the closest specification it can express (a
hand-written LinkML schema of the message; docs/mappings.md says why it was not chosen).
Results go to ``bench/results/mapping-*.json``.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._results import write  # noqa: E402

TARGET_RATIO = 3.0
DATA = "https://data.parkeerregister.vlaanderen.be/id/"


def _place(i: int) -> dict[str, Any]:
    x, y = 3.70 + (i % 50) / 1000, 51.03 + (i % 70) / 1000
    ring = [[x, y], [x + 0.004, y], [x + 0.004, y + 0.003], [x + 0.001, y + 0.004], [x, y]]
    return {
        "id": f"5b1f0d7e-8f0c-4a7e-9d43-{i:012d}", "version": 1, "type": "place",
        "name": [{"language": "nl", "string": f"Zone {i}"}],
        "description": [{"language": "nl", "string": f"Betalend parkeren, blok {i}"}],
        "layer": 1, "operatorDefinedReference": {"id": f"GIS-{i}", "version": 1},
        "parentId": {"id": f"tariefzone-{i % 5}", "version": 1},
        "responsibilityRoleAssignments": [{"type": "operator",
                                           "contactPoints": [{"id": "gent"}]}],
        "timeZone": "Europe/Brussels",
        "placeBoundedZone": [{"type": "MultiPolygon", "coordinates": [[ring]]}],
        "characteristics": {"spacesTotal": 20 + i % 300},
        "hierarchyElementRecord": {"creationTime": "2026-01-05T08:00:00Z"},
    }


def _contact_point(i: int) -> dict[str, Any]:
    return {"id": f"cp-{i}", "version": 1, "contactType": "contactPoint",
            "organisationName": [{"language": "nl", "string": f"Parkeerbedrijf {i}"}],
            "type": ("operator", "serviceProvider", "enforcementSystemProvider")[i % 3],
            "contactDetails": [{"urlLinkAddress": f"https://parking-{i}.example.be"}]}


def _area_manager(i: int) -> dict[str, Any]:
    return {"AreaManagerId": i % 10_000, "AreaManagerDesc": f"Gemeente {i}",
            "AreaManagerUrl": f"https://gemeente-{i}.example.be",
            "VATNumber": f"BE0{i % 1_000_000_000:09d}",
            "StreetName": "Botermarkt", "HouseNumber": 1, "PostalCode": "9000"}


def _enrolment(i: int) -> dict[str, Any]:
    start = f"2026-03-{2 + i % 20:02d}T{8 + i % 9:02d}:{i % 60:02d}:00Z"
    return {"VehicleId": f"1ABC{i % 1000:03d}", "CountryCodeVehicle": ("B", "NL", "D")[i % 3],
            "AreaManagerId": 4402, "AreaId": "4402_ROOD", "UsageId": "BETAALDP",
            "StartTimePSright": start, "EndTimePSright": start.replace(":00Z", ":30Z"),
            "AmountPSright": 1.5 + i % 7, "VATPSright": 0.26,
            "ReferencePSRight": f"app-{i}"}


def _right_info(i: int) -> dict[str, Any]:
    return {"PSRightId": 1_000_000 + i, "ReferencePSRight": f"app-{i}",
            "CountryCodeVehicle": ("B", "NL", "D")[i % 3],
            "StartTimePSRight": "2026-03-02T09:00:00Z",
            "StartTimePSRightAdjusted": "2026-03-02T09:00:00Z",
            "EndTimePSRightAdjusted": f"2026-03-02T{10 + i % 8:02d}:00:00Z",
            "PSRightAcquirerCode": "PARKPLUS", "AreaManagerId": 4402, "AreaId": "4402_ROOD",
            "UsageId": "BETAALDP", "UsageDesc": "Betaald parkeren",
            "RegistrationTimePSRight": "2026-03-02T08:59:30Z", "AmountPSRight": 2.5 + i % 5,
            "VATPSRight": 0.43}


def _area_data(i: int) -> dict[str, Any]:
    x, y = 3.70 + (i % 50) / 1000, 51.03 + (i % 70) / 1000
    return {"AreaId": f"4402_{i % 10_000:04d}", "AreaDesc": f"Zone {i}",
            "StartDateArea": 20250101 + i % 28, "EndDateArea": 20291231,
            "UsageId": "BETAALDP", "UsageDesc": "Betaald parkeren", "GracePeriodBefore": 5,
            "GracePeriodAfter": 10, "PriceOneHourParking": 2.0,
            "Geometry": f"POLYGON (({x} {y}, {x + 0.004} {y}, {x + 0.004} {y + 0.003}, {x} {y}))"}


def _plate(i: int) -> dict[str, Any]:
    return {"type": "licensePlate", "credentialAssignedType": "vehicle",
            "identifier": {"id": f"1ABC{i % 1000:03d}", "className": "BENumberPlate"}}


def _assigned_right(i: int) -> dict[str, Any]:
    return {"id": f"7c0e9a52-1d7b-4f3e-8a61-{i:012d}", "version": 1,
            "rightSpecification": {"id": "gent-rood-betalend", "version": 2},
            "rightHolder": {"credentials": [_plate(i)]}, "issueMethod": "electronic",
            "plannedUses": [{"startTime": "2026-03-02T09:00:00Z",
                             "endTime": "2026-03-02T10:30:00Z"}],
            "monetaryValue": {"taxIncluded": True, "value": {"currencyType": "EUR",
                                                             "currencyValue": 2.5 + i % 7}}}


def _session(i: int) -> dict[str, Any]:
    return {"id": f"0f3b6c1e-5a2d-4c8e-b7f1-{i:012d}", "version": 1,
            "actualStart": "2026-03-02T09:00:00Z", "actualEnd": "2026-03-02T10:30:00Z",
            "hierarchyElement": {"id": "gent-rood", "version": 1},
            "identifiedCredentials": [_plate(i)], "identifiedVehicle": {"country": "be"},
            "segments": [{"id": "1", "version": 1, "actualStart": "2026-03-02T09:00:00Z",
                          "assignedRight": {"id": f"ar-{i}", "version": 1},
                          "validationType": ["licensePlate"]}]}


def _right_specification(i: int) -> dict[str, Any]:
    return {"id": f"regime-{i}", "version": 1 + i % 4, "type": "oneTimeUseParking",
            "description": [{"language": "nl", "string": f"Betalend parkeren {i}"}],
            "transferable": False, "hierarchyElements": [{"id": f"zone-{i}", "version": 1}],
            "validity": {"validityTimeSpecification": {
                "overallStartTime": "2026-01-01T00:00:00Z"}}}


def _rate_table(i: int) -> dict[str, Any]:
    return {"id": f"regime-{i}", "version": 1, "availability": "public",
            "rateTableName": [{"language": "nl", "string": f"Tarief {i}"}],
            "rateLineCollections": [{
                "id": "1", "version": 1, "collectionSequence": 1, "applicableCurrency": "EUR",
                "resetTime": "00:00", "validStart": "2026-01-01T00:00:00Z",
                "relativeTimes": False, "taxIncluded": True, "taxRate": 21,
                "maxValueCollection": {"currencyType": "EUR", "currencyValue": 10.0},
                "rateLines": [
                    {"id": "1", "version": 1, "sequence": 1, "rateLineType": "incrementingRate",
                     "durationStart": "00:00", "durationEnd": "01:00",
                     "incrementPeriod": "PT15M", "value": 0.4},
                    {"id": "2", "version": 1, "sequence": 2, "rateLineType": "incrementingRate",
                     "durationStart": "01:00", "incrementPeriod": "PT15M", "value": 0.8}]}]}


EXAMPLES: dict[tuple[str, str], Callable[[int], dict[str, Any]]] = {
    ("apds", "Place"): _place,
    ("apds", "AssignedRight"): _assigned_right,
    ("apds", "Session"): _session,
    ("apds", "RightSpecification"): _right_specification,
    ("apds", "RateTable"): _rate_table,
    ("apds", "ContactPoint"): _contact_point,
    ("npr", "AreaManagerInfoData"): _area_manager,
    ("npr", "PSRightEnrollRequestData"): _enrolment,
    ("npr", "AreaData"): _area_data,
    ("npr", "PSRightInfoData"): _right_info,
}

# What a gateway adds to the mapped part before the document is complete (the IRI, and required
# slots no message of this kind carries), per native class.
COMPLETION: dict[str, dict[str, Any]] = {
    "Zone": {"zoneKind": "paidParking", "geometry": {"asWKT": "POINT (3.72 51.05)"},
             "areaManager": DATA + "organisation/gent", "name": "Zone"},
    "Organisation": {"name": "Organisatie", "roles": ["areaManager"]},
    "Right": {"rightKind": "parking", "zone": DATA + "zone/gent-rood", "channel": "app",
              "provider": DATA + "organisation/parkplus", "rightStatus": "active",
              "vehicle": {"licencePlate": {"plateNumber": "1ABC123", "country": "BE"}}},
    "Regime": {"rightKind": "parking", "areaManager": DATA + "organisation/gent"},
    "Tariff": {},
}


def per_message_us(action: Callable[[Any], Any], items: list[Any], rounds: int) -> float:
    """Median over ``rounds`` of the time per item of ``action`` over every item, in µs."""
    results = []
    for _ in range(rounds):
        start = time.perf_counter()
        for item in items:
            action(item)
        results.append((time.perf_counter() - start) / len(items) * 1e6)
    return statistics.median(results)


def _merged(base: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    """``document`` over ``base``, nested objects merged (a right's country beside the plate)."""
    merged = dict(base)
    for key, value in document.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            value = _merged(merged[key], value)
        merged[key] = value
    return merged


def _complete(document: dict[str, Any], native_class: str, i: int) -> dict[str, Any]:
    kind = "zone" if native_class == "Zone" else native_class.lower()
    if native_class == "Tariff":  # nested in its regime: no IRI of its own
        return _merged(COMPLETION.get(native_class, {}), document)
    return {**_merged(COMPLETION.get(native_class, {}), document),
            "id": f"{DATA}{kind}/bench-{i}"}


def measure(key: tuple[str, str], messages: int, rounds: int) -> dict[str, Any]:
    from vptr.mapping import translator
    from vptr.standard import datamodel

    t = translator(*key)
    model = getattr(datamodel, t.native_class)
    if key not in EXAMPLES:
        raise SystemExit(f"bench.mapping has no example message for {key[0]}:{key[1]}: add one "
                         "to EXAMPLES")
    sent = [EXAMPLES[key](i) for i in range(messages)]
    documents = [_complete(t.to_native(m), t.native_class, i) for i, m in enumerate(sent)]
    for document in documents[:10]:  # the baseline must parse what the translator produced
        model.model_validate(document)

    def baseline(document: dict[str, Any]) -> None:
        model.model_validate(document).model_dump(mode="json", exclude_none=True)

    pydantic_us = per_message_us(baseline, documents, rounds)
    in_us = per_message_us(t.to_native, sent, rounds)
    out_us = per_message_us(t.to_message, documents, rounds)
    return {"native_class": t.native_class, "rules": len(t.rules),
            "pydantic_parse_dump_us": round(pydantic_us, 2),
            "to_native_us": round(in_us, 2), "to_message_us": round(out_us, 2),
            "to_native_ratio": round(in_us / pydantic_us, 2),
            "to_message_ratio": round(out_us / pydantic_us, 2)}


# A LinkML schema of the NPR message and the closest linkml-map specification: linkml-map needs a
# LinkML schema on both sides; APDS and NPR publish OpenAPI and XSD.
_NPR_SCHEMA = """
id: https://example.org/npr
name: npr
prefixes: {linkml: https://w3id.org/linkml/, npr: https://example.org/npr/}
default_prefix: npr
imports: [linkml:types]
default_range: string
classes:
  AreaManagerInfoData:
    attributes:
      AreaManagerId: {range: integer}
      AreaManagerDesc: {}
      AreaManagerUrl: {}
      VATNumber: {}
"""
_NPR_SPEC = """
class_derivations:
  Organisation:
    populated_from: AreaManagerInfoData
    slot_derivations:
      name: {populated_from: AreaManagerDesc}
      homepage: {populated_from: AreaManagerUrl}
      identifiers:
        expr: "[{'notation': str(AreaManagerId), 'identifierScheme': 'nprAreaManagerId'}]"
"""


def measure_linkml_map(messages: int, rounds: int, engine_in_us: float,
                       pydantic_us: float) -> dict[str, Any]:
    try:
        from linkml_map.inference.inverter import TransformationSpecificationInverter
        from linkml_map.transformer.object_transformer import ObjectTransformer
        from linkml_runtime import SchemaView
    except ImportError:
        return {"skipped": "linkml-map is not installed (pip install linkml-map)"}
    import tempfile

    from vptr import paths

    with tempfile.TemporaryDirectory() as tmp:
        schema, spec = Path(tmp) / "npr.yaml", Path(tmp) / "spec.yaml"
        schema.write_text(_NPR_SCHEMA, encoding="utf-8")
        spec.write_text(_NPR_SPEC, encoding="utf-8")
        source = SchemaView(str(schema))
        target = SchemaView(str(paths.model_dir() / paths.MAIN_SCHEMA))
        transformer = ObjectTransformer(source_schemaview=source, target_schemaview=target)
        transformer.load_transformer_specification(str(spec))
        sent = [_area_manager(i) for i in range(messages)]
        sample = transformer.map_object(sent[0], source_type="AreaManagerInfoData")
        us = per_message_us(lambda m: transformer.map_object(m, source_type="AreaManagerInfoData"),
                            sent, rounds)
        try:
            TransformationSpecificationInverter(source_schemaview=source,
                                                target_schemaview=target
                                                ).invert(transformer.specification)
            inverse = "inverted"
        except Exception as error:  # its own NonInvertibleSpecificationError, reported as is
            inverse = f"{type(error).__name__}: {error}"
    return {"rules": "name, homepage, the NPR id (3 of the 5 the engine's file has)",
            "sample": sample, "to_native_us": round(us, 2),
            "to_native_ratio": round(us / pydantic_us, 2),
            "vs_engine": round(us / engine_in_us, 1), "inverse": inverse}


def run(messages: int, rounds: int, linkml_map: bool = False) -> dict[str, Any]:
    from vptr.mapping import registry

    results = {f"{s}:{m}": measure((s, m), messages, rounds) for s, m in registry()}
    report: dict[str, Any] = {
        "benchmark": "mapping",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
        "config": {"messages": messages, "rounds": rounds},
        "baseline": "vptr.standard.datamodel <Class>.model_validate(document)"
                    ".model_dump(mode='json') of the same documents",
        "mappings": results,
        "target_ratio": TARGET_RATIO,
        "target_met": all(r["to_native_ratio"] <= TARGET_RATIO
                          and r["to_message_ratio"] <= TARGET_RATIO for r in results.values()),
    }
    if linkml_map:
        npr = results["npr:AreaManagerInfoData"]
        report["linkml_map"] = measure_linkml_map(messages, rounds, npr["to_native_us"],
                                                  npr["pydantic_parse_dump_us"])
    return report


def table(report: dict[str, Any]) -> str:
    rows = [("mapping", "Pydantic parse+dump", "in (to native)", "ratio", "out (to message)",
             "ratio")]
    for key, r in report["mappings"].items():
        rows.append((f"{key} → {r['native_class']}", f"{r['pydantic_parse_dump_us']:.1f} µs",
                     f"{r['to_native_us']:.1f} µs", f"{r['to_native_ratio']:.2f}x",
                     f"{r['to_message_us']:.1f} µs", f"{r['to_message_ratio']:.2f}x"))
    lm = report.get("linkml_map")
    if lm and "to_native_us" in lm:
        rows.append(("npr:AreaManagerInfoData, linkml-map", "", f"{lm['to_native_us']:.1f} µs",
                     f"{lm['to_native_ratio']:.2f}x", "(no inverse)", ""))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append("")
    lines.append(f"target: translation <= {report['target_ratio']:.0f}x Pydantic parse+dump, "
                 f"each direction: {'met' if report['target_met'] else 'NOT met'}")
    if lm:
        lines.append(f"linkml-map: {lm.get('skipped') or 'inverse: ' + lm['inverse']}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.mapping", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="200 messages, 3 rounds")
    parser.add_argument("--messages", type=int, default=None, help="messages per mapping")
    parser.add_argument("--linkml-map", action="store_true",
                        help="also time linkml-map on the NPR mapping (when installed)")
    parser.add_argument("--results", type=Path, default=BENCH_DIR / "results",
                        help="where to write the JSON results")
    args = parser.parse_args(argv)
    messages, rounds = (200, 3) if args.quick else (2_000, 5)
    if args.messages is not None:
        messages = args.messages
    report = run(messages, rounds, args.linkml_map)
    print(table(report), end="")
    path = write(report, args.results, "mapping-quick" if args.quick else "mapping")
    print(f"results: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0 if report["target_met"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
