"""The HTML specification (index.html): one self-contained, well-formed page that documents every
class, property, enumeration and value of the model in Dutch and English, with a diagram."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from vptr.standard_build.html import build_html, cardinality, er_diagram

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


@pytest.fixture(scope="module")
def html_text(fresh_dir: Path) -> str:
    return (fresh_dir / "index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def page(html_text: str) -> Page:
    return Page(html_text)


def words(text: str) -> str:
    return " ".join(text.split())


def test_the_page_is_well_formed_html5(page):
    assert page.doctype.lower() == "doctype html"
    assert page.errors == []
    assert page.tags[:1] == ["html"]


def test_the_strict_parser_does_catch_a_badly_nested_page():
    assert Page("<!DOCTYPE html><html><body><p><b>x</p></b></body></html>").errors


def test_ids_are_unique_and_every_internal_link_has_a_target(page):
    duplicates = sorted({i for i in page.ids if page.ids.count(i) > 1})
    assert duplicates == []
    targets = set(page.ids)
    broken = sorted(h for h in page.hrefs if h.startswith("#") and h[1:] not in targets)
    assert broken == []


def test_the_page_needs_nothing_from_elsewhere(page, html_text):
    """No script, no external style sheet, font or image: links go to sections or to the artefacts
    published next to the page."""
    assert "script" not in page.tags
    assert "link" not in page.tags
    assert not [a for a in page.attributes if a[1] == "src" or a[1].startswith("on")]
    external = [h for h in page.hrefs if not h.startswith("#") and ("/" in h or ":" in h)]
    assert external == []
    assert "url(http" not in html_text and "@import" not in html_text


def test_the_header_links_every_published_artefact(page, fresh_dir):
    published = sorted(
        p.name
        for p in fresh_dir.iterdir()
        if p.is_file() and p.name not in {"index.html", "__init__.py"}
    )
    assert published
    assert sorted(set(published) - set(page.hrefs)) == []


def test_the_header_gives_title_version_status_and_namespace(page, model, terms):
    text = page.all_text
    schema = model.view.schema
    assert words(model.annotation(schema, "label_nl")) in text
    assert words(model.annotation(schema, "label_en")) in text
    assert str(schema.version) in text
    assert model.annotation(schema, "oslo_status") in text
    assert terms.namespace in text


def test_every_class_and_property_is_documented_with_both_labels(page, terms):
    text = page.all_text
    missing = []
    for cls in terms.classes.values():
        for needed in (
            cls.name,
            cls.iri,
            cls.labels.nl,
            cls.labels.en,
            cls.labels.definition_nl,
            cls.labels.definition_en,
        ):
            if words(needed) not in text:
                missing.append(f"{cls.name}: {needed}")
        for prop in cls.properties:
            for needed in (prop.name, prop.iri, prop.labels.nl, prop.labels.en):
                if words(needed) not in text:
                    missing.append(f"{cls.name}.{prop.name}: {needed}")
    assert missing == []


def test_every_enumeration_and_value_is_documented_with_both_labels(page, terms):
    text = page.all_text
    missing = [
        f"{enum.name}.{value.text}: {needed}"
        for enum in terms.enums.values()
        for value in enum.values
        for needed in (enum.name, value.text, value.iri, value.labels.nl, value.labels.en)
        if words(needed) not in text
    ]
    assert missing == []


def test_each_property_row_gives_its_cardinality_and_links_its_range(html_text, terms):
    problems = []
    for cls in terms.classes.values():
        for prop in cls.properties:
            row = re.search(rf'<tr id="class-{cls.name}\.{prop.name}">(.*?)</tr>', html_text, re.S)
            if row is None:
                problems.append(f"{cls.name}.{prop.name}: no row")
                continue
            if f"<td>{cardinality(prop)}</td>" not in row.group(1):
                problems.append(f"{cls.name}.{prop.name}: cardinality")
            kind = {"class": "class", "enum": "enum"}.get(prop.range_kind)
            if kind and f'href="#{kind}-{prop.range_name}"' not in row.group(1):
                problems.append(f"{cls.name}.{prop.name}: range link")
    assert problems == []


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


def test_the_diagram_is_inline_svg_with_a_box_per_class_and_a_labelled_line_per_reference(
    page, terms
):
    assert "svg" in page.tags
    svg_text = set(page.svg_text)
    assert sorted(name for name in terms.classes if name not in svg_text) == []
    referring = {
        p.name for c in terms.classes.values() for p in c.properties if p.range_kind == "class"
    }
    labels = {name.strip() for text in page.svg_text for name in text.split(",")}
    assert sorted(referring - labels) == []


def test_the_page_is_the_same_for_the_same_model(model, terms):
    assert build_html(model, terms) == build_html(model, terms)
    assert er_diagram(terms) == er_diagram(terms)


def test_text_from_the_model_is_escaped(model, terms):
    import copy

    from vptr.standard_build.terms import Labels

    changed = copy.deepcopy(terms)
    cls = next(iter(changed.classes.values()))
    cls.labels = Labels('<script>alert("x")</script>', "A & B", "d < e", "f > g")
    text = build_html(model, changed)
    assert "<script>" not in text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in text
    assert Page(text).errors == []
