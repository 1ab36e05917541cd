"""The registry loads every mapping file and refuses a bad one at load time, naming the file, the
rule and the bad name, so a typo stops the gateway at start-up instead of dropping a field."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from vptr.mapping import MappingError, load_registry, registry, translator

VALID: dict[str, Any] = {
    "standard": "npr",
    "message": "AreaManagerInfoData",
    "native": "Organisation",
    "fields": [
        {"message": "AreaManagerId",
         "native": "identifiers[identifierScheme=nprAreaManagerId].notation",
         "convert": "integer_text", "with": {"digits": 4}},
        {"message": "AreaManagerDesc", "native": "name"},
    ],
    "not_mapped": [{"message": "StreetName", "kind": "left out", "reason": "an address"}],
}


def write(directory: Path, raw: Any, name: str = "area-manager.yaml") -> Path:
    path = directory / "npr" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    return path


def refused(tmp_path: Path, raw: Any) -> str:
    write(tmp_path, raw)
    with pytest.raises(MappingError) as caught:
        load_registry(tmp_path)
    text = str(caught.value)
    assert "area-manager.yaml" in text, text
    return text


def broken(change: Any) -> dict[str, Any]:
    raw = copy.deepcopy(VALID)
    change(raw)
    return raw


def test_the_projects_mappings_load_and_are_keyed_by_standard_and_message() -> None:
    keys = set(registry())
    assert {("apds", "Place"), ("apds", "ContactPoint"), ("npr", "AreaManagerInfoData")} <= keys
    assert translator("apds", "Place").native_class == "Zone"
    with pytest.raises(KeyError, match="no mapping for apds:Quote"):
        translator("apds", "Quote")


def test_a_valid_file_loads(tmp_path: Path) -> None:
    write(tmp_path, VALID)
    assert list(load_registry(tmp_path)) == [("npr", "AreaManagerInfoData")]


def test_an_unknown_model_class_is_refused(tmp_path: Path) -> None:
    text = refused(tmp_path, broken(lambda r: r.update(native="Organization")))
    assert "unknown model class 'Organization'" in text


def test_an_unknown_slot_is_refused(tmp_path: Path) -> None:
    text = refused(tmp_path, broken(lambda r: r["fields"][1].update(native="title")))
    assert "fields[1] (AreaManagerDesc)" in text
    assert "unknown slot 'title' of Organisation" in text


def test_an_unknown_slot_deep_in_a_path_is_found_through_the_nested_classs_range(
        tmp_path: Path) -> None:
    text = refused(tmp_path, broken(lambda r: r["fields"][0].update(
        native="identifiers[identifierScheme=nprAreaManagerId].notaton")))
    assert "fields[0] (AreaManagerId)" in text
    assert "unknown slot 'notaton' of Identifier" in text


def test_a_filter_on_an_unknown_slot_or_value_is_refused(tmp_path: Path) -> None:
    text = refused(tmp_path, broken(lambda r: r["fields"][0].update(
        native="identifiers[identifierScheme=nprAreaManager].notation")))
    assert "'nprAreaManager' is not a value of IdentifierScheme" in text
    text = refused(tmp_path, broken(lambda r: r["fields"][0].update(
        native="identifiers[scheme=nprAreaManagerId].notation")))
    assert "unknown slot 'scheme' of Identifier" in text


def test_a_path_cannot_go_inside_a_reference_or_a_value(tmp_path: Path) -> None:
    raw = broken(lambda r: r.update(native="Zone"))
    raw["fields"] = [{"message": "AreaManagerDesc", "native": "areaManager.name"}]
    raw["not_mapped"] = []
    text = refused(tmp_path, raw)
    assert "slot 'areaManager' of Zone is a reference (an IRI) to Organisation" in text
    text = refused(tmp_path, broken(lambda r: r["fields"][1].update(native="name.text")))
    assert "slot 'name' of Organisation is a string value" in text


def test_selectors_need_a_multivalued_slot_and_a_multivalued_slot_needs_one(
        tmp_path: Path) -> None:
    text = refused(tmp_path, broken(lambda r: r["fields"][1].update(native="name[0]")))
    assert "slot 'name' of Organisation is single-valued" in text
    text = refused(tmp_path, broken(lambda r: r["fields"][0].update(
        native="identifiers.notation")))
    assert "slot 'identifiers' of Organisation is multivalued" in text


def test_an_unknown_converter_or_parameter_is_refused(tmp_path: Path) -> None:
    text = refused(tmp_path, broken(lambda r: r["fields"][0].update(convert="integer")))
    assert "fields[0] (AreaManagerId)" in text and "unknown converter 'integer'" in text
    text = refused(tmp_path, broken(lambda r: r["fields"][0].update(**{"with": {"digit": 4}})))
    assert "unknown parameter(s) digit of converter 'integer_text'" in text


def test_a_code_table_naming_a_value_outside_the_enumeration_is_refused(tmp_path: Path) -> None:
    raw = broken(lambda r: r["fields"].append(
        {"message": "Role", "native": "roles[0]", "convert": "code",
         "with": {"table": {"areaManager": "AM", "municipality": "GEM"}}}))
    text = refused(tmp_path, raw)
    assert "fields[2] (Role)" in text
    assert "'municipality' is not a value of OrganisationRole" in text


@pytest.mark.parametrize(("change", "expected"), [
    (lambda r: r["fields"][1].pop("native"), "needs both 'message' and 'native'"),
    (lambda r: r["fields"][1].update(direction="inward"), "direction 'inward'"),
    (lambda r: r["fields"][1].update(nativ="name"), "unknown key(s) nativ"),
    (lambda r: r["fields"][1].update(message="Area Manager Desc"), "message path"),
    (lambda r: r["fields"][1].update(native="identifiers[].notation"),
     "iterates 0 list(s) ([]) and the native path 1"),
    (lambda r: r["fields"][1].update(**{"with": {"digits": 4}}), "name the converter"),
    (lambda r: r["fields"].append({"native": "roles[0]", "value": "areaManager"}),
     "direction must be 'in'"),
    (lambda r: r["fields"].append({"native": "roles[0]", "value": "mayor", "direction": "in"}),
     "value 'mayor' is not a value of OrganisationRole"),
    (lambda r: r["fields"].append({"message": "AreaManagerDesc", "native": "homepage"}),
     "message field 'AreaManagerDesc' is already written by fields[1]"),
    (lambda r: r["not_mapped"].append({"message": "AreaManagerDesc", "kind": "left out",
                                       "reason": "x"}), "also mapped by a rule"),
    (lambda r: r["not_mapped"].append({"message": "PostalCode", "kind": "left out"}),
     "say why"),
    (lambda r: r["not_mapped"].append({"message": "PostalCode", "kind": "ignored",
                                       "reason": "x"}), "kind 'ignored'"),
    (lambda r: r.update(fields=[]), "non-empty list of rules"),
    (lambda r: r.update(tables={}), "unknown key(s) tables"),
    (lambda r: r.pop("standard"), "'standard' is required"),
])
def test_malformed_rules_are_refused(tmp_path: Path, change: Any, expected: str) -> None:
    assert expected in refused(tmp_path, broken(change))


def test_a_message_mapped_by_two_files_is_refused(tmp_path: Path) -> None:
    write(tmp_path, VALID, "a.yaml")
    second = write(tmp_path, VALID, "b.yaml")
    with pytest.raises(MappingError, match=r"already mapped by .*a\.yaml") as caught:
        load_registry(tmp_path)
    assert str(second) in str(caught.value)


def test_a_file_that_is_not_yaml_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "npr" / "area-manager.yaml"
    path.parent.mkdir()
    path.write_text("standard: [npr\n", encoding="utf-8")
    with pytest.raises(MappingError, match=r"area-manager\.yaml: not YAML"):
        load_registry(tmp_path)


def test_creating_the_app_loads_the_mappings_and_refuses_one_naming_an_unknown_slot(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The gateways' translators are checked when the app is made, not on the first APDS or NPR
    request: a typo in a mapping file stops start-up, naming the file and the slot."""
    from vptr import app as composition
    from vptr import paths as project_paths
    from vptr.settings import Settings

    mappings = tmp_path / "mappings"
    write(mappings, broken(lambda raw: raw["fields"][1].update(native="title")))
    monkeypatch.setattr(project_paths, "mappings_dir", lambda: mappings)
    registry.cache_clear()
    try:
        with pytest.raises(MappingError) as caught:
            composition.create_app(Settings(database_url=f"sqlite:///{tmp_path / 'r.sqlite'}"))
    finally:
        monkeypatch.undo()
        registry.cache_clear()  # the project's own mappings for the tests that follow
    assert "area-manager.yaml" in str(caught.value)
    assert "unknown slot 'title' of Organisation" in str(caught.value)
    assert not (tmp_path / "r.sqlite").exists()  # refused before the store was opened
