"""The geometry of a diagram D2 drew (its SVG, as the specification page embeds it): the box of
every node and the route of every edge, to check that an edge never runs through a box it does
not connect (tests/standard/test_diagram_geometry.py).

D2 names each shape's and each connection's ``<g>`` by the base64 of its D2 id, HTML-escaped:
``Zone`` for a node, ``(Right -> Zone)[0]`` for the first edge from Right to Zone. A node's box is
the first ``rect`` of its ``g.shape`` (a ``sql_table``'s outline; its rows are drawn inside it).
An edge is a ``path`` of ``M``/``L`` commands with ``S``/``C`` curves at its rounded corners; the
route is the polyline through the end points of its commands (a corner's curve stays within the
corner's radius, 10 px, of that line).
"""

from __future__ import annotations

import base64
import binascii
import html
import itertools
import re
from dataclasses import dataclass

from lxml import etree

SVG = "{http://www.w3.org/2000/svg}"
_EDGE_ID = re.compile(r"^\((?P<source>.+?) -> (?P<target>.+?)\)\[\d+\]$")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE]-?\d+)?")
_COMMAND = re.compile(r"([MLSCQHVZmlscqhvz])([^MLSCQHVZmlscqhvz]*)")


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float

    def inset(self, margin: float) -> Box:
        return Box(self.x + margin, self.y + margin, self.width - 2 * margin,
                   self.height - 2 * margin)


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    points: list[tuple[float, float]]


@dataclass(frozen=True)
class Diagram:
    nodes: dict[str, Box]
    edges: list[Edge]


def _d2_id(css_class: str) -> str | None:
    try:
        return html.unescape(base64.b64decode(css_class, validate=True).decode("utf-8"))
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None


def route(d: str) -> list[tuple[float, float]]:
    """The polyline of a path: the end point of every command (absolute commands only, as D2
    writes them)."""
    points: list[tuple[float, float]] = []
    for command, arguments in _COMMAND.findall(d):
        if command.islower() or command in "HVQZ":
            raise ValueError(f"path command {command!r} not expected from D2: {d[:80]}")
        numbers = [float(n) for n in _NUMBER.findall(arguments)]
        step = {"M": 2, "L": 2, "S": 4, "C": 6}[command]
        for i in range(0, len(numbers), step):
            group = numbers[i:i + step]
            points.append((group[-2], group[-1]))
    return points


def read(svg: str) -> Diagram:
    """The nodes and edges of one of D2's SVGs."""
    root = etree.fromstring(svg.encode("utf-8"))
    nodes: dict[str, Box] = {}
    edges: list[Edge] = []
    for group in root.iter(f"{SVG}g"):
        d2_id = _d2_id(group.get("class", ""))
        if d2_id is None:
            continue
        edge = _EDGE_ID.match(d2_id)
        if edge:
            path = group.find(f"{SVG}path")
            assert path is not None, d2_id
            edges.append(Edge(edge["source"], edge["target"], route(path.get("d", ""))))
            continue
        rect = group.find(f"{SVG}g[@class='shape']/{SVG}rect")
        if rect is not None:
            nodes[d2_id] = Box(*(float(rect.get(a, "0")) for a in ("x", "y", "width", "height")))
    return Diagram(nodes, edges)


def crosses(start: tuple[float, float], end: tuple[float, float], box: Box) -> bool:
    """Whether the segment from ``start`` to ``end`` enters the box (Liang-Barsky clipping)."""
    (x0, y0), (x1, y1) = start, end
    dx, dy = x1 - x0, y1 - y0
    low, high = 0.0, 1.0
    for p, q in ((-dx, x0 - box.x), (dx, box.x + box.width - x0),
                 (-dy, y0 - box.y), (dy, box.y + box.height - y0)):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low > high:
            return False
    return True


def edges_through_boxes(diagram: Diagram, margin: float = 2.0) -> list[str]:
    """Every edge that runs through a node it does not connect, as ``source -> target through
    node``. ``margin`` shrinks each box so an edge along its border does not count."""
    found = []
    for edge in diagram.edges:
        for name, box in diagram.nodes.items():
            if name in (edge.source, edge.target):
                continue
            inner = box.inset(margin)
            if any(crosses(a, b, inner) for a, b in itertools.pairwise(edge.points)):
                found.append(f"{edge.source} -> {edge.target} through {name}")
    return found
