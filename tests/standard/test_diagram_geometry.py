"""The specification's diagrams as a reader sees them: no edge runs through a box it does not
connect, in any diagram of either page (the overview and one per package). Read from the SVG
D2 drew, as the pages embed it (``svg_geometry``)."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest

from .svg_geometry import Box, crosses, edges_through_boxes, read, route

PAGES = {"nl": "index.html", "en": "index_en.html"}
FIGURE = re.compile(
    r'<figure id="(?P<id>[^"]+)">\s*(?P<svg><svg.*?</svg>)\s*(?:<figcaption|</figure>)', re.S)


def diagrams(page: str) -> dict[str, str]:
    return {m["id"]: m["svg"] for m in FIGURE.finditer(page)}


@pytest.fixture(scope="module")
def figures(fresh_dir: Path) -> dict[str, dict[str, str]]:
    return {lang: diagrams((fresh_dir / name).read_text(encoding="utf-8"))
            for lang, name in PAGES.items()}


@pytest.mark.parametrize("lang", PAGES)
def test_no_edge_runs_through_a_box_it_does_not_connect(figures, terms, lang):
    found = figures[lang]
    assert "package-overview" in found and len(found) >= 2  # the overview and the packages
    problems = {figure: edges_through_boxes(read(svg)) for figure, svg in found.items()}
    assert {figure: p for figure, p in problems.items() if p} == {}


@pytest.mark.parametrize("lang", PAGES)
def test_the_geometry_is_read_from_every_diagram(figures, terms, lang):
    """The check above sees the diagrams' boxes and edges (it would pass on nothing at all):
    the overview has every class that stands on its own and an edge per relation between them."""
    overview = read(figures[lang]["package-overview"])
    standing = {cls.name for cls in terms.classes.values() if cls.identified}
    assert set(overview.nodes) == standing
    assert len(overview.edges) >= len(standing)
    assert all(len(edge.points) >= 2 for edge in overview.edges)


def _id(text: str) -> str:
    return base64.b64encode(text.replace(">", "&gt;").encode()).decode()


def _svg(edge_d: str) -> str:
    box = '<g class="{}"><g class="shape"><rect x="{}" y="{}" width="100" height="50"/></g></g>'
    return ('<svg xmlns="http://www.w3.org/2000/svg">'
            + box.format(_id("A"), 0, 0) + box.format(_id("B"), 0, 300)
            + box.format(_id("C"), 0, 150)
            + f'<g class="{_id("(A -> B)[0]")}"><path d="{edge_d}"/></g></svg>')


def test_an_edge_through_a_third_box_is_found():
    straight_through = _svg("M 50 52 L 50 298")
    assert edges_through_boxes(read(straight_through)) == ["A -> B through C"]
    around = _svg("M 50 52 L 50 100 S 50 110 60 110 L 140 110 S 150 110 150 120 "
                  "L 150 280 S 150 290 140 290 L 50 290 L 50 298")
    assert edges_through_boxes(read(around)) == []


def test_a_route_is_the_polyline_through_the_end_points_of_its_commands():
    assert route("M 1 2 L 3 4 S 5 6 7 8 C 9 10 11 12 13 14") == [(1, 2), (3, 4), (7, 8),
                                                                  (13, 14)]
    box = Box(10, 10, 10, 10)
    assert crosses((0, 15), (30, 15), box)
    assert not crosses((0, 5), (30, 5), box)
    assert not crosses((0, 0), (9, 30), box)
