"""The model's conventions (docs/model-editing.md), and how a model that breaks them is refused.

Every class, slot, enumeration and value has a description (the English definition) and the
annotations label_en, label_nl and definition_nl; classes and enumerations are UpperCamelCase, slots
and values lowerCamelCase; code-list values have a concept IRI in one scheme of their own. A model
that breaks a rule is refused with a ModelError that names the file and the element, and `vptr
generate` then leaves the generated folder exactly as it was.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from rdflib import RDFS, SH, Graph, Literal, URIRef
from typer.testing import CliRunner

from vptr.cli import app
from vptr.standard_build.errors import ModelError
from vptr.standard_build.model_loader import LoadedModel, load_model
from vptr.standard_build.namespaces import CONCEPT_BASE
from vptr.standard_build.pipeline import generate

UPPER_CAMEL = re.compile(r"^[A-Z][A-Za-z0-9]*$")
LOWER_CAMEL = re.compile(r"^[a-z][A-Za-z0-9]*$")
TEXTS = ("label_en", "label_nl", "definition_nl")


def own(model: LoadedModel, elements: dict) -> dict:
    """The elements written in the model's own files (not the imported linkml:types)."""
    return {name: e for name, e in elements.items() if str(e.from_schema) in model.files}


def missing_texts(model: LoadedModel, element) -> list[str]:
    missing = [key for key in TEXTS if not (model.annotation(element, key) or "").strip()]
    if not str(element.description or "").strip():
        missing.append("description")
    return missing


# -- the model in model/ meets the conventions -----------------------------------------------------


def test_every_class_has_both_labels_and_both_definitions(model):
    problems = {
        name: missing_texts(model, cls)
        for name, cls in own(model, model.view.all_classes()).items()
    }
    assert not {k: v for k, v in problems.items() if v}


def test_every_slot_has_both_labels_and_both_definitions(model):
    problems = {
        name: missing_texts(model, slot)
        for name, slot in own(model, model.view.all_slots()).items()
    }
    assert not {k: v for k, v in problems.items() if v}


def test_every_enumeration_and_value_has_both_labels_and_both_definitions(model):
    problems = {}
    for name, enum in own(model, model.view.all_enums()).items():
        problems[name] = missing_texts(model, enum)
        for text, value in enum.permissible_values.items():
            problems[f"{name}.{text}"] = missing_texts(model, value)
    assert not {k: v for k, v in problems.items() if v}


def test_class_and_enumeration_names_are_upper_camel_case(model):
    names = list(own(model, model.view.all_classes())) + list(own(model, model.view.all_enums()))
    assert names
    assert [n for n in names if not UPPER_CAMEL.match(n)] == []


def test_slot_and_value_names_are_lower_camel_case(model):
    names = list(own(model, model.view.all_slots()))
    for enum in own(model, model.view.all_enums()).values():
        names += list(enum.permissible_values)
    assert names
    assert [n for n in names if not LOWER_CAMEL.match(n)] == []


def test_every_class_has_its_own_iri_and_a_slot_iri_of_ours_is_one_term(model):
    """Two classes never share an IRI. Two slots share an IRI of our namespace only as one term
    under two keys (``vehicle`` with one vehicle, ``vehicles`` with several: vptr:voertuig),
    with the same labels, definitions and range; reused IRIs may back several keys
    (``rightStatus`` and ``permitStatus`` are both adms:status)."""
    view = model.view
    class_iris = [view.expand_curie(c.class_uri) for c in own(model, view.all_classes()).values()]
    assert all(iri.startswith(("http://", "https://")) for iri in class_iris)
    assert len(set(class_iris)) == len(class_iris), "two classes share an IRI"
    by_iri: dict[str, list[str]] = {}
    for name, slot in own(model, view.all_slots()).items():
        if not slot.identifier:
            by_iri.setdefault(view.expand_curie(slot.slot_uri), []).append(name)
    shared = {iri: names for iri, names in by_iri.items()
              if len(names) > 1 and iri.startswith(model.namespace)}
    assert shared == {model.namespace + "voertuig": ["vehicle", "vehicles"]}


def test_own_terms_are_named_from_their_dutch_label(terms):
    """OSLO's rule: classes UpperCamelCase, properties lowerCamelCase, from the Dutch label."""
    from vptr.standard_build.naming import lower_camel, upper_camel

    ns = terms.namespace
    wrong = [c.name for c in terms.classes.values()
             if c.iri.startswith(ns) and c.iri != ns + upper_camel(c.labels.nl)]
    wrong += [name for name, iri in terms.slot_iris.items()
              if iri.startswith(ns) and iri != ns + lower_camel(terms.slot_labels[name].nl)]
    assert wrong == []
    assert terms.classes["Right"].iri == ns + "Recht"
    assert terms.classes["WhitelistEntry"].iri == ns + "VermeldingOpWitteLijst"
    assert terms.slot_iris["amountPaid"] == ns + "betaaldBedrag"


def test_the_naming_rule_drops_accents_apostrophes_and_punctuation():
    from vptr.standard_build.naming import lower_camel, upper_camel

    assert upper_camel("Vermelding op witte lijst") == "VermeldingOpWitteLijst"
    assert lower_camel("btw-bedrag") == "btwBedrag"
    assert lower_camel("beëindigd") == "beeindigd"
    assert lower_camel("taxi's") == "taxis"
    assert lower_camel("NPR-gebiedscode") == "nprGebiedscode"
    assert lower_camel("laad- en loszone") == "laadEnLoszone"


def test_code_list_values_are_concepts_named_from_dutch_labels_or_all_reused(terms):
    """A value of this standard is https://data.vlaanderen.be/id/concept/{Scheme}/{value}, one
    scheme per enumeration, both named from the Dutch labels (``Gebruiksdoel/betaalparkeren``);
    the short name in the JSON stays the model's (``paidParking``). An enumeration of reused terms
    (schema:Monday) has none of ours."""
    from vptr.standard_build.naming import lower_camel, upper_camel

    for enum in terms.enums.values():
        ours = [v for v in enum.values if v.iri.startswith(CONCEPT_BASE)]
        if not ours:
            continue
        assert len(ours) == len(enum.values), f"{enum.name} mixes own and reused values"
        assert enum.scheme_name == upper_camel(enum.labels.nl), enum.name
        for value in enum.values:
            expected = f"{CONCEPT_BASE}{enum.scheme_name}/{lower_camel(value.labels.nl)}"
            assert value.iri == expected, value.iri
    paid = next(v for v in terms.enums["Usage"].values if v.text == "paidParking")
    assert paid.iri == CONCEPT_BASE + "Gebruiksdoel/betaalparkeren"


# -- a broken copy of the model is refused, naming the file and the element ------------------------


def refusal(folder: Path) -> list[str]:
    with pytest.raises(ModelError) as caught:
        load_model(folder / "vptr.yaml")
    return [str(problem) for problem in caught.value.problems]


def named(problems: list[str], file: str, element: str, words: str) -> bool:
    return any(p.startswith(f"{file}: {element}: ") and words in p for p in problems)


def test_a_slot_without_a_dutch_label_is_refused(model_copy):
    folder = model_copy(
        {"common.yaml": lambda d: d["slots"]["name"]["annotations"].pop("label_nl")}
    )
    problems = refusal(folder)
    assert named(problems, "common.yaml", "name", "label_nl is missing"), problems


def test_a_class_without_a_description_is_refused(model_copy):
    folder = model_copy({"zone.yaml": lambda d: d["classes"]["Zone"].pop("description")})
    problems = refusal(folder)
    assert named(problems, "zone.yaml", "Zone", "description is missing"), problems


def test_a_placeholder_label_is_refused(model_copy):
    def edit(d):
        d["enums"]["ZoneKind"]["permissible_values"]["blueZone"]["annotations"]["label_en"] = (
            "EnterYourTranslationHere"
        )

    problems = refusal(model_copy({"zone.yaml": edit}))
    assert named(problems, "zone.yaml", "ZoneKind.blueZone", "placeholder"), problems


def test_a_range_that_names_nothing_is_refused(model_copy):
    folder = model_copy({"zone.yaml": lambda d: d["slots"]["capacity"].update(range="Nothing")})
    problems = refusal(folder)
    assert named(problems, "zone.yaml", "capacity", "'Nothing' names no class, enum or type"), (
        problems
    )


def test_a_yaml_syntax_error_is_refused_with_its_line(model_copy):
    folder = model_copy()
    path = folder / "zone.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\nslots: [unclosed\n", encoding="utf-8")
    problems = refusal(folder)
    assert any(p.startswith("zone.yaml: line ") and "not valid YAML" in p for p in problems), (
        problems
    )


def test_a_value_without_a_concept_iri_is_refused(model_copy):
    folder = model_copy(
        {
            "zone.yaml": lambda d: d["enums"]["ZoneKind"]["permissible_values"]["blueZone"].pop(
                "meaning"
            )
        }
    )
    problems = refusal(folder)
    assert named(problems, "zone.yaml", "ZoneKind.blueZone", "meaning is missing"), problems


def test_names_in_the_wrong_case_are_refused(model_copy, labelled):
    def edit(d):
        d["classes"]["tariffZone"] = labelled(class_uri="vptr:TariffZone", slots=["name"])
        d["slots"]["ZoneColour"] = labelled(slot_uri="vptr:zoneColour")

    problems = refusal(model_copy({"zone.yaml": edit}))
    assert named(problems, "zone.yaml", "tariffZone", "UpperCamelCase"), problems
    assert named(problems, "zone.yaml", "ZoneColour", "lowerCamelCase"), problems


def test_two_slots_on_one_iri_are_refused_unless_they_are_one_term(model_copy):
    folder = model_copy(
        {"zone.yaml": lambda d: d["slots"]["capacity"].update(slot_uri="vptr:zonetype")}
    )
    problems = refusal(folder)
    assert named(problems, "zone.yaml", "capacity", "shares its IRI with zoneKind"), problems


def test_an_iri_not_named_from_the_dutch_label_is_refused_with_the_right_name(model_copy):
    folder = model_copy(
        {"zone.yaml": lambda d: d["slots"]["capacity"].update(slot_uri="vptr:capacity")}
    )
    problems = refusal(folder)
    assert named(problems, "zone.yaml", "capacity", "OSLO names it "
                 "https://data.vlaanderen.be/ns/parkeren-en-toegang#capaciteit"), problems


def test_a_concept_not_named_from_the_dutch_labels_is_refused(model_copy):
    def edit(d):
        d["enums"]["ZoneKind"]["permissible_values"]["blueZone"]["meaning"] = (
            "concept:Zonetype/blueZone")

    problems = refusal(model_copy({"zone.yaml": edit}))
    assert named(problems, "zone.yaml", "ZoneKind.blueZone", "Zonetype/blauweZone"), problems


def test_one_class_cannot_hold_one_iri_under_two_keys(model_copy):
    problems = refusal(model_copy(
        {"permit.yaml": lambda d: d["classes"]["Permit"]["slots"].append("vehicle")}))
    assert named(problems, "permit.yaml", "Permit.vehicle", "has the IRI of Permit.vehicles"), (
        problems)


def test_a_class_naming_an_unknown_slot_is_refused_naming_the_class(model_copy):
    folder = model_copy(
        {"zone.yaml": lambda d: d["classes"]["Zone"]["slots"].append("nothingHere")}
    )
    problems = refusal(folder)
    assert named(problems, "zone.yaml", "Zone.nothingHere", "names no slot"), problems


def test_a_slot_usage_range_that_names_nothing_is_refused(model_copy):
    folder = model_copy(
        {
            "zone.yaml": lambda d: d["classes"]["Zone"]["slot_usage"].update(
                capacity={"range": "Nothing"}
            )
        }
    )
    problems = refusal(folder)
    assert any("Zone" in p and "Nothing" in p for p in problems), problems


def test_a_placeholder_iri_is_refused(model_copy):
    folder = model_copy(
        {"zone.yaml": lambda d: d["classes"]["Zone"].update(class_uri="http://todo.com/Zone")}
    )
    problems = refusal(folder)
    assert named(problems, "zone.yaml", "Zone", "class_uri"), problems


# -- a broken model writes nothing -----------------------------------------------------------------


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_generate_with_a_broken_model_leaves_the_output_folder_byte_for_byte_unchanged(
    model_copy, committed_dir, shapes_dir, tmp_path
):
    out = tmp_path / "out" / "standard"
    shutil.copytree(committed_dir, out)
    before = snapshot(out)
    broken = model_copy({"zone.yaml": lambda d: d["slots"]["capacity"].update(range="Nothing")})

    with pytest.raises(ModelError):
        generate(broken / "vptr.yaml", shapes_dir, out)

    assert snapshot(out) == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["standard"], (
        "left a staging folder behind"
    )


def test_the_generate_command_reports_a_broken_model_and_exits_1(model_copy, shapes_dir, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("untouched", encoding="utf-8")
    broken = model_copy(
        {"common.yaml": lambda d: d["slots"]["name"]["annotations"].pop("label_nl")}
    )

    result = CliRunner().invoke(
        app,
        [
            "generate",
            "--model",
            str(broken / "vptr.yaml"),
            "--shapes",
            str(shapes_dir),
            "--out",
            str(out),
        ],
    )

    assert result.exit_code == 1
    assert "common.yaml: name: label_nl is missing" in result.output
    assert snapshot(out) == {"keep.txt": b"untouched"}


def test_no_definition_says_the_thing(terms):
    """A definition names what it defines ("the zone, regime or permit"), never "the thing / het
    ding", which told a reader nothing in 35 of 0.1's property definitions."""
    vague = re.compile(r"\b(thing|things|ding|dingen)\b", re.IGNORECASE)
    found = [
        f"{cls.name}.{prop.name}"
        for cls in terms.classes.values()
        for prop in cls.properties
        if vague.search(prop.labels.definition_en) or vague.search(prop.labels.definition_nl)
    ]
    found += [name for name, labels in terms.slot_labels.items()
              if vague.search(labels.definition_en) or vague.search(labels.definition_nl)]
    assert found == []


# -- the hand-written shapes' words ----------------------------------------------------------------

#: The texts of shapes/ a reader sees: a refusal's message, a shape's description, name and label.
SHAPE_TEXTS = (SH.message, SH.description, SH.name, RDFS.label, RDFS.comment)
#: The comparisons of two properties in SHACL Core.
COMPARISONS = (SH.lessThan, SH.lessThanOrEquals, SH.equals, SH.disjoint)


@pytest.fixture(scope="module")
def shapes_graph(shapes_dir: Path) -> Graph:
    graph = Graph()
    for path in sorted(shapes_dir.glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


def shape_texts(graph: Graph) -> list[tuple[str, Literal]]:
    """(shape, text) for every text of ``SHAPE_TEXTS``, in whatever node of a shape it is."""
    return sorted((graph.namespace_manager.normalizeUri(s) if isinstance(s, URIRef) else "[]", o)
                  for p in SHAPE_TEXTS for s, o in graph.subject_objects(p)
                  if isinstance(o, Literal))


def test_no_text_of_the_hand_written_shapes_says_the_thing(shapes_graph):
    """The refusals a provider reads (sh:message) and the shapes' descriptions follow the model's
    rule: they name what they speak of."""
    texts = shape_texts(shapes_graph)
    assert len([t for t in texts if t[1].language == "nl"]) > 10  # the shapes' texts were read
    vague = re.compile(r"\b(thing|things|ding|dingen)\b", re.IGNORECASE)
    assert [f"{shape}: {text}" for shape, text in texts if vague.search(text)] == []


def _one_edit_apart(a: str, b: str) -> bool:
    """Whether ``a`` becomes ``b`` by inserting, deleting or changing one letter."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), len(a))
    return a[i + (len(a) == len(b)):] == b[i + 1:]


def test_a_shape_comparing_two_properties_names_both_by_their_labels(shapes_graph, terms):
    """A shape that compares two properties (the start of a tariff step before its end) names
    them in its message by their labels in each language, and no word of its texts is one letter
    off a label ("einduur" for the label "eindduur", which 1.0's first shapes said)."""
    labels = {prop.iri: prop.labels for cls in terms.classes.values()
              for prop in cls.properties}
    problems, compared = [], 0
    for comparison in COMPARISONS:
        for shape, other in shapes_graph.subject_objects(comparison):
            path = shapes_graph.value(shape, SH.path)
            if str(path) not in labels or str(other) not in labels:
                continue
            compared += 1
            name = shapes_graph.namespace_manager.normalizeUri(shape)
            for lang in ("nl", "en"):
                wanted = [getattr(labels[str(iri)], lang) for iri in (path, other)]
                for message in shapes_graph.objects(shape, SH.message):
                    if message.language == lang:
                        problems += [f"{name} ({lang}): the message does not name {w!r}"
                                     for w in wanted if w.lower() not in message.lower()]
                for text in (t for p in SHAPE_TEXTS for t in shapes_graph.objects(shape, p)):
                    if text.language != lang:
                        continue
                    problems += [f"{name} ({lang}): {word!r} is one letter off {w!r}"
                                 for word in re.findall(r"\w+", text.lower()) for w in wanted
                                 if " " not in w and _one_edit_apart(word, w.lower())]
    assert compared >= 2  # the period and the tariff step
    assert problems == []


def test_one_letter_off_is_one_letter_off():
    assert _one_edit_apart("einduur", "eindduur")
    assert _one_edit_apart("eindduur", "einduur")
    assert _one_edit_apart("beginduur", "beginuur")
    assert _one_edit_apart("eindtijd", "eindtijf")
    assert not _one_edit_apart("eindduur", "eindduur")
    assert not _one_edit_apart("eindduur", "beginduur")
