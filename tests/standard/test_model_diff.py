"""`vptr diff OLD NEW`: what changed between two versions of the model, and which changes break data
that conformed to the old one. Each test edits a copy of model/ and compares it with model/."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from vptr.cli import app
from vptr.standard_build.diff import ModelDiff, diff_terms, load_version


@pytest.fixture(scope="module")
def base_terms(model_snapshot):
    """The terms of model/ as the edited copies start from it."""
    return load_version(model_snapshot)[1]


@pytest.fixture
def compare(model_copy, base_terms):
    """``compare({"zone.yaml": edit})``: the diff from model/ to an edited copy of it."""

    def run(edits) -> ModelDiff:
        _, new_terms = load_version(model_copy(edits))
        return diff_terms(base_terms, new_terms)

    return run


def only(diff: ModelDiff, **criteria):
    found = diff.find(**criteria)
    assert len(found) == 1, (criteria, diff.changes)
    return found[0]


def zone(edit):
    return {"zone.yaml": edit}


# -- what is reported ------------------------------------------------------------------------------


def test_an_unchanged_model_has_no_changes(compare):
    diff = compare({"zone.yaml": lambda d: None, "common.yaml": lambda d: None})
    assert diff.changes == []


def test_removing_a_slot_from_a_class_is_a_breaking_removal_of_that_property(compare):
    diff = compare(zone(lambda d: d["classes"]["Zone"]["slots"].remove("capacity")))
    change = only(diff, change="removed", element="property", name="Zone.capacity")
    assert change.breaking
    assert diff.find(element="slot", name="capacity") == [], "the slot itself is still defined"
    assert diff.breaking == [change]


def test_adding_an_optional_slot_is_an_addition_that_breaks_nothing(compare, labelled):
    def edit(d):
        d["slots"]["colour"] = labelled(slot_uri="vptr:colour")
        d["classes"]["Zone"]["slots"].append("colour")

    diff = compare(zone(edit))
    assert not only(diff, change="added", element="property", name="Zone.colour").breaking
    assert not only(diff, change="added", element="slot", name="colour").breaking
    assert diff.breaking == []


def test_adding_a_required_slot_to_an_existing_class_is_breaking(compare, labelled):
    def edit(d):
        d["slots"]["colour"] = labelled(slot_uri="vptr:colour")
        d["classes"]["Zone"]["slots"].append("colour")
        d["classes"]["Zone"]["slot_usage"]["colour"] = {"required": True}

    diff = compare(zone(edit))
    assert only(diff, change="added", element="property", name="Zone.colour").breaking


def test_making_a_slot_required_is_breaking_and_making_it_optional_is_not(compare):
    def edit(d):
        d["classes"]["Zone"]["slot_usage"]["timeZone"] = {"required": True}
        d["classes"]["Zone"]["slot_usage"].pop("geometry")

    diff = compare(zone(edit))
    required = only(diff, name="Zone.timeZone", aspect="required")
    assert (required.old, required.new, required.breaking) == (False, True, True)
    optional = only(diff, name="Zone.geometry", aspect="required")
    assert (optional.old, optional.new, optional.breaking) == (True, False, False)


def test_changing_a_range_to_another_class_is_breaking(compare):
    diff = compare(zone(lambda d: d["slots"]["parentZones"].update(range="Organisation")))
    change = only(diff, element="property", name="Zone.parentZones", aspect="range")
    assert (change.old, change.new, change.breaking) == ("Zone", "Organisation", True)


def test_changing_a_datatype_is_breaking(compare):
    diff = compare(
        zone(lambda d: d["slots"]["capacity"].update(range="string", minimum_value=None))
    )
    assert only(diff, name="Zone.capacity", aspect="range").breaking


def test_widening_a_range_to_a_parent_class_is_not_breaking(compare, labelled):
    def edit(d):
        d["classes"]["Area"] = labelled(class_uri="vptr:Area", slots=["name"])
        d["classes"]["Zone"]["is_a"] = "Area"
        d["slots"]["parentZones"]["range"] = "Area"

    diff = compare(zone(edit))
    assert not only(diff, name="Zone.parentZones", aspect="range").breaking
    assert not only(diff, change="changed", element="class", name="Zone", aspect="parent").breaking
    assert not only(diff, change="added", element="class", name="Area").breaking


def test_adding_an_enumeration_value_is_not_breaking(compare):
    def edit(d):
        d["enums"]["ZoneKind"]["permissible_values"]["parkAndRide"] = {
            "meaning": "concept:Zonetype/parkAndRide",
            "description": "A park and ride.",
            "annotations": {
                "label_en": "park and ride",
                "label_nl": "P+R",
                "definition_nl": "Een parkeerplaats om over te stappen.",
            },
        }

    diff = compare(zone(edit))
    assert not only(diff, change="added", element="value", name="ZoneKind.parkAndRide").breaking
    assert diff.breaking == []


def test_removing_an_enumeration_value_is_breaking(compare):
    diff = compare(zone(lambda d: d["enums"]["ZoneKind"]["permissible_values"].pop("blueZone")))
    assert only(diff, change="removed", element="value", name="ZoneKind.blueZone").breaking


def test_changing_a_value_iri_or_a_slot_iri_is_breaking(compare):
    def edit(d):
        d["enums"]["ZoneKind"]["permissible_values"]["blueZone"]["meaning"] = (
            "concept:Zonetype/blauweZone"
        )
        d["slots"]["capacity"]["slot_uri"] = "vptr:zoneCapacity"

    diff = compare(zone(edit))
    assert only(diff, element="value", name="ZoneKind.blueZone", aspect="iri").breaking
    change = only(diff, element="slot", name="capacity", aspect="iri")
    assert change.breaking and change.new.endswith("#zoneCapacity")


def test_changing_labels_and_definitions_is_reported_but_not_breaking(compare):
    def edit(d):
        d["slots"]["zoneKind"]["annotations"]["label_nl"] = "soort zone"
        d["classes"]["Zone"]["annotations"]["label_en"] = "Area"
        d["classes"]["Zone"]["description"] = "An area where a regime applies."

    diff = compare(zone(edit))
    label = only(diff, element="slot", name="zoneKind", aspect="label_nl")
    assert (label.old, label.new, label.breaking) == ("zonetype", "soort zone", False)
    assert only(diff, element="class", name="Zone", aspect="label_en").new == "Area"
    assert only(diff, element="class", name="Zone", aspect="description")
    assert diff.breaking == []


def test_a_new_pattern_a_higher_minimum_and_a_lower_maximum_are_breaking(compare):
    def edit(d):
        d["classes"]["Zone"]["slot_usage"]["name"] = {"required": True, "pattern": "^.{1,80}$"}
        d["slots"]["capacity"]["minimum_value"] = 1
        d["slots"]["capacity"]["maximum_value"] = 100000

    diff = compare(zone(edit))
    assert only(diff, name="Zone.name", aspect="pattern").breaking
    assert only(diff, name="Zone.capacity", aspect="minimum").breaking
    assert only(diff, name="Zone.capacity", aspect="maximum").breaking


def test_relaxing_a_constraint_is_not_breaking(compare):
    def edit(d):
        d["slots"]["timeZone"].pop("pattern")
        d["slots"]["capacity"].pop("minimum_value")

    diff = compare(zone(edit))
    assert not only(diff, name="Zone.timeZone", aspect="pattern").breaking
    assert not only(diff, name="Zone.capacity", aspect="minimum").breaking
    assert diff.breaking == []


def test_multivalued_becoming_single_valued_is_breaking_and_the_reverse_is_not(compare):
    def edit(d):
        d["slots"]["parentZones"]["multivalued"] = False
        d["slots"]["capacity"]["multivalued"] = True

    diff = compare(zone(edit))
    assert only(diff, name="Zone.parentZones", aspect="multivalued").breaking
    assert not only(diff, name="Zone.capacity", aspect="multivalued").breaking


def test_removing_a_class_or_an_enumeration_is_breaking(compare):
    def drop_credit(d):
        d["classes"].pop("Credit")
        d["slots"].pop("credit")
        d["classes"]["Permit"]["slots"].remove("credit")

    def drop_zone_kind(d):
        d["enums"].pop("ZoneKind")
        d["slots"]["zoneKind"]["range"] = "string"

    diff = compare({"permit.yaml": drop_credit, "zone.yaml": drop_zone_kind})
    assert only(diff, change="removed", element="class", name="Credit").breaking
    assert only(diff, change="removed", element="property", name="Permit.credit").breaking
    assert only(diff, change="removed", element="slot", name="credit").breaking
    assert only(diff, change="removed", element="enum", name="ZoneKind").breaking
    assert diff.find(element="value", name="ZoneKind.blueZone") == [], "not every value again"
    assert only(diff, name="Zone.zoneKind", aspect="range").breaking


def test_a_class_iri_change_is_breaking(compare):
    diff = compare(zone(lambda d: d["classes"]["Zone"].update(class_uri="vptr:Zone")))
    change = only(diff, element="class", name="Zone", aspect="iri")
    assert change.breaking and change.new.endswith("parkeren-en-toegang#Zone")


# -- the command -----------------------------------------------------------------------------------


def run(*args: str):
    return CliRunner().invoke(app, ["diff", *map(str, args)])


def test_the_command_exits_0_when_nothing_breaks(model_copy, labelled, model_snapshot):
    def edit(d):
        d["slots"]["colour"] = labelled(slot_uri="vptr:colour")
        d["classes"]["Zone"]["slots"].append("colour")

    result = run(model_snapshot, model_copy(zone(edit)))
    assert result.exit_code == 0, result.output
    assert "added property Zone.colour" in result.output
    assert "BREAKING" not in result.output


def test_the_command_exits_1_and_says_breaking_when_something_breaks(model_copy, model_snapshot):
    new = model_copy(zone(lambda d: d["enums"]["ZoneKind"]["permissible_values"].pop("blueZone")))
    result = run(model_snapshot, new / "vptr.yaml")
    assert result.exit_code == 1, result.output
    assert "BREAKING removed value ZoneKind.blueZone" in result.output


def test_the_command_prints_json_with_json(model_copy, model_snapshot):
    new = model_copy(
        {
            "vptr.yaml": lambda d: d.update(version="0.2.0"),
            **zone(lambda d: d["classes"]["Zone"]["slots"].remove("capacity")),
        }
    )
    result = run(model_snapshot, new, "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["breaking"] is True
    assert data["new"]["version"] == "0.2.0" != data["old"]["version"]
    assert {
        "change": "removed",
        "element": "property",
        "name": "Zone.capacity",
        "aspect": None,
        "old": None,
        "new": None,
        "breaking": True,
        "reason": "existing data using it no longer conforms",
    } in data["changes"]
    version = [
        c for c in data["changes"] if c["element"] == "standard" and c["aspect"] == "version"
    ]
    assert version and version[0]["new"] == "0.2.0" and not version[0]["breaking"]
    assert data["counts"]["breaking"] == sum(c["breaking"] for c in data["changes"])


def test_the_command_exits_2_when_a_version_does_not_load(model_copy, model_snapshot, tmp_path):
    broken = model_copy(zone(lambda d: d["slots"]["capacity"].update(range="Nothing")))
    result = run(model_snapshot, broken)
    assert result.exit_code == 2
    assert "zone.yaml: capacity:" in result.output
    assert run(model_snapshot, tmp_path / "nowhere").exit_code == 2
