"""The HTML specification, an OSLO application profile page per language (index.html in Dutch,
index_en.html in English): well-formed, self-contained, with status, editors, conformance, the
publication paths, per class a table of properties (key, IRI, both labels, range, cardinality,
usage note), the code lists, the IRIs replaced since the previous version, and diagrams laid out
by D2."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from vptr.standard_build.diagram import d2_source, overview_source, packages
from vptr.standard_build.html import build_html, cardinality, publication_path
from vptr.standard_build.iri_mapping import load_previous

VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


class Page(HTMLParser):
    """Parses the page strictly: every element closed in order, and collects what the tests need."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str | None]] = []
        self.text: list[str] = []
        self.svg_text: list[str] = []
        self.doctype = ""
        self.feed(text)
        self.close()
        if self.stack:
            self.errors.append(f"not closed: {self.stack}")

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def _attributes(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            self.attributes.append((tag, name, value))
            if name == "id":
                self.ids.append(value or "")
            if name == "href":
                self.hrefs.append(value or "")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._attributes(tag, attrs)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._attributes(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if "svg" in self.stack:
            self.svg_text.append(data)

    @property
    def all_text(self) -> str:
        return " ".join(" ".join(self.text).split())


PAGES = {"nl": "index.html", "en": "index_en.html"}
HEADINGS = {
    "nl": ["Inhoud", "Samenvatting", "Conformiteit", "Overzicht", "Entiteiten", "Codelijsten",
           "Wijzigingen"],
    "en": ["Contents", "Abstract", "Conformance", "Overview", "Entities", "Code lists",
           "Changes"],
}


@pytest.fixture(scope="module")
def html_texts(fresh_dir: Path) -> dict[str, str]:
    return {lang: (fresh_dir / name).read_text(encoding="utf-8") for lang, name in PAGES.items()}


@pytest.fixture(scope="module")
def pages(html_texts: dict[str, str]) -> dict[str, Page]:
    return {lang: Page(text) for lang, text in html_texts.items()}


def words(text: str) -> str:
    return " ".join(text.split())


def h2_texts(text: str) -> list[str]:
    return [words(re.sub(r"<[^>]+>", "", h)) for h in re.findall(r"<h2[^>]*>(.*?)</h2>", text)]


@pytest.mark.parametrize("lang", PAGES)
def test_the_page_is_well_formed_html5_in_its_language(pages, html_texts, lang):
    page = pages[lang]
    assert page.doctype.lower() == "doctype html"
    assert page.errors == []
    assert page.tags[:1] == ["html"]
    assert f'<html lang="{lang}">' in html_texts[lang]


def test_the_strict_parser_does_catch_a_badly_nested_page():
    assert Page("<!DOCTYPE html><html><body><p><b>x</p></b></body></html>").errors


@pytest.mark.parametrize("lang", PAGES)
def test_ids_are_unique_and_every_internal_link_has_a_target(pages, lang):
    page = pages[lang]
    duplicates = sorted({i for i in page.ids if page.ids.count(i) > 1})
    assert duplicates == []
    targets = set(page.ids)
    broken = sorted(h for h in page.hrefs if h.startswith("#") and h[1:] not in targets)
    assert broken == []


@pytest.mark.parametrize("lang", PAGES)
def test_the_page_loads_nothing_from_elsewhere(pages, html_texts, lang):
    """No script, no external style sheet, font or image (links to IRIs are for the reader); the
    one <link> is an empty icon, so a browser does not ask the server for /favicon.ico."""
    page, text = pages[lang], html_texts[lang]
    assert "script" not in page.tags
    assert page.tags.count("link") == 1
    assert ("link", "href", "data:,") in page.attributes
    assert not [a for a in page.attributes if a[1] == "src" or a[1].startswith("on")]
    relative = [h for h in page.hrefs
                if not h.startswith(("#", "https://", "http://")) and h != "data:,"]
    assert sorted(set(relative) - {*PAGES.values(), *(a.value for a in _listed())}) == []
    assert "url(http" not in text and "@import" not in text


def _listed():
    from vptr.paths import ARTEFACTS

    return [artefact for artefact, info in ARTEFACTS.items() if info.listed]


@pytest.mark.parametrize("lang", PAGES)
def test_the_header_links_every_published_artefact_and_the_other_language(pages, fresh_dir, lang):
    published = sorted(
        p.name
        for p in fresh_dir.iterdir()
        if p.is_file() and p.name not in {*PAGES.values(), "__init__.py"}
    )
    assert published
    assert sorted(set(published) - set(pages[lang].hrefs)) == []
    other = PAGES["en" if lang == "nl" else "nl"]
    assert other in pages[lang].hrefs


@pytest.mark.parametrize("lang", PAGES)
def test_the_header_gives_status_versions_editors_and_publication_paths(
    pages, model, terms, lang
):
    text = pages[lang].all_text
    schema = model.view.schema
    assert words(model.annotation(schema, f"label_{lang}")) in text
    assert str(schema.version) in text
    status = model.annotation(schema, "oslo_status")
    assert status in text
    issued = model.annotation(schema, "issued")
    assert publication_path(terms, status, issued) in text
    assert "/doc/applicatieprofiel/parkeren-en-toegang/ontwerpstandaard/" in text
    previous = load_previous(model)
    assert previous is not None
    assert publication_path(terms, previous.status, previous.issued) in text
    assert words(model.annotation(schema, "editors")) in text
    # The editors are a placeholder until the working group names people, and the page says so.
    assert model.annotation(schema, "editors_named") == "no"
    assert {"nl": "Nog geen redacteurs bij naam: de werkgroep benoemt ze.",
            "en": "No editors by name yet: the working group names them."}[lang] in text
    assert words(model.annotation(schema, "working_group")) in text
    assert terms.namespace in text


@pytest.mark.parametrize("lang", PAGES)
def test_headings_are_in_the_page_language(html_texts, lang):
    """OSLO publishes one page per language: the Dutch page has Dutch headings, not the English
    technical names (and not both)."""
    assert h2_texts(html_texts[lang]) == HEADINGS[lang]


@pytest.mark.parametrize("lang", PAGES)
def test_every_class_and_property_shows_key_iri_and_both_labels(pages, terms, lang):
    page = pages[lang]
    text, hrefs = page.all_text, set(page.hrefs)
    missing = []
    for cls in terms.classes.values():
        definition = cls.labels.definition_nl if lang == "nl" else cls.labels.definition_en
        for needed in (cls.name, cls.labels.nl, cls.labels.en, definition):
            if words(needed) not in text:
                missing.append(f"{cls.name}: {needed}")
        if cls.iri not in hrefs:
            missing.append(f"{cls.name}: link to {cls.iri}")
        for prop in cls.properties:
            for needed in (prop.name, prop.labels.nl, prop.labels.en):
                if words(needed) not in text:
                    missing.append(f"{cls.name}.{prop.name}: {needed}")
            if prop.iri not in hrefs:
                missing.append(f"{cls.name}.{prop.name}: link to {prop.iri}")
    assert missing == []


def test_definitions_are_in_the_page_language_only(pages, terms):
    """A definition that differs between the languages shows on its own page only."""
    right = terms.classes["Right"].labels
    assert words(right.definition_nl) in pages["nl"].all_text
    assert words(right.definition_en) not in pages["nl"].all_text
    assert words(right.definition_en) in pages["en"].all_text
    assert words(right.definition_nl) not in pages["en"].all_text


@pytest.mark.parametrize("lang", PAGES)
def test_every_enumeration_and_value_is_documented_with_both_labels(pages, terms, lang):
    text = pages[lang].all_text
    missing = [
        f"{enum.name}.{value.text}: {needed}"
        for enum in terms.enums.values()
        for value in enum.values
        for needed in (value.text, value.iri, value.labels.nl, value.labels.en)
        if words(needed) not in text
    ]
    assert missing == []


@pytest.mark.parametrize("lang", PAGES)
def test_each_property_row_gives_cardinality_range_and_usage_note(html_texts, terms, lang):
    problems = []
    for cls in terms.classes.values():
        for prop in cls.properties:
            row = re.search(rf'<tr id="class-{cls.name}\.{prop.name}">(.*?)</tr>',
                            html_texts[lang], re.S)
            if row is None:
                problems.append(f"{cls.name}.{prop.name}: no row")
                continue
            if f">{cardinality(prop)}</td>" not in row.group(1):
                problems.append(f"{cls.name}.{prop.name}: cardinality")
            kind = {"class": "class", "enum": "enum"}.get(prop.range_kind)
            if kind and f'href="#{kind}-{prop.range_name}"' not in row.group(1):
                problems.append(f"{cls.name}.{prop.name}: range link")
            note = prop.labels.usage_nl if lang == "nl" else prop.labels.usage_en
            if note and words(note) not in words(html.unescape(row.group(1))):
                problems.append(f"{cls.name}.{prop.name}: usage note")
    assert problems == []
    assert any(p.labels.usage_nl for c in terms.classes.values() for p in c.properties)


def test_the_changes_list_every_replaced_iri(pages, model, terms):
    from vptr.standard_build.iri_mapping import replacements

    replaced = replacements(load_previous(model), terms)
    assert replaced
    text = pages["nl"].all_text
    assert f"{len(replaced)} IRI's van versie 0.1.0" in text
    assert "vptr:Right" in text and "vptr:Recht" in text
    # The keys a client sends changed once (issue 13), and the page says so and for how long the
    # old key is still read (vptr.validation.replaced.REPLACED_KEYS).
    assert "op hernoemde sleutels na (Whitelist.owner heet nu areaManager; " \
           "Regime.exemptPublicHolidays is nu een waarde van exemptDays)" in text
    assert "het register leest een oude sleutel nog als de nieuwe tot versie 2.0" in text
    assert "except renamed keys (Whitelist.owner is now areaManager; " \
           "Regime.exemptPublicHolidays is now a value of exemptDays)" in pages["en"].all_text


def test_cardinality_reads_min_dot_dot_max():
    from vptr.standard_build.terms import Labels, Property

    def prop(required: bool, multivalued: bool) -> Property:
        return Property(
            "p",
            "https://x.test/p",
            Labels("", "", "", ""),
            "datatype",
            "string",
            "",
            required,
            multivalued,
            False,
        )

    assert [
        cardinality(prop(True, False)),
        cardinality(prop(False, False)),
        cardinality(prop(True, True)),
        cardinality(prop(False, True)),
    ] == ["1..1", "0..1", "1..*", "0..*"]


@pytest.mark.parametrize("lang", PAGES)
def test_a_diagram_per_package_and_an_overview_all_inline_svg(pages, html_texts, terms, lang):
    """Every class is in its package's diagram under its label in the page's language; every key
    whose range is a class of the same package labels an arrow; the overview has every class that
    stands on its own."""
    page = pages[lang]
    assert page.tags.count("svg") >= len(packages(terms)) + 1
    svg_text = {words(t) for t in page.svg_text}
    labels = {name.strip() for t in svg_text for name in t.split(",")}
    missing = []
    for package in packages(terms):
        own = {c.name for c in package.classes}
        for cls in package.classes:
            if (cls.labels.nl if lang == "nl" else cls.labels.en) not in svg_text:
                missing.append(cls.name)
            for prop in cls.properties:
                inside = prop.range_kind == "class" and prop.range_name in own
                if inside and prop.name not in labels:
                    missing.append(f"{cls.name}.{prop.name}")
    assert missing == []
    assert 'id="package-overview"' in html_texts[lang]


def test_diagram_sources_name_keys_ranges_and_cardinalities(terms):
    zone = next(p for p in packages(terms) if p.file == "zone.yaml")
    source = d2_source(zone, terms, "nl")
    assert '"zoneKind": "zonetype" {constraint: "1..1"}' in source
    assert 'Zone -> Zone: "parentZones" {style.stroke-dash: 4}' in source
    overview = overview_source(terms, "en")
    assert 'Right -> Zone: "zone" {style.stroke-dash: 4}' in overview
    assert "Period" not in overview  # only the classes that stand on their own
    # A long label goes onto two lines, so its box is no wider than the others.
    assert 'WhitelistEntry: "Vermelding op\\nwitte lijst"' in overview_source(terms, "nl")


def test_the_page_is_the_same_for_the_same_model(model, terms):
    previous = load_previous(model)
    assert build_html(model, terms, previous, "nl") == build_html(model, terms, previous, "nl")


def test_text_from_the_model_is_escaped(model, terms):
    import copy

    from vptr.standard_build.terms import Labels

    changed = copy.deepcopy(terms)
    cls = next(iter(changed.classes.values()))
    cls.labels = Labels('<script>alert("x")</script>', "A & B", "d < e", "f > g")
    text = build_html(model, changed, None, "nl")
    assert "<script>" not in text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in text
    assert Page(text).errors == []
