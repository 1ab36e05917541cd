"""``vptr validate FILE...``: reports for people and machines, and an exit code for scripts
(0 conform, 1 violations, 2 unreadable)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import RDF, SH
from typer.testing import CliRunner

from vptr.cli import app

from .corpus import CLASS_EXAMPLES, SHAPE_EXAMPLES

runner = CliRunner()
VALID = SHAPE_EXAMPLES / "valid" / "PeriodStartsBeforeEnd-right-of-two-hours.json"
INVALID = SHAPE_EXAMPLES / "invalid" / "PeriodStartsBeforeEnd-right-ends-before-it-starts.json"
CROSS = (SHAPE_EXAMPLES / "invalid"
         / "RightZoneAndAuthorisationOfOneAreaManager-authorised-by-another-city.json")


def run(*args: str, stdin: str | None = None):
    return runner.invoke(app, ["validate", *args], input=stdin)


def test_a_conforming_file_exits_0() -> None:
    result = run(str(VALID))
    assert result.exit_code == 0, result.output
    assert "conforms (5 objects checked)" in result.output


def test_violations_exit_1_and_name_object_property_and_problem() -> None:
    result = run(str(INVALID), str(VALID))
    assert result.exit_code == 1
    assert "1 violation (5 objects checked)" in result.output
    assert "Period at validityPeriod" in result.output
    assert "start time (startTime): The period does not start before it ends" in result.output


def test_the_report_speaks_dutch_with_lang_nl() -> None:
    result = run("--lang", "nl", str(INVALID))
    assert "Periode in validityPeriod" in result.output
    assert "starttijd (startTime): De periode begint niet vóór haar einde" in result.output


def test_an_unreadable_file_exits_2_even_beside_invalid_ones(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"type": "Right", "naam": "x"}', encoding="utf-8")
    result = run(str(INVALID), str(broken), str(tmp_path / "missing.json"))
    assert result.exit_code == 2
    assert "broken.json: unreadable at naam: unknown term 'naam'" in result.output
    assert "missing.json: unreadable: cannot read the file" in result.output


def test_json_output_is_a_summary_per_file(tmp_path: Path) -> None:
    result = run("--format", "json", "--lang", "nl", str(INVALID))
    body = json.loads(result.stdout)
    assert body["file"] == str(INVALID) and body["conforms"] is False
    assert body["violations"][0]["field"] == "validityPeriod.startTime"
    assert body["violations"][0]["message"].startswith("De periode")
    several = json.loads(run("--format", "json", str(INVALID), str(VALID)).stdout)
    assert [f["conforms"] for f in several] == [False, True]


@pytest.mark.parametrize(("fmt", "parser"), [("turtle", "turtle"), ("jsonld", "json-ld")])
def test_machine_output_is_a_shacl_validation_report(fmt: str, parser: str) -> None:
    result = run("--format", fmt, str(INVALID), str(VALID))
    assert result.exit_code == 1
    graph = Graph().parse(data=result.stdout, format=parser)
    reports = list(graph.subjects(RDF.type, SH.ValidationReport))
    assert len(reports) == 2
    assert len(list(graph.subjects(RDF.type, SH.ValidationResult))) == 1


def test_the_type_option_types_outermost_objects_without_one(tmp_path: Path) -> None:
    document = json.loads(VALID.read_text(encoding="utf-8"))
    del document["type"]
    untyped = tmp_path / "untyped.json"
    untyped.write_text(json.dumps(document), encoding="utf-8")
    assert run(str(untyped)).exit_code == 2
    assert run("--type", "Right", str(untyped)).exit_code == 0


def test_supporting_files_feed_the_rules_across_entities() -> None:
    supporting = CROSS.with_name(CROSS.name.replace(".json", ".supporting.json"))
    assert run(str(CROSS)).exit_code == 0
    result = run("--supporting", str(supporting), str(CROSS))
    assert result.exit_code == 1 and "authorisation" in result.output


def test_the_reference_engine_gives_the_same_verdict() -> None:
    fast = run("--format", "json", str(INVALID))
    reference = run("--format", "json", "--engine", "pyshacl", str(INVALID))
    assert reference.exit_code == fast.exit_code == 1
    key = ("field", "component", "shape")
    assert ([{k: v[k] for k in key} for v in json.loads(fast.stdout)["violations"]]
            == [{k: v[k] for k in key} for v in json.loads(reference.stdout)["violations"]])


def test_standard_input_and_turtle_are_read_too() -> None:
    turtle = (CLASS_EXAMPLES / "valid" / "Zone-gent-rood-paid.jsonld")
    result = run("-", stdin=turtle.read_text(encoding="utf-8"))
    assert result.exit_code == 0, result.output
    from vptr.validation.loading import json_to_graph, prepare_json

    ttl = json_to_graph(prepare_json(json.loads(INVALID.read_text(encoding="utf-8"))))
    result = run("-", stdin=ttl.serialize(format="turtle"))
    assert result.exit_code == 1 and "startTime" in result.output


def test_every_option_has_help() -> None:
    result = runner.invoke(app, ["validate", "--help"])
    for option in ("--lang", "--format", "--type", "--engine", "--supporting", "--max-bytes"):
        assert option in result.output
