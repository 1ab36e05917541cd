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
        d["slots"]["colour"] = labelled(slot_uri="vptr:testding")
        d["classes"]["Zone"]["slots"].append("colour")

    diff = compare(zone(edit))
    assert not only(diff, change="added", element="property", name="Zone.colour").breaking
    assert not only(diff, change="added", element="slot", name="colour").breaking
    assert diff.breaking == []


def test_adding_a_required_slot_to_an_existing_class_is_breaking(compare, labelled):
    def edit(d):
        d["slots"]["colour"] = labelled(slot_uri="vptr:testding")
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
        d["classes"]["Area"] = labelled(class_uri="vptr:Testding", slots=["name"])
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
                "label_nl": "park-and-ride",
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
        blue = d["enums"]["ZoneKind"]["permissible_values"]["blueZone"]
        blue["meaning"] = "concept:Zonetype/blauw"
        blue["annotations"]["label_nl"] = "blauw"
        d["slots"]["capacity"]["slot_uri"] = "vptr:zonecapaciteit"
        d["slots"]["capacity"]["annotations"]["label_nl"] = "zonecapaciteit"

    diff = compare(zone(edit))
    assert only(diff, element="value", name="ZoneKind.blueZone", aspect="iri").breaking
    change = only(diff, element="slot", name="capacity", aspect="iri")
    assert change.breaking and change.new.endswith("#zonecapaciteit")


def test_changing_labels_and_definitions_is_reported_but_not_breaking(compare):
    def edit(d):
        d["slots"]["geometry"]["annotations"]["label_nl"] = "omtrek"
        d["classes"]["Zone"]["annotations"]["label_en"] = "Area"
        d["classes"]["Zone"]["description"] = "An area where a regime applies."

    diff = compare(zone(edit))
    label = only(diff, element="slot", name="geometry", aspect="label_nl")
    assert (label.old, label.new, label.breaking) == ("geometrie", "omtrek", False)
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


def test_a_code_list_that_loses_values_is_breaking(compare):
    def shrink(d):
        d["slots"]["country"]["equals_string_in"].remove("GB")

    shrunk = only(compare({"vehicle.yaml": shrink}), name="LicencePlate.country",
                  aspect="code list")
    assert shrunk.breaking and shrunk.new == "248 values"


def test_a_code_list_that_gains_values_is_not_breaking(compare):
    def grow(d):
        d["slots"]["country"]["equals_string_in"].append("XK")

    assert not only(compare({"vehicle.yaml": grow}), name="LicencePlate.country",
                    aspect="code list").breaking


def test_dropping_a_code_list_is_not_breaking(compare):
    def drop(d):
        d["slots"]["country"].pop("equals_string_in")

    assert not only(compare({"vehicle.yaml": drop}), name="LicencePlate.country",
                    aspect="code list").breaking


def test_a_new_code_list_is_breaking(compare):
    def add(d):
        d["slots"]["timeZone"]["equals_string_in"] = ["Europe/Brussels"]

    assert only(compare(zone(add)), name="Zone.timeZone", aspect="code list").breaking


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
        d["slots"]["colour"] = labelled(slot_uri="vptr:testding")
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
            "vptr.yaml": lambda d: d.update(version="1.1.0"),
            **zone(lambda d: d["classes"]["Zone"]["slots"].remove("capacity")),
        }
    )
    result = run(model_snapshot, new, "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["breaking"] is True
    assert "needs a new major version (2.0.0)" in data["refused"]
    assert data["new"]["version"] == "1.1.0" != data["old"]["version"]
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
    assert version and version[0]["new"] == "1.1.0" and not version[0]["breaking"]
    assert data["counts"]["breaking"] == sum(c["breaking"] for c in data["changes"])


def test_the_command_exits_2_when_a_version_does_not_load(model_copy, model_snapshot, tmp_path):
    broken = model_copy(zone(lambda d: d["slots"]["capacity"].update(range="Nothing")))
    result = run(model_snapshot, broken)
    assert result.exit_code == 2
    assert "zone.yaml: capacity:" in result.output
    assert run(model_snapshot, tmp_path / "nowhere").exit_code == 2


# -- the version must follow the changes -----------------------------------------------------------


def with_version(version: str, edits=None):
    return {"vptr.yaml": lambda d: d.update(version=version), **(edits or {})}


def drop_blue_zone(d):
    d["enums"]["ZoneKind"]["permissible_values"].pop("blueZone")


@pytest.mark.parametrize(("version", "refused"), [
    ("1.0.0", True),   # not bumped
    ("1.1.0", True),   # a minor version for a breaking change
    ("1.0.1", True),   # a patch
    ("2.0.0", False),  # a new major version
])
def test_a_breaking_change_is_refused_unless_the_major_version_rises(
    model_copy, model_snapshot, version, refused
):
    result = run(model_snapshot, model_copy(with_version(version, zone(drop_blue_zone))))
    assert result.exit_code == (1 if refused else 0), result.output
    assert "BREAKING removed value ZoneKind.blueZone" in result.output
    assert ("REFUSED" in result.output) is refused


def test_at_0x_a_new_minor_version_may_break_as_semantic_versioning_allows(base_terms):
    from vptr.standard_build.diff import Version

    breaking = diff_terms(base_terms, base_terms)
    breaking.changes.append(only_breaking := _breaking_change())
    for new, refused in (("0.1.1", True), ("0.2.0", False), ("1.0.0", False)):
        breaking.old, breaking.new = Version("a", "0.1.0", "", ""), Version("b", new, "", "")
        assert (breaking.refusal() is not None) is refused, new
    assert only_breaking.breaking


def _breaking_change():
    from vptr.standard_build.diff import Change

    return Change("removed", "value", "ZoneKind.blueZone", breaking=True)


def test_a_version_that_goes_down_is_refused_even_without_changes(model_copy, model_snapshot):
    result = run(model_snapshot, model_copy(with_version("0.9.0")))
    assert result.exit_code == 1
    assert "the version goes down" in result.output


# -- the hand-written shapes ----------------------------------------------------------------------


@pytest.fixture
def versions(tmp_path, model_snapshot):
    """``versions(edit_shapes)``: two checkouts-like folders (model/ and shapes/ side by side), the
    second with its shapes edited as text."""
    import shutil

    from .conftest import SHAPES_DIR

    def make(edit, version="1.0.0"):
        for name in ("old", "new"):
            shutil.copytree(model_snapshot, tmp_path / name / "model")
            shutil.copytree(SHAPES_DIR, tmp_path / name / "shapes")
        main = tmp_path / "new" / "model" / "vptr.yaml"
        main.write_text(main.read_text(encoding="utf-8").replace(
            "version: 1.0.0", f"version: {version}"), encoding="utf-8")
        rules = tmp_path / "new" / "shapes" / "tariffs.ttl"
        rules.write_text(edit(rules.read_text(encoding="utf-8")), encoding="utf-8")
        return tmp_path / "old" / "model", tmp_path / "new" / "model"

    return make


def test_a_stricter_shape_is_a_breaking_change(versions):
    old, new = versions(lambda text: text.replace("sh:lessThan", "sh:lessThanOrEquals"))
    result = run(old, new)
    assert result.exit_code == 1, result.output
    assert "BREAKING changed shape TariffStepStartsBeforeEnd: rule" in result.output


def test_a_new_shape_is_breaking_and_a_removed_one_is_not(versions):
    from vptr.standard_build.diff import diff_paths

    extra = ("\nvptrsh:NewRule a sh:NodeShape ; sh:targetClass vptr:Recht ;\n"
             "    sh:property [ sh:path vptr:kanaal ; sh:minCount 1 ] .\n")
    diff = diff_paths(*versions(lambda text: text + extra))
    assert diff.shapes_compared
    assert only(diff, change="added", element="shape", name="NewRule").breaking


def test_new_messages_on_a_shape_are_reported_but_not_breaking(versions):
    old, new = versions(lambda text: text.replace('"@en', ' (reworded)"@en', 1))
    result = run(old, new)
    assert result.exit_code == 0, result.output
    assert "changed shape" in result.output and "BREAKING" not in result.output


def test_an_unchanged_pair_of_checkouts_compares_shapes_and_finds_nothing(versions):
    from vptr.standard_build.diff import diff_paths

    diff = diff_paths(*versions(lambda text: text))
    assert diff.shapes_compared and diff.changes == []


def test_an_old_version_named_before_the_oslo_naming_rule_still_loads(model_copy, model_snapshot):
    """Release 0.1 had English IRIs; the rule binds the new version only."""
    old = model_copy(zone(lambda d: d["slots"]["capacity"].update(slot_uri="vptr:capacity")))
    result = run(old, model_snapshot)
    assert result.exit_code == 1, result.output  # the IRI changed under the same version
    assert "BREAKING changed slot capacity: iri" in result.output
    assert run(model_snapshot, old).exit_code == 2  # as the new version it is refused
