"""Any SHACL engine judges a payload as the register does.

For every example (``examples/`` and ``shapes/examples``, valid and invalid), plain pySHACL over
PyLD's RDF of the payload (:mod:`.plain_shacl`: the published files only, no inference, no type
added) reports exactly what our validator reports, with and without ``type`` on the nested
objects. Rules across entities get the same supporting entities in both.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from vptr.validation import validate_document

from .plain_shacl import (
    ROOT,
    leaf_keys,
    report_keys,
    to_graph,
    typed_everywhere,
    validate,
)


def _examples() -> list[tuple[Path, bool]]:
    found = []
    for kind in ("valid", "invalid"):
        for folder, pattern in ((ROOT / "examples" / kind, "*.jsonld"),
                                (ROOT / "shapes" / "examples" / kind, "*.json")):
            found += [(p, kind == "valid") for p in sorted(folder.glob(pattern))
                      if not p.name.endswith((".expected.json", ".supporting.json"))]
    return found


EXAMPLES = _examples()


def _supporting(path: Path) -> list[Any] | None:
    sidecar = path.with_name(path.name.removesuffix(path.suffix) + ".supporting.json")
    return json.loads(sidecar.read_text(encoding="utf-8")) if sidecar.is_file() else None


def plain_keys(document: Any, supporting: list[Any] | None) -> tuple[bool, Any, str]:
    payload = to_graph(document)
    data = to_graph(document)
    outside: set[Any] = set()
    if supporting:  # read, not reported: what the register passes along with a payload
        others = to_graph(*supporting)
        outside = set(others.subjects()) - set(payload.subjects())
        data += others
    conforms, results, text = validate(data)
    return conforms, leaf_keys(data, results, outside), text


def test_there_are_examples_of_both_kinds_in_both_folders() -> None:
    folders = {(p.relative_to(ROOT).parts[0], valid) for p, valid in EXAMPLES}
    assert folders == {(f, v) for f in ("examples", "shapes") for v in (True, False)}


@pytest.mark.parametrize(("path", "valid"), EXAMPLES,
                         ids=[f"{p.parent.name}/{p.stem}" for p, _ in EXAMPLES])
def test_plain_pyshacl_reports_what_our_validator_reports(path: Path, valid: bool) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    supporting = _supporting(path)
    conforms, untyped, text = plain_keys(document, supporting)
    assert conforms == valid, text
    ours = report_keys(validate_document(document, supporting=supporting))
    assert ours == untyped, f"ours only: {ours - untyped}; pySHACL only: {untyped - ours}"

    typed = typed_everywhere(document)
    assert typed != document or "type" in json.dumps(document)
    _, with_types, text = plain_keys(typed, supporting)
    assert with_types == untyped, text
    assert report_keys(validate_document(typed, supporting=supporting)) == untyped


def _right() -> dict[str, Any]:
    return json.loads((ROOT / "examples" / "valid" / "Right-meter-ticket.jsonld").read_text())


def _first(document: dict[str, Any]) -> dict[str, Any]:
    return document["@graph"][0] if "@graph" in document else document


BROKEN = {
    "a text where the vehicle belongs": lambda r: r.__setitem__("vehicle", "1ABC123"),
    "a text where the period belongs": lambda r: r.__setitem__("validityPeriod", "vandaag"),
    "the plate's country deep inside": lambda r: r["vehicle"]["licencePlate"].__setitem__(
        "country", "Belgium"),
    "an empty vehicle": lambda r: r.__setitem__("vehicle", {}),
    "a period that ends before it starts": lambda r: r["validityPeriod"].__setitem__(
        "endTime", "2000-01-01T00:00:00+01:00"),
    "a nested object of the wrong type": lambda r: r["vehicle"].__setitem__("type", "Zone"),
    "a zone of another register": lambda r: r.__setitem__(
        "zone", "https://parkeren.brussel/data/id/zone/centrum"),
    "a zone IRI of the wrong kind": lambda r: r.__setitem__("zone", r["provider"]),
}


@pytest.mark.parametrize("mutate", BROKEN.values(), ids=BROKEN.keys())
def test_plain_pyshacl_and_our_validator_agree_on_broken_payloads(mutate: Any) -> None:
    document = _right()
    mutate(_first(document))
    _, plain, text = plain_keys(document, None)
    assert report_keys(validate_document(document)) == plain, text
    assert report_keys(validate_document(document, engine="pyshacl")) == plain
