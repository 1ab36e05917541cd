"""The HTML specification, in the form of an OSLO application profile page, one page per language.

``index.html`` is Dutch, ``index_en.html`` English, as OSLO publishes its profiles: headings,
definitions and usage notes in the page's language; the key of the register's JSON, the IRI and
the labels in both languages side by side, because an implementer reads the key, an OSLO editor
the IRI and the Dutch label, and a foreign provider the English one. The page has the parts of an
OSLO application profile: status (with what the status means), this version's publication path,
the previous version, editors and working group, the machine-readable artefacts, a conformance
section, diagrams per package (``diagram.py``, laid out by D2), per class a table of properties
with cardinality, range and usage note, the code lists, and the IRIs replaced since the previous
version.

Built from the model's ``Terms`` (the same ones the vocabulary, context and shapes come from), so
the page cannot describe a property the artefacts do not have. Everything from the model is
escaped; nothing is loaded from elsewhere (no script, style sheet, font or image); the same model
gives the same bytes.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from ..paths import ARTEFACTS, Artefact
from ..validation.replaced import REPLACED_KEYS
from .diagram import Package, d2_source, overview_source, packages, render
from .iri_mapping import Release, Replacement, replacements
from .model_loader import LoadedModel
from .namespaces import CONCEPT_SCHEME_BASE
from .terms import Enumeration, Labels, ModelClass, Property, Terms

#: Where OSLO publishes versions: ``{base}/{name}/{status}/{date}`` (OSLO-NOTES, "Naming").
PUBLICATION_BASE = "https://data.vlaanderen.be/doc/applicatieprofiel/"

#: OSLO's standard statuses: label and what the status means for a reader, per language.
STATUS = {
    "OntwerpStandaard": {
        "nl": ("Ontwerpstandaard", "Dit is een ontwerpstandaard: de werkgroep werkt er nog aan en "
               "hij kan nog wijzigen. Implementeer hem om te proeven en geef feedback; bouw er "
               "nog geen productiesystemen op zonder de werkgroep te volgen."),
        "en": ("Draft standard", "This is a draft standard: the working group is still working "
               "on it and it may change. Implement it to try it and give feedback; do not build "
               "production systems on it without following the working group."),
    },
    "KandidaatStandaard": {
        "nl": ("Kandidaat-standaard", "Dit is een kandidaat-standaard: inhoudelijk afgewerkt en "
               "in publieke review. Wijzigingen zijn nog mogelijk na de review."),
        "en": ("Candidate standard", "This is a candidate standard: complete and in public "
               "review. It may still change after the review."),
    },
    "ErkendeStandaard": {
        "nl": ("Erkende standaard", "Dit is een erkende standaard: goedgekeurd en stabiel. Een "
               "wijziging die bestaande gegevens breekt, komt enkel in een nieuwe hoofdversie."),
        "en": ("Recognised standard", "This is a recognised standard: approved and stable. A "
               "change that breaks existing data only comes in a new major version."),
    },
}

#: The page's own words (headings, column titles), per language; the model's words come from it.
UI: dict[str, dict[str, str]] = {
    "nl": {
        "profile": "Applicatieprofiel", "other": "English version", "other_lang": "en",
        "status": "Status", "version": "Versie", "issued": "Uitgegeven",
        "this_version": "Deze versie", "previous": "Vorige versie", "none": "geen",
        "editors": "Redacteurs", "working_group": "Werkgroep", "licence": "Licentie",
        "editors_unnamed": "Nog geen redacteurs bij naam: de werkgroep benoemt ze. Tot dan "
                           "redigeert de werkgroep de standaard als geheel.",
        "namespace": "Naamruimte", "artefacts": "Artefacten", "contents": "Inhoud",
        "abstract": "Samenvatting", "conformance": "Conformiteit", "overview": "Overzicht",
        "classes": "Entiteiten", "codelists": "Codelijsten", "changes": "Wijzigingen",
        "key": "Sleutel (JSON)", "iri": "IRI", "definition": "Definitie", "range": "Bereik",
        "card": "Kardinaliteit", "usage": "Gebruiksnota", "value": "Waarde (JSON)",
        "parent": "Subklasse van", "used_by": "Gebruikt door", "json_type": "type in JSON",
        "scheme": "Conceptschema", "reused": "hergebruikt", "package": "Pakket",
        "embedded": "ingebed", "reference": "verwijzing (IRI)", "pattern": "patroon",
        "default": "standaard", "no_properties": "Geen eigenschappen.",
        "other_vocab": "waarden uit een ander vocabularium",
        "overview_legend": "De entiteiten die op zichzelf staan (met een eigen IRI) en hoe ze "
                           "naar elkaar verwijzen (streepjespijl: verwijzing met een IRI; label: "
                           "de sleutel in de JSON). Daaronder één diagram per pakket.",
        "legend": "Per pakket: een tabel per klasse met per eigenschap de sleutel, het bereik en "
                  "de kardinaliteit. Volle pijl: ingebed object; streepjespijl: verwijzing "
                  "(IRI); label: de sleutel in de JSON. Een bereik in een ander pakket staat "
                  "enkel in de tabel.",
        "old": "IRI in versie", "new": "IRI in versie", "name": "Naam in het model",
        "generated": "Gegenereerd door vptr generate uit het LinkML-model; niet met de hand "
                     "bewerken.",
    },
    "en": {
        "profile": "Application profile", "other": "Nederlandse versie", "other_lang": "nl",
        "status": "Status", "version": "Version", "issued": "Issued",
        "this_version": "This version", "previous": "Previous version", "none": "none",
        "editors": "Editors", "working_group": "Working group", "licence": "Licence",
        "editors_unnamed": "No editors by name yet: the working group names them. Until then "
                           "the working group as a whole edits the standard.",
        "namespace": "Namespace", "artefacts": "Artefacts", "contents": "Contents",
        "abstract": "Abstract", "conformance": "Conformance", "overview": "Overview",
        "classes": "Entities", "codelists": "Code lists", "changes": "Changes",
        "key": "Key (JSON)", "iri": "IRI", "definition": "Definition", "range": "Range",
        "card": "Cardinality", "usage": "Usage note", "value": "Value (JSON)",
        "parent": "Subclass of", "used_by": "Used by", "json_type": "type in JSON",
        "scheme": "Concept scheme", "reused": "reused", "package": "Package",
        "embedded": "embedded", "reference": "reference (IRI)", "pattern": "pattern",
        "default": "default", "no_properties": "No properties.",
        "other_vocab": "values from another vocabulary",
        "overview_legend": "The entities that stand on their own (with an IRI of their own) and "
                           "how they refer to one another (dashed arrow: reference by IRI; "
                           "label: the key in the JSON). Below, one diagram per package.",
        "legend": "Per package: a table per class with, per property, its key, range and "
                  "cardinality. Solid arrow: embedded object; dashed arrow: reference (IRI); "
                  "label: the key in the JSON. A range in another package shows in the table "
                  "only.",
        "old": "IRI in version", "new": "IRI in version", "name": "Name in the model",
        "generated": "Generated by vptr generate from the LinkML model; do not edit by hand.",
    },
}

CONFORMANCE = {
    "nl": [
        "De kernwoorden MOET, MOET NIET, ZOU MOETEN en MAG in dit document zijn te "
        "interpreteren zoals MUST, MUST NOT, SHOULD en MAY in RFC 2119.",
        "Gegevens zijn conform dit applicatieprofiel als ze voldoen aan de SHACL-vormen van "
        "application-profile.ttl: een eigenschap met "
        "kardinaliteit 1..1 of 1..* MOET aanwezig zijn, een eigenschap met bovengrens 1 MAG "
        "hoogstens één waarde hebben, een waarde MOET binnen het bereik en de gebruiksnota "
        "vallen, een codelijstwaarde MOET een concept van de codelijst zijn.",
        "Een toepassing is conform als ze conforme gegevens uitwisselt. In JSON zijn de sleutels "
        "en codelijstwaarden de Engelse namen uit de kolommen 'Sleutel (JSON)' en 'Waarde "
        "(JSON)'; de JSON-LD-context (context.jsonld) koppelt ze aan de Nederlandse IRI's. Een "
        "ingebed object heeft geen type nodig; een verwijzing is een IRI van de juiste soort.",
        "Gegevens in RDF die IRI's van de vorige versie gebruiken, ZOUDEN die MOETEN vervangen "
        "door de IRI's van deze versie; iri-mapping.ttl geeft voor elke oude IRI de nieuwe.",
    ],
    "en": [
        "The key words MUST, MUST NOT, SHOULD and MAY in this document are to be interpreted as "
        "described in RFC 2119.",
        "Data conforms to this application profile when it meets the SHACL shapes of "
        "application-profile.ttl: a property with cardinality 1..1 or 1..* MUST be present, a "
        "property with upper bound 1 MAY have at most one value, a value MUST lie within the "
        "range and the usage note, a code list value MUST be a concept of the code list.",
        "An application conforms when it exchanges conforming data. In JSON the keys and code "
        "list values are the English names in the columns 'Key (JSON)' and 'Value (JSON)'; the "
        "JSON-LD context (context.jsonld) maps them to the Dutch IRIs. An embedded object needs "
        "no type; a reference is an IRI of the right kind.",
        "RDF data that uses IRIs of the previous version SHOULD replace them by this version's "
        "IRIs; iri-mapping.ttl gives the new IRI of every old one.",
    ],
}

CSS = """
:root{--accent:#ffe615;--ink:#1a1a1a;--muted:#5c5c5c;--line:#d4d4d4}
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;line-height:1.5;margin:0;
  color:var(--ink);background:#fff}
.top{background:var(--accent);padding:1.5rem 2rem 1rem}
.top .kind{text-transform:uppercase;letter-spacing:.06em;font-size:.8rem;margin:0}
.top h1{margin:.2rem 0 .3rem;font-size:2rem;line-height:1.2}
.top .lang{float:right;font-size:.9rem}
main,.meta-wrap,nav{max-width:78rem;margin:0 auto;padding:0 2rem}
h2{border-bottom:3px solid var(--accent);padding-bottom:.2rem;margin-top:2.5rem}
h3{margin:2rem 0 .3rem}
.iri{font-size:.85rem;color:var(--muted);margin:0 0 .5rem}
code{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;font-size:.86em;
  overflow-wrap:anywhere}
.status{border-left:6px solid var(--accent);background:#fffbe0;padding:.6rem 1rem;margin:1rem 0}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1.2rem;margin:1rem 0}
dl.meta dt{font-weight:600}dl.meta dd{margin:0}
ul.plain{margin:0;padding-left:1.1rem}
.table-wrap{max-width:100%;overflow-x:auto;margin:.6rem 0 1rem}
table{border-collapse:collapse;width:100%;font-size:.87rem;table-layout:fixed}
th,td{border-bottom:1px solid var(--line);padding:.35rem .45rem;text-align:left;vertical-align:top;
  overflow-wrap:break-word}
thead th{background:#f4f4f4;border-bottom:2px solid #bbb}
td.card{white-space:nowrap}
/* Column widths: with table-layout:fixed the head row sets them, and long IRIs and patterns
   wrap inside their column instead of widening the table past the page. */
table.properties th:nth-child(1){width:16%}table.properties th:nth-child(2){width:13%}
table.properties th:nth-child(3){width:14%}table.properties th:nth-child(4){width:19%}
table.properties th:nth-child(5){width:13%}table.properties th:nth-child(6){width:10%}
table.properties th:nth-child(7){width:15%}
table.values th:nth-child(1){width:18%}table.values th:nth-child(2){width:34%}
table.values th:nth-child(3){width:20%}table.values th:nth-child(4){width:28%}
table.changes th:nth-child(1){width:26%}table.changes th:nth-child(2){width:37%}
table.changes th:nth-child(3){width:37%}
.other{color:var(--muted)}
table code{overflow-wrap:anywhere}
.tag{font-size:.72rem;background:#eee;border-radius:.3rem;padding:0 .3rem;white-space:nowrap}
.note{color:var(--muted);font-size:.84rem}
figure{margin:1.2rem 0 2rem}
figure svg{display:block;max-width:100%;height:auto;margin:0 auto}
figcaption{font-size:.85rem;color:var(--muted);margin-top:.3rem}
details summary{cursor:pointer;font-weight:600}
footer{max-width:78rem;margin:3rem auto 2rem;padding:0 2rem;color:var(--muted);font-size:.85rem}
@media (max-width:900px){
  main,.meta-wrap,nav,footer{padding:0 1rem}.top{padding:1rem}
  dl.meta{grid-template-columns:1fr}dl.meta dd{margin-bottom:.4rem}
  table.props thead{display:none}
  table.props,table.props tbody,table.props tr,table.props td{display:block;width:100%}
  table.props tr{border:1px solid var(--line);border-radius:.4rem;margin:.6rem 0;padding:.3rem}
  table.props td{border:0;padding:.15rem .4rem}
  table.props td::before{content:attr(data-label);display:block;font-size:.72rem;
    text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
  table.props{table-layout:auto}
  table.props td:empty{display:none}
}
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


def _label(labels: Labels, lang: str) -> str:
    return labels.nl if lang == "nl" else labels.en


def _heading(text: str) -> str:
    """A label as a heading: code lists have lower-case labels (``zonetype``), headings do not."""
    return text[:1].upper() + text[1:]


def _definition(labels: Labels, lang: str) -> str:
    return labels.definition_nl if lang == "nl" else labels.definition_en


def _usage(labels: Labels, lang: str) -> str:
    return labels.usage_nl if lang == "nl" else labels.usage_en


def _status_key(status_iri: str) -> str:
    return status_iri.rsplit("/", 1)[-1]


def profile_name(terms: Terms) -> str:
    """The profile's name in its publication path: the namespace's last segment."""
    return terms.namespace.rstrip("#/").rsplit("/", 1)[-1]


def publication_path(terms: Terms, status_iri: str, issued: str) -> str:
    """``https://data.vlaanderen.be/doc/applicatieprofiel/{name}/{status}/{date}``."""
    return f"{PUBLICATION_BASE}{profile_name(terms)}/{_status_key(status_iri).lower()}/{issued}"


def page_file(lang: str) -> str:
    return Artefact.HTML.value if lang == "nl" else Artefact.HTML_EN.value


# --------------------------------------------------------------------------------------------------
# The page


def build_html(
    model: LoadedModel,
    terms: Terms,
    previous: Release | None = None,
    lang: str = "nl",
    diagrams: dict[str, str] | None = None,
) -> str:
    """The page in ``lang`` ("nl" or "en"). ``diagrams`` (package file -> SVG) may be given to
    reuse rendered diagrams; otherwise D2 renders them."""
    ui = UI[lang]
    schema = model.view.schema
    title = model.annotation(schema, f"label_{lang}") or str(schema.title or schema.name)
    used_by = _used_by(terms)
    replaced = replacements(previous, terms)
    parts: list[str] = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        # An empty icon: otherwise a browser asks the server for /favicon.ico.
        '<link rel="icon" href="data:,">',
        f"<title>{_text(title)}: {esc(ui['profile'])} {_text(str(schema.version or ''))}"
        "</title>",
        f"<style>\n{CSS}\n</style>",
        "</head>",
        "<body>",
    ]
    parts += _header(model, terms, previous, lang, title)
    parts += _toc(terms, lang, bool(replaced))
    parts.append("<main>")
    parts += _abstract_and_conformance(model, lang)
    parts += _overview(terms, lang, diagrams)
    parts.append(f'<h2 id="classes">{esc(ui["classes"])}</h2>')
    for cls in terms.classes.values():
        parts += _class_section(cls, terms, used_by, lang)
    parts.append(f'<h2 id="enumerations">{esc(ui["codelists"])}</h2>')
    for enum in terms.enums.values():
        parts += _enum_section(enum, used_by, lang)
    if previous is not None and replaced:
        parts += _changes(previous, str(schema.version), replaced, terms, lang)
    parts += [
        "</main>",
        f"<footer><p>{esc(ui['generated'])}</p></footer>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(parts)


def _header(
    model: LoadedModel, terms: Terms, previous: Release | None, lang: str, title: str
) -> list[str]:
    ui = UI[lang]
    schema = model.view.schema
    status_iri = model.annotation(schema, "oslo_status") or ""
    status_label, status_text = STATUS.get(_status_key(status_iri), {}).get(
        lang, (status_iri, ""))
    issued = model.annotation(schema, "issued") or ""
    this_version = publication_path(terms, status_iri, issued)
    if previous is not None:
        previous_path = publication_path(terms, previous.status, previous.issued)
        previous_cell = (f'<a href="{esc(previous_path)}/">{esc(previous.version)}</a> '
                         f"(<code>{esc(previous_path)}</code>)")
    else:
        previous_cell = esc(ui["none"])
    other = ui["other_lang"]
    rows = [
        (ui["version"], f"<code>{_text(str(schema.version or ''))}</code>"),
        (ui["status"], f"{_text(status_label)} (<code>{_text(status_iri)}</code>)"),
        (ui["issued"], _text(issued)),
        (ui["this_version"], f"<code>{esc(this_version)}</code>"),
        (ui["previous"], previous_cell),
        (ui["editors"], _editors(model, lang)),
        (ui["working_group"], _text(model.annotation(schema, "working_group"))),
        (ui["namespace"], f"<code>{_text(terms.namespace)}</code> "
                          f"(<code>{_text(str(schema.default_prefix))}:</code>)"),
        (ui["licence"], f'<a href="{_text(str(schema.license or ""))}">'
                        f"<code>{_text(str(schema.license or ''))}</code></a>"),
    ]
    out = [
        '<header class="top">',
        f'<p class="lang"><a href="{page_file(other)}" hreflang="{other}" lang="{other}">'
        f"{esc(ui['other'])}</a></p>",
        f'<p class="kind">{esc(ui["profile"])}</p>',
        f"<h1>{_text(title)}</h1>",
        "</header>",
        '<div class="meta-wrap">',
        f'<div class="status"><strong>{_text(status_label)}.</strong> {esc(status_text)}</div>',
        '<dl class="meta">',
    ]
    out += [f"<dt>{esc(label)}</dt><dd>{value}</dd>" for label, value in rows]
    out.append(f'<dt>{esc(ui["artefacts"])}</dt><dd><ul class="plain">')
    for artefact, info in ARTEFACTS.items():
        if not info.listed:
            continue
        label = info.label_nl if lang == "nl" else info.label_en
        out.append(f'<li><a href="{esc(artefact.value)}" type="{esc(info.media_type)}">'
                   f"<code>{esc(artefact.value)}</code></a>: {esc(label)}</li>")
    out += ["</ul></dd>", "</dl>", "</div>"]
    return out


def _editors(model: LoadedModel, lang: str) -> str:
    """The editors, and, while the model names a team instead of persons (``editors_named: no``),
    a plain sentence that it does: a reader must not take the placeholder for names."""
    schema = model.view.schema
    editors = _text(model.annotation(schema, "editors"))
    if (model.annotation(schema, "editors_named") or "no").lower() == "yes":
        return editors
    return f'{editors}<br><span class="note">{esc(UI[lang]["editors_unnamed"])}</span>'


def _toc(terms: Terms, lang: str, changes: bool) -> list[str]:
    ui = UI[lang]
    out = [
        f'<nav aria-label="{esc(ui["contents"])}">',
        f'<h2 id="toc">{esc(ui["contents"])}</h2>',
        "<ol>",
        f'<li><a href="#abstract">{esc(ui["abstract"])}</a></li>',
        f'<li><a href="#conformance">{esc(ui["conformance"])}</a></li>',
        f'<li><a href="#overview">{esc(ui["overview"])}</a></li>',
        f'<li><a href="#classes">{esc(ui["classes"])}</a><ol>',
    ]
    for cls in terms.classes.values():
        out.append(f'<li><a href="#{_anchor("class", cls.name)}">'
                   f"{_text(_label(cls.labels, lang))}</a></li>")
    out.append(f'</ol></li><li><a href="#enumerations">{esc(ui["codelists"])}</a><ol>')
    for enum in terms.enums.values():
        out.append(f'<li><a href="#{_anchor("enum", enum.name)}">'
                   f"{_text(_heading(_label(enum.labels, lang)))}</a></li>")
    out.append("</ol></li>")
    if changes:
        out.append(f'<li><a href="#changes">{esc(ui["changes"])}</a></li>')
    out += ["</ol>", "</nav>"]
    return out


def _abstract_and_conformance(model: LoadedModel, lang: str) -> list[str]:
    ui = UI[lang]
    schema = model.view.schema
    about = (model.annotation(schema, "definition_nl") if lang == "nl"
             else str(schema.description or ""))
    out = [f'<h2 id="abstract">{esc(ui["abstract"])}</h2>', f"<p>{_text(about)}</p>",
           f'<h2 id="conformance">{esc(ui["conformance"])}</h2>']
    out += [f"<p>{esc(paragraph)}</p>" for paragraph in CONFORMANCE[lang]]
    return out


def _overview(terms: Terms, lang: str, diagrams: dict[str, str] | None) -> list[str]:
    ui = UI[lang]
    out = [f'<h2 id="overview">{esc(ui["overview"])}</h2>',
           f'<p class="note">{esc(ui["overview_legend"])}</p>',
           '<figure id="package-overview">',
           (diagrams or {}).get("", "") or render(overview_source(terms, lang)),
           "</figure>",
           f'<p class="note">{esc(ui["legend"])}</p>']
    for package in packages(terms):
        svg = diagrams[package.file] if diagrams else render(d2_source(package, terms, lang))
        out += [
            f'<figure id="{_anchor("package", _package_name(package))}">',
            svg.strip(),
            f"<figcaption>{esc(ui['package'])} <code>{esc(package.file)}</code>: "
            + ", ".join(f'<a href="#{_anchor("class", c.name)}">{_text(_label(c.labels, lang))}'
                        "</a>" for c in package.classes)
            + "</figcaption>",
            "</figure>",
        ]
    return out


def _package_name(package: Package) -> str:
    return package.file.rsplit(".", 1)[0]


def _used_by(terms: Terms) -> dict[str, list[tuple[str, str]]]:
    """For each class and enumeration: the (class, key) pairs whose range it is."""
    used: dict[str, list[tuple[str, str]]] = {}
    for cls in terms.classes.values():
        for prop in cls.properties:
            if prop.range_kind in {"class", "enum"}:
                used.setdefault(prop.range_name, []).append((cls.name, prop.name))
    return used


def _used_by_cell(pairs: Iterable[tuple[str, str]]) -> str:
    cells = [f'<a href="#{_anchor("class", cls)}.{esc(key)}"><code>{esc(cls)}.{esc(key)}</code></a>'
             for cls, key in pairs]
    return ", ".join(cells) or "&mdash;"


def _iri_cell(iri: str, terms: Terms, lang: str) -> str:
    reused = "" if iri.startswith(terms.namespace) else (
        f' <span class="tag">{esc(UI[lang]["reused"])}</span>')
    return (f'<a href="{esc(iri)}"><code>{esc(_curie(iri, terms.prefixes))}</code></a>'
            f"{reused}")


def _range_cell(prop: Property, terms: Terms, lang: str) -> str:
    ui = UI[lang]
    if prop.range_kind == "class":
        target = terms.classes[prop.range_name]
        how = ui["embedded"] if prop.inlined else ui["reference"]
        return (f'<a href="#{_anchor("class", prop.range_name)}">'
                f"{_text(_label(target.labels, lang))}</a> <span class=\"tag\">{esc(how)}</span>")
    if prop.range_kind == "enum":
        enum = terms.enums[prop.range_name]
        return (f'<a href="#{_anchor("enum", prop.range_name)}">'
                f"{_text(_label(enum.labels, lang))}</a>")
    if prop.range_kind == "iri":
        return "IRI"
    return f"<code>{esc(_curie(prop.range_iri, terms.prefixes))}</code>"


def _usage_cell(prop: Property, lang: str) -> str:
    ui = UI[lang]
    items = []
    note = _usage(prop.labels, lang)
    if note:
        items.append(_text(note))
    if prop.pattern:
        items.append(f"{esc(ui['pattern'])} <code>{esc(prop.pattern)}</code>")
    if prop.minimum is not None:
        items.append(f"&ge; {esc(_number(prop.minimum))}")
    if prop.maximum is not None:
        items.append(f"&le; {esc(_number(prop.maximum))}")
    if prop.default is not None:
        items.append(f"{esc(ui['default'])} <code>{esc(prop.default)}</code>")
    return "<br>".join(items)


def _labels_cell(labels: Labels, lang: str) -> str:
    """Both labels in one cell, the page's language first and the other under it: two label
    columns made the table too wide for a laptop (issue 12's audit)."""
    other = "en" if lang == "nl" else "nl"
    return (f'<span lang="{lang}">{_text(_label(labels, lang))}</span><br>'
            f'<span lang="{other}" class="other">{_text(_label(labels, other))}</span>')


def _table_start(kind: str, heads: list[str]) -> list[str]:
    """A table of the page, in a wrapper that scrolls sideways rather than the page: ``kind``
    (properties, values, changes) picks the column widths in the style sheet, which keep every
    table within the page at 1280 and 768 px (tests/web/test_specification_browser.py)."""
    return [f'<div class="table-wrap"><table class="props {kind}">',
            "<thead><tr>" + "".join(f"<th>{esc(h)}</th>" for h in heads) + "</tr></thead>",
            "<tbody>"]


_TABLE_END = ["</tbody>", "</table>", "</div>"]


def _meta(rows: Iterable[tuple[str, str]]) -> list[str]:
    return ['<dl class="meta">', *(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in rows), "</dl>"]


def _class_section(
    cls: ModelClass, terms: Terms, used_by: dict[str, list[tuple[str, str]]], lang: str
) -> list[str]:
    ui = UI[lang]
    other = "en" if lang == "nl" else "nl"
    rows = [
        (f"Label ({other})", f'<span lang="{other}">{_text(_label(cls.labels, other))}</span>'),
        (ui["definition"], _text(_definition(cls.labels, lang))),
        (ui["json_type"], f"<code>{esc(cls.name)}</code>"),
    ]
    if _usage(cls.labels, lang):
        rows.append((ui["usage"], _text(_usage(cls.labels, lang))))
    if cls.parent:
        rows.append((ui["parent"], f'<a href="#{_anchor("class", cls.parent)}">'
                                   f"{esc(cls.parent)}</a>"))
    rows.append((ui["used_by"], _used_by_cell(used_by.get(cls.name, []))))
    out = [
        f'<section id="{_anchor("class", cls.name)}">',
        f"<h3>{_text(_label(cls.labels, lang))}</h3>",
        f'<p class="iri">{_iri_cell(cls.iri, terms, lang)}</p>',
        *_meta(rows),
    ]
    if not cls.properties:
        return [*out, f"<p>{esc(ui['no_properties'])}</p>", "</section>"]
    heads = [ui["key"], ui["iri"], f"Label ({lang}, {other})", ui["definition"], ui["range"],
             ui["card"], ui["usage"]]
    out += _table_start("properties", heads)
    for prop in cls.properties:
        cells = [
            f"<code>{esc(prop.name)}</code>",
            _iri_cell(prop.iri, terms, lang),
            _labels_cell(prop.labels, lang),
            _text(_definition(prop.labels, lang)),
            _range_cell(prop, terms, lang),
            cardinality(prop),
            _usage_cell(prop, lang),
        ]
        classes = ["", "", "", "", "", ' class="card"', ""]
        out.append(f'<tr id="{_anchor("class", cls.name)}.{esc(prop.name)}">' + "".join(
            f'<td data-label="{esc(h)}"{css}>{c}</td>'
            for h, c, css in zip(heads, cells, classes, strict=True)) + "</tr>")
    out += [*_TABLE_END, "</section>"]
    return out


def _enum_section(
    enum: Enumeration, used_by: dict[str, list[tuple[str, str]]], lang: str
) -> list[str]:
    ui = UI[lang]
    other = "en" if lang == "nl" else "nl"
    scheme = enum.scheme_name
    scheme_cell = (f'<a href="{esc(CONCEPT_SCHEME_BASE + scheme)}">'
                   f"<code>{esc(CONCEPT_SCHEME_BASE + scheme)}</code></a>" if scheme
                   else f"&mdash; ({esc(ui['other_vocab'])})")
    out = [
        f'<section id="{_anchor("enum", enum.name)}">',
        f"<h3>{_text(_heading(_label(enum.labels, lang)))}</h3>",
        *_meta([
            (f"Label ({other})", f'<span lang="{other}">{_text(_label(enum.labels, other))}'
                                 "</span>"),
            (ui["definition"], _text(_definition(enum.labels, lang))),
            (ui["scheme"], scheme_cell),
            (ui["used_by"], _used_by_cell(used_by.get(enum.name, []))),
        ]),
    ]
    heads = [ui["value"], ui["iri"], f"Label ({lang}, {other})", ui["definition"]]
    out += _table_start("values", heads)
    for value in enum.values:
        cells = [
            f"<code>{esc(value.text)}</code>",
            f'<a href="{esc(value.iri)}"><code>{esc(value.iri)}</code></a>',
            _labels_cell(value.labels, lang),
            _text(_definition(value.labels, lang)),
        ]
        out.append(f'<tr id="{_anchor("enum", enum.name)}.{esc(value.text)}">' + "".join(
            f'<td data-label="{esc(h)}">{c}</td>' for h, c in zip(heads, cells, strict=True))
            + "</tr>")
    out += [*_TABLE_END, "</section>"]
    return out


def _changes(
    previous: Release, version: str, replaced: list[Replacement], terms: Terms, lang: str
) -> list[str]:
    ui = UI[lang]
    # A key whose value changed shape is said as what it is read as, not as a plain rename.
    keys_nl = "; ".join(f"{k.cls}.{k.old} " + (f"heet nu {k.new}" if k.read is None
                                                else f"is nu een waarde van {k.new}")
                        for k in REPLACED_KEYS)
    keys_en = "; ".join(f"{k.cls}.{k.old} " + (f"is now {k.new}" if k.read is None
                                                else f"is now a value of {k.new}")
                        for k in REPLACED_KEYS)
    until = ", ".join(sorted({k.until for k in REPLACED_KEYS})) or "2.0"
    if lang == "nl":
        intro = (f"{len(replaced)} IRI's van versie {previous.version} zijn in versie {version} "
                 "vervangen. Elke oude IRI blijft opzoekbaar: iri-mapping.ttl (en het "
                 "vocabularium en de codelijsten zelf) verbinden hem met owl:deprecated, "
                 "dcterms:isReplacedBy en owl:equivalentClass, owl:equivalentProperty of "
                 "skos:exactMatch met de nieuwe. De sleutels en codelijstwaarden van de JSON "
                 "bleven gelijk" + (f", op hernoemde sleutels na ({keys_nl}); het register leest "
                                    f"een oude sleutel nog als de nieuwe tot versie {until}, en "
                                    "oude IRI's ook" if REPLACED_KEYS else
                                    f"; het register leest oude IRI's nog tot versie {until}")
                 + ".")
    else:
        intro = (f"{len(replaced)} IRIs of version {previous.version} were replaced in version "
                 f"{version}. Every old IRI still resolves: iri-mapping.ttl (and the vocabulary "
                 "and code lists themselves) link it with owl:deprecated, dcterms:isReplacedBy "
                 "and owl:equivalentClass, owl:equivalentProperty or skos:exactMatch to the new "
                 "one. The keys and code list values of the JSON stayed the same"
                 + (f", except renamed keys ({keys_en}); the register still reads an old key as "
                    f"the new one until version {until}, and old IRIs too" if REPLACED_KEYS else
                    f"; the register still reads old IRIs until version {until}") + ".")
    heads = [ui["name"], f"{ui['old']} {previous.version}", f"{ui['new']} {version}"]
    out = [f'<h2 id="changes">{esc(ui["changes"])}</h2>', f"<p>{esc(intro)}</p>",
           f"<details><summary>{esc(ui['changes'])} ({len(replaced)})</summary>",
           *_table_start("changes", heads)]
    removed = {"nl": "verwijderd, gezegd door", "en": "removed, said by"}[lang]
    for r in replaced:
        # A removed term points at the term that says what it said, in another shape (its note
        # in iri-mapping.ttl says how): not the same term under a new IRI.
        cells = [f"<code>{esc(r.name)}</code>" + ("" if r.equivalent else f" ({esc(removed)})"),
                 f"<code>{esc(_curie(r.old, terms.prefixes))}</code>",
                 f"<code>{esc(_curie(r.new, terms.prefixes))}</code>"]
        out.append("<tr>" + "".join(f'<td data-label="{esc(h)}">{c}</td>'
                                    for h, c in zip(heads, cells, strict=True)) + "</tr>")
    out += [*_TABLE_END, "</details>"]
    return out
