"""The published application profile as a graph: what both engines validate against, read from the
one file ``vptr generate`` writes (generated and hand-written shapes together)."""

from __future__ import annotations

from functools import cache

from rdflib import Graph

from .. import paths


@cache
def profile_graph() -> Graph:
    """The published application profile, parsed once per process."""
    graph = Graph()
    graph.parse(paths.Artefact.APPLICATION_PROFILE.path(), format="turtle")
    return graph
