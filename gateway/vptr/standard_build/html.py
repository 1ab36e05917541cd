"""The HTML specification: one self-contained page describing the standard in Dutch and English.

Built from the model's ``Terms`` (the same ones the vocabulary, context and shapes come from), so
the page cannot describe a property the artefacts do not have. The page has a header (titles,
version, OSLO status, namespace, links to the artefacts next to it), a table of contents, a section
per class with a table of its properties, a section per enumeration with its values, and an
entity-relationship diagram drawn here as inline SVG.

Everything is escaped, nothing is loaded from elsewhere (no script, no external style sheet, no
font, no image) and the output depends only on the model: the same model gives the same bytes.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass, field

from .model_loader import LoadedModel
from .terms import Enumeration, Labels, ModelClass, Property, Terms

#: The files `vptr generate` writes next to index.html, in the order the header lists them.
ARTEFACTS: tuple[tuple[str, str, str], ...] = (
    ("vocabulary.ttl", "Vocabularium (Turtle)", "Vocabulary (Turtle)"),
    ("vocabulary.jsonld", "Vocabularium (JSON-LD)", "Vocabulary (JSON-LD)"),
    ("codelists.ttl", "Codelijsten (SKOS)", "Code lists (SKOS)"),
    ("application-profile.ttl", "Applicatieprofiel (SHACL)", "Application profile (SHACL)"),
    ("shacl-generated.ttl", "Gegenereerde SHACL-vormen", "Generated SHACL shapes"),
    ("context.jsonld", "JSON-LD-context", "JSON-LD context"),
    ("schema.json", "JSON Schema", "JSON Schema"),
    ("datamodel.py", "Pydantic-datamodel", "Pydantic data model"),
    ("model-index.json", "Modelindex", "Model index"),
)

#: OSLO's standard statuses (https://data.vlaanderen.be/id/concept/StandaardStatus/...).
STATUS_LABELS = {
    "OntwerpStandaard": ("Ontwerpstandaard", "Draft standard"),
    "KandidaatStandaard": ("Kandidaat-standaard", "Candidate standard"),
    "ErkendeStandaard": ("Erkende standaard", "Recognised standard"),
}

CSS = """
body{font-family:system-ui,sans-serif;line-height:1.45;margin:0 auto;max-width:80rem;
  padding:1rem 2rem;color:#1a1a1a}
h1{margin-bottom:0}h2{border-bottom:2px solid #ffe615;padding-bottom:.2rem;margin-top:2.5rem}
h3{margin-top:2rem}.en{color:#555}.sub{margin-top:.2rem;font-size:1.2rem}
dl.meta{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}
dl.meta dt{font-weight:600}
dl.meta dd{margin:0}code{font-size:.9em;word-break:break-all}
.scroll{overflow-x:auto}table{border-collapse:collapse;font-size:.85rem;margin:.5rem 0;width:100%}
th,td{border:1px solid #ccc;padding:.25rem .4rem;text-align:left;vertical-align:top}
th{background:#f3f3f3}.tag{font-size:.75rem;background:#eee;border-radius:.3rem;padding:0 .3rem}
figure{margin:1rem 0}figure .scroll{max-height:90vh;overflow:auto;border:1px solid #ddd}
""".strip()

esc = html.escape


def _text(text: str | None) -> str:
    return esc(text or "")


def _curie(iri: str, prefixes: dict[str, str]) -> str:
    """The prefixed name of an IRI under the longest matching namespace, or the IRI itself."""
    best, best_ns = "", ""
    for prefix, ns in sorted(prefixes.items()):
        if ns and iri.startswith(ns) and len(ns) > len(best_ns) and iri != ns:
            best, best_ns = prefix, ns
    return f"{best}:{iri[len(best_ns) :]}" if best else iri


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def cardinality(prop: Property) -> str:
    """``1..1``, ``0..1``, ``1..*`` or ``0..*``."""
    return f"{1 if prop.required else 0}..{'*' if prop.multivalued else 1}"


def _anchor(kind: str, name: str) -> str:
    return f"{kind}-{name}"


# --------------------------------------------------------------------------------------------------
# The page


def build_html(model: LoadedModel, terms: Terms) -> str:
    schema = model.view.schema
    title_nl = model.annotation(schema, "label_nl") or str(schema.title or schema.name)
    title_en = model.annotation(schema, "label_en") or title_nl
    parts: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="nl">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_text(title_nl)} / {_text(title_en)} {_text(str(schema.version or ''))}</title>",
        f"<style>\n{CSS}\n</style>",
        "</head>",
        "<body>",
    ]
    parts += _header(model, terms, title_nl, title_en)
    parts += _toc(terms)
    parts += ["<main>", '<h2 id="classes">Klassen <span class="en" lang="en">/ Classes</span></h2>']
    used_by = _used_by(terms)
    for cls in terms.classes.values():
        parts += _class_section(cls, terms, used_by)
    parts.append(
        '<h2 id="enumerations">Codelijsten <span class="en" lang="en">/ Enumerations</span></h2>'
    )
    for enum in terms.enums.values():
        parts += _enum_section(enum, terms, used_by)
    parts.append(
        '<h2 id="diagram">Diagram <span class="en" lang="en">/ Entity-relationship diagram</span>'
        "</h2>"
    )
    parts += [
        "<figure>",
        '<div class="scroll">',
        er_diagram(terms),
        "</div>",
        "<figcaption>Volle lijn: ingebed object; streepjeslijn: verwijzing (IRI). "
        '<span class="en" lang="en">Solid line: embedded (inlined) object; dashed line: reference '
        "(IRI).</span></figcaption>",
        "</figure>",
        "</main>",
        "<footer><p>Gegenereerd door <code>vptr generate</code> uit het LinkML-model; niet met de "
        'hand bewerken. <span class="en" lang="en">Generated by <code>vptr generate</code> '
        "from the LinkML model; do not edit by hand.</span></p></footer>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(parts)


def _header(model: LoadedModel, terms: Terms, title_nl: str, title_en: str) -> list[str]:
    schema = model.view.schema
    status_iri = model.annotation(schema, "oslo_status") or ""
    status_nl, status_en = STATUS_LABELS.get(
        status_iri.rsplit("/", 1)[-1], (status_iri, status_iri)
    )
    about_nl = model.annotation(schema, "definition_nl") or ""
    about_en = str(schema.description or "")
    rows = [
        ("Versie", "Version", f"<code>{_text(str(schema.version or ''))}</code>"),
        (
            "Status",
            "Status",
            f'{_text(status_nl)} <span class="en" lang="en">/ {_text(status_en)}</span> '
            f"(<code>{_text(status_iri)}</code>)",
        ),
        ("Uitgegeven", "Issued", _text(model.annotation(schema, "issued"))),
        (
            "Naamruimte",
            "Namespace",
            f"<code>{_text(terms.namespace)}</code> "
            f"(prefix <code>{_text(str(schema.default_prefix))}</code>)",
        ),
        ("Licentie", "Licence", f"<code>{_text(str(schema.license or ''))}</code>"),
    ]
    out = [
        "<header>",
        f'<h1 lang="nl">{_text(title_nl)}</h1>',
        f'<p class="sub en" lang="en">{_text(title_en)}</p>',
        f'<p lang="nl">{_text(about_nl)}</p>',
        f'<p class="en" lang="en">{_text(about_en)}</p>',
        '<dl class="meta">',
    ]
    for nl, en, value in rows:
        out.append(
            f'<dt>{esc(nl)} <span class="en" lang="en">/ {esc(en)}</span></dt><dd>{value}</dd>'
        )
    out.append('<dt>Artefacten <span class="en" lang="en">/ Artefacts</span></dt><dd><ul>')
    for file_name, nl, en in ARTEFACTS:
        out.append(
            f'<li><a href="{esc(file_name)}"><code>{esc(file_name)}</code></a>: {esc(nl)} '
            f'<span class="en" lang="en">/ {esc(en)}</span></li>'
        )
    out += ["</ul></dd>", "</dl>", "</header>"]
    return out


def _toc(terms: Terms) -> list[str]:
    out = [
        '<nav aria-label="Inhoud">',
        '<h2 id="toc">Inhoud <span class="en" lang="en">/ Contents</span></h2>',
        "<ol>",
        '<li><a href="#classes">Klassen / Classes</a><ol>',
    ]
    for cls in terms.classes.values():
        out.append(
            f'<li><a href="#{_anchor("class", cls.name)}">{esc(cls.name)}</a> '
            f'({_text(cls.labels.nl)} / <span lang="en">{_text(cls.labels.en)}</span>)</li>'
        )
    out.append('</ol></li><li><a href="#enumerations">Codelijsten / Enumerations</a><ol>')
    for enum in terms.enums.values():
        out.append(
            f'<li><a href="#{_anchor("enum", enum.name)}">{esc(enum.name)}</a> '
            f'({_text(enum.labels.nl)} / <span lang="en">{_text(enum.labels.en)}</span>)</li>'
        )
    out += ["</ol></li>", '<li><a href="#diagram">Diagram</a></li>', "</ol>", "</nav>"]
    return out


def _labels_list(
    iri: str | None, labels: Labels, terms: Terms, extra: Iterable[tuple[str, str, str]] = ()
) -> list[str]:
    out = ['<dl class="meta">']
    if iri is not None:
        reused = (
            ""
            if iri.startswith(terms.namespace)
            else (' <span class="tag">hergebruikt <span lang="en">/ reused</span></span>')
        )
        out.append(f"<dt>IRI</dt><dd><code>{_text(iri)}</code>{reused}</dd>")
    out += [
        f'<dt>Label (nl)</dt><dd lang="nl">{_text(labels.nl)}</dd>',
        f'<dt>Label (en)</dt><dd lang="en">{_text(labels.en)}</dd>',
        f'<dt>Definitie (nl)</dt><dd lang="nl">{_text(labels.definition_nl)}</dd>',
        f'<dt>Definition (en)</dt><dd lang="en">{_text(labels.definition_en)}</dd>',
    ]
    for nl, en, value in extra:
        out.append(
            f'<dt>{esc(nl)} <span class="en" lang="en">/ {esc(en)}</span></dt><dd>{value}</dd>'
        )
    out.append("</dl>")
    return out


def _used_by(terms: Terms) -> dict[str, list[str]]:
    """For each class and enumeration: the ``Class.property`` names whose range it is."""
    used: dict[str, list[str]] = {}
    for cls in terms.classes.values():
        for prop in cls.properties:
            if prop.range_kind in {"class", "enum"}:
                used.setdefault(prop.range_name, []).append(
                    f'<a href="#{_anchor("class", cls.name)}">{esc(cls.name)}</a>.{esc(prop.name)}'
                )
    return used


def _range_cell(prop: Property, terms: Terms) -> str:
    if prop.range_kind == "class":
        how = "ingebed / inlined" if prop.inlined else "verwijzing / reference"
        return (
            f'<a href="#{_anchor("class", prop.range_name)}">{esc(prop.range_name)}</a> '
            f'<span class="tag">{how}</span>'
        )
    if prop.range_kind == "enum":
        return f'<a href="#{_anchor("enum", prop.range_name)}">{esc(prop.range_name)}</a>'
    if prop.range_kind == "iri":
        return f"IRI (<code>{esc(prop.range_name)}</code>)"
    return f"{esc(prop.range_name)} (<code>{esc(_curie(prop.range_iri, terms.prefixes))}</code>)"


def _constraints_cell(prop: Property) -> str:
    items = []
    if prop.pattern:
        items.append(f"patroon / pattern <code>{esc(prop.pattern)}</code>")
    if prop.minimum is not None:
        items.append(f"&ge; {esc(_number(prop.minimum))}")
    if prop.maximum is not None:
        items.append(f"&le; {esc(_number(prop.maximum))}")
    if prop.default is not None:
        items.append(f"standaard / default <code>{esc(prop.default)}</code>")
    return "<br>".join(items)


def _class_section(cls: ModelClass, terms: Terms, used_by: dict[str, list[str]]) -> list[str]:
    parent = (
        f'<a href="#{_anchor("class", cls.parent)}">{esc(cls.parent)}</a>'
        if cls.parent
        else "&mdash;"
    )
    users = ", ".join(used_by.get(cls.name, [])) or "&mdash;"
    out = [
        f'<section id="{_anchor("class", cls.name)}">',
        f"<h3>{esc(cls.name)} "
        f"<small>(<code>{esc(_curie(cls.iri, terms.prefixes))}</code>)</small></h3>",
    ]
    out += _labels_list(
        cls.iri,
        cls.labels,
        terms,
        [
            ("Bovenliggende klasse", "Parent", parent),
            ("Gebruikt door", "Used by", users),
            ("Bestand", "Defined in", f"<code>{esc(cls.file)}</code>"),
        ],
    )
    if not cls.properties:
        out += ['<p>Geen eigenschappen. <span lang="en">No properties.</span></p>', "</section>"]
        return out
    out += [
        '<div class="scroll"><table>',
        '<thead><tr><th>Eigenschap<br><span lang="en">Property</span></th><th>IRI</th>'
        "<th>Label (nl)</th><th>Label (en)</th><th>Definitie (nl)</th><th>Definition (en)</th>"
        '<th>Bereik<br><span lang="en">Range</span></th>'
        '<th>Kardinaliteit<br><span lang="en">Cardinality</span></th>'
        '<th>Beperkingen<br><span lang="en">Constraints</span></th></tr></thead>',
        "<tbody>",
    ]
    for prop in cls.properties:
        out.append(
            f'<tr id="{_anchor("class", cls.name)}.{esc(prop.name)}">'
            f"<td><code>{esc(prop.name)}</code></td>"
            f"<td><code>{esc(prop.iri)}</code></td>"
            f'<td lang="nl">{_text(prop.labels.nl)}</td>'
            f'<td lang="en">{_text(prop.labels.en)}</td>'
            f'<td lang="nl">{_text(prop.labels.definition_nl)}</td>'
            f'<td lang="en">{_text(prop.labels.definition_en)}</td>'
            f"<td>{_range_cell(prop, terms)}</td>"
            f"<td>{cardinality(prop)}</td>"
            f"<td>{_constraints_cell(prop)}</td></tr>"
        )
    out += ["</tbody>", "</table></div>", "</section>"]
    return out


def _enum_section(enum: Enumeration, terms: Terms, used_by: dict[str, list[str]]) -> list[str]:
    from .namespaces import CONCEPT_SCHEME_BASE

    scheme = enum.scheme_name
    scheme_cell = (
        f"<code>{esc(CONCEPT_SCHEME_BASE + scheme)}</code>"
        if scheme
        else (
            "&mdash; (waarden uit een ander vocabularium / values reused from another vocabulary)"
        )
    )
    out = [f'<section id="{_anchor("enum", enum.name)}">', f"<h3>{esc(enum.name)}</h3>"]
    out += _labels_list(
        None,
        enum.labels,
        terms,
        [
            ("Conceptschema", "Concept scheme", scheme_cell),
            ("Gebruikt door", "Used by", ", ".join(used_by.get(enum.name, [])) or "&mdash;"),
            ("Bestand", "Defined in", f"<code>{esc(enum.file)}</code>"),
        ],
    )
    out += [
        '<div class="scroll"><table>',
        '<thead><tr><th>Waarde<br><span lang="en">Value</span></th><th>IRI</th>'
        "<th>Label (nl)</th><th>Label (en)</th><th>Definitie (nl)</th><th>Definition (en)</th>"
        "</tr></thead>",
        "<tbody>",
    ]
    for value in enum.values:
        out.append(
            f'<tr id="{_anchor("enum", enum.name)}.{esc(value.text)}">'
            f"<td><code>{esc(value.text)}</code></td><td><code>{esc(value.iri)}</code></td>"
            f'<td lang="nl">{_text(value.labels.nl)}</td>'
            f'<td lang="en">{_text(value.labels.en)}</td>'
            f'<td lang="nl">{_text(value.labels.definition_nl)}</td>'
            f'<td lang="en">{_text(value.labels.definition_en)}</td></tr>'
        )
    out += ["</tbody>", "</table></div>", "</section>"]
    return out


# --------------------------------------------------------------------------------------------------
# The entity-relationship diagram
#
# Layout: classes nobody refers to sit in the top row; every other class sits one row below the
# lowest class that refers to it (cycles and self-references are ignored for this), so arrows point
# down and a supporting class (Period, Identifier) ends up under all its users. Rows wider than
# MAX_PER_ROW wrap. Within a row classes are ordered by the mean position of the classes above that
# refer to them (ties in model order). Edge labels go at the first point along the edge, from its
# middle outwards, where they cover no box and no other label. Every step depends only on the
# model's order.

FONT = 12
CHAR_W = 7.4  # the width of one monospace character at FONT px, generously
LINE_H = 16
HEAD_H = 36
PAD = 8
GAP_X = 120
GAP_Y = 110
MARGIN = 24
MAX_PER_ROW = 5
LABEL_H = 14


@dataclass
class _Box:
    cls: ModelClass
    lines: list[str]
    width: float = 0.0
    height: float = 0.0
    x: float = 0.0
    y: float = 0.0

    @property
    def cx(self) -> float:
        return self.x + self.width / 2

    @property
    def cy(self) -> float:
        return self.y + self.height / 2

    def rect(self) -> tuple[float, float, float, float]:
        return self.x, self.y, self.x + self.width, self.y + self.height


@dataclass
class _Edge:
    source: str
    target: str
    inlined: bool
    names: list[str] = field(default_factory=list)


def _fmt(value: float) -> str:
    text = f"{value:.1f}"
    text = text[:-2] if text.endswith(".0") else text
    return "0" if text == "-0" else text


def _edges(terms: Terms) -> list[_Edge]:
    """One edge per (class, range class, inlined or not), labelled with all its property names."""
    edges: dict[tuple[str, str, bool], _Edge] = {}
    for cls in terms.classes.values():
        for prop in cls.properties:
            if prop.range_kind != "class" or prop.range_name not in terms.classes:
                continue
            key = (cls.name, prop.range_name, prop.inlined)
            edges.setdefault(key, _Edge(cls.name, prop.range_name, prop.inlined)).names.append(
                prop.name
            )
    return list(edges.values())


def _layers(terms: Terms, edges: list[_Edge]) -> dict[str, int]:
    referrers: dict[str, list[str]] = {name: [] for name in terms.classes}
    for edge in edges:
        if edge.source != edge.target and edge.source not in referrers[edge.target]:
            referrers[edge.target].append(edge.source)
    depth: dict[str, int] = {}

    def visit(name: str, stack: tuple[str, ...]) -> int:
        if name not in depth:
            above = [visit(r, (*stack, name)) for r in referrers[name] if r not in stack]
            depth[name] = 1 + max(above) if above else 0
        return depth[name]

    for name in terms.classes:
        visit(name, ())
    return depth


def _layout(terms: Terms, edges: list[_Edge]) -> tuple[dict[str, _Box], float, float]:
    boxes: dict[str, _Box] = {}
    for cls in terms.classes.values():
        lines = [f"{p.name}: {p.range_name} {cardinality(p)}" for p in cls.properties]
        longest = max(
            [len(line) for line in lines]
            + [len(cls.name) + 2, len(_curie(cls.iri, terms.prefixes)) + 2]
        )
        box = _Box(
            cls,
            lines,
            width=longest * CHAR_W + 2 * PAD,
            height=HEAD_H + max(len(lines), 1) * LINE_H + PAD,
        )
        boxes[cls.name] = box
    width = max(b.width for b in boxes.values())
    for box in boxes.values():
        box.width = width

    depth = _layers(terms, edges)
    order = list(terms.classes)
    referrers: dict[str, list[str]] = {name: [] for name in order}
    for edge in edges:
        if edge.source != edge.target:
            referrers[edge.target].append(edge.source)
    rows: list[list[str]] = []
    position: dict[str, float] = {}
    for layer in sorted(set(depth.values())):
        members = [name for name in order if depth[name] == layer]

        def key(name: str) -> tuple[float, int]:
            placed = [position[r] for r in referrers[name] if r in position]
            return (sum(placed) / len(placed) if placed else MAX_PER_ROW / 2, order.index(name))

        members.sort(key=key)
        for start in range(0, len(members), MAX_PER_ROW):
            row = members[start : start + MAX_PER_ROW]
            offset = (MAX_PER_ROW - len(row)) / 2
            for i, name in enumerate(row):
                position[name] = offset + i
            rows.append(row)

    y = MARGIN
    for row in rows:
        for name in row:
            boxes[name].x = MARGIN + position[name] * (width + GAP_X)
            boxes[name].y = y
        y += max(boxes[name].height for name in row) + GAP_Y
    total_w = 2 * MARGIN + MAX_PER_ROW * width + (MAX_PER_ROW - 1) * GAP_X + GAP_X / 2
    total_h = y - GAP_Y + MARGIN
    return boxes, total_w, total_h


def _border_point(box: _Box, toward_x: float, toward_y: float) -> tuple[float, float]:
    """Where the line from the box's centre toward a point leaves the box."""
    dx, dy = toward_x - box.cx, toward_y - box.cy
    if dx == 0 and dy == 0:
        return box.cx, box.cy
    scale = min(
        (box.width / 2) / abs(dx) if dx else float("inf"),
        (box.height / 2) / abs(dy) if dy else float("inf"),
    )
    return box.cx + dx * scale, box.cy + dy * scale


def _overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


class _Labels:
    """Places edge labels where they hide no box and no earlier label, if such a place exists."""

    def __init__(self, boxes: dict[str, _Box]) -> None:
        self.blocked = [box.rect() for box in boxes.values()]
        self.svg: list[str] = []

    def place(self, candidates: list[tuple[float, float]], text: str) -> None:
        w = len(text) * CHAR_W * 0.92 + 6
        rects = [(x - w / 2, y - LABEL_H / 2, x + w / 2, y + LABEL_H / 2) for x, y in candidates]
        chosen = next(
            (r for r in rects if not any(_overlaps(r, b) for b in self.blocked)), rects[0]
        )
        self.blocked.append(chosen)
        x, y = (chosen[0] + chosen[2]) / 2, (chosen[1] + chosen[3]) / 2
        self.svg += [
            f'<rect class="lb" x="{_fmt(chosen[0])}" y="{_fmt(chosen[1])}" width="{_fmt(w)}" '
            f'height="{LABEL_H}"/>',
            f'<text class="el" x="{_fmt(x)}" y="{_fmt(y + 4)}" text-anchor="middle">'
            f"{esc(text)}</text>",
        ]


def er_diagram(terms: Terms) -> str:
    """The classes as boxes with their properties, class-ranged properties as labelled arrows."""
    edges = _edges(terms)
    boxes, total_w, total_h = _layout(terms, edges)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_fmt(total_w)} {_fmt(total_h)}" '
        f'width="{_fmt(total_w)}" height="{_fmt(total_h)}" role="img" aria-labelledby="er-title">',
        '<title id="er-title">Entiteit-relatiediagram / Entity-relationship diagram</title>',
        "<defs>",
        '<marker id="er-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="9" '
        'markerHeight="9" '
        'orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#444"/></marker>',
        "</defs>",
        "<style>"
        ".bx{fill:#fff;stroke:#333;stroke-width:1.2}.hd{fill:#ffe615;stroke:#333;stroke-width:1.2}"
        f".cn{{font:bold {FONT + 2}px sans-serif}}.ci{{font:{FONT - 1}px monospace;fill:#444}}"
        f".pr{{font:{FONT}px monospace}}.el{{font:{FONT - 1}px monospace;fill:#222}}"
        ".ln{fill:none;stroke:#777;stroke-width:1.2}.ref{stroke-dasharray:6 4}"
        ".lb{fill:#fff;fill-opacity:.85}"
        "</style>",
    ]
    pair_total: dict[frozenset[str], int] = {}
    for edge in edges:
        pair = frozenset((edge.source, edge.target))
        pair_total[pair] = pair_total.get(pair, 0) + 1
    pair_seen: dict[frozenset[str], int] = {}
    loops_seen: dict[str, int] = {}
    labels = _Labels(boxes)
    for edge in edges:  # lines under the boxes, labels over everything
        css = "ln" if edge.inlined else "ln ref"
        text = ", ".join(edge.names)
        source, target = boxes[edge.source], boxes[edge.target]
        if edge.source == edge.target:
            n = loops_seen.get(edge.source, 0)
            loops_seen[edge.source] = n + 1
            x = source.x + source.width
            y1 = source.y + HEAD_H / 2 + n * 40
            y2 = y1 + 24
            out.append(
                f'<path class="{css}" d="M{_fmt(x)},{_fmt(y1)} C{_fmt(x + 55)},{_fmt(y1 - 12)} '
                f'{_fmt(x + 55)},{_fmt(y2 + 12)} {_fmt(x)},{_fmt(y2)}" '
                'marker-end="url(#er-arrow)"/>'
            )
            half = len(text) * CHAR_W * 0.46 + 3
            labels.place(
                [
                    (x + 45 + half, (y1 + y2) / 2),
                    (x + 45 + half, y2 + 16),
                    (x - half - 4, source.y - LABEL_H / 2 - 2),
                    (x + 8 + half, source.y - LABEL_H / 2 - 2),
                ],
                text,
            )
            continue
        pair = frozenset((edge.source, edge.target))
        index = pair_seen.get(pair, 0)
        pair_seen[pair] = index + 1
        shift = (index - (pair_total[pair] - 1) / 2) * 16
        dx, dy = target.cx - source.cx, target.cy - source.cy
        length = (dx * dx + dy * dy) ** 0.5
        nx, ny = -dy / length * shift, dx / length * shift
        x1, y1 = _border_point(source, target.cx + nx, target.cy + ny)
        x2, y2 = _border_point(target, source.cx + nx, source.cy + ny)
        x1, y1, x2, y2 = x1 + nx, y1 + ny, x2 + nx, y2 + ny
        out.append(
            f'<line class="{css}" x1="{_fmt(x1)}" y1="{_fmt(y1)}" x2="{_fmt(x2)}" '
            f'y2="{_fmt(y2)}" marker-end="url(#er-arrow)"/>'
        )
        steps = (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.12, 0.88)
        labels.place([(x1 + (x2 - x1) * t, y1 + (y2 - y1) * t) for t in steps], text)
    for name, box in boxes.items():
        out += [
            f'<a href="#{_anchor("class", name)}">',
            f'<rect class="bx" x="{_fmt(box.x)}" y="{_fmt(box.y)}" width="{_fmt(box.width)}" '
            f'height="{_fmt(box.height)}"/>',
            f'<rect class="hd" x="{_fmt(box.x)}" y="{_fmt(box.y)}" width="{_fmt(box.width)}" '
            f'height="{HEAD_H}"/>',
            f'<text class="cn" x="{_fmt(box.x + PAD)}" y="{_fmt(box.y + 16)}">{esc(name)}</text>',
            f'<text class="ci" x="{_fmt(box.x + PAD)}" y="{_fmt(box.y + 30)}">'
            f"{esc(_curie(box.cls.iri, terms.prefixes))}</text>",
        ]
        for i, line in enumerate(box.lines):
            out.append(
                f'<text class="pr" x="{_fmt(box.x + PAD)}" '
                f'y="{_fmt(box.y + HEAD_H + (i + 1) * LINE_H - 3)}">{esc(line)}</text>'
            )
        out.append("</a>")
    out += labels.svg
    out.append("</svg>")
    return "\n".join(out)
