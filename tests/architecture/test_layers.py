"""The shape of the code, as a specification: every channel is a thin adapter over the same use
cases, and the packages form layers without cycles.

Read from the source (every import statement, also those inside functions, which hide cycles at
import time), so a violation fails here before it reaches a review:

- a channel (``vptr.api`` now; ``vptr.apds``, ``vptr.npr``, ``vptr.web`` as they come) imports
  neither SQLAlchemy nor the store or the repositories, and no other channel: it parses, calls
  ``vptr.services`` and renders;
- nothing but the composition root (``vptr.app``, ``vptr.cli``) imports a channel;
- each package imports only packages of lower layers (below), so there is no cycle between them;
- no two modules import each other, directly or round a longer loop.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = (ROOT / "gateway", ROOT / "generated")

CHANNELS = ("vptr.api", "vptr.apds", "vptr.npr", "vptr.web", "vptr.opendata")
COMPOSITION_ROOTS = ("vptr.app", "vptr.cli")
#: What a channel must not reach past the service layer for.
BEHIND_THE_SERVICES = ("sqlalchemy", "vptr.store", "vptr.repositories")

#: The layers, lowest first: a package may import its own layer's and lower layers' packages.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("vptr.errors", "vptr.paths", "vptr.paging", "vptr.settings", "vptr.standard"),
    ("vptr.times", "vptr.iris", "vptr.kinds"),
    ("vptr.domain",),
    ("vptr.validation", "vptr.standard_build", "vptr.mapping"),
    ("vptr.store",),
    ("vptr.auth",),
    ("vptr.accounting",),
    ("vptr.repositories",),
    ("vptr.services",),
    ("vptr.http",),  # what every HTTP channel needs from a request, below all of them
    CHANNELS,
    COMPOSITION_ROOTS,
)


@cache
def modules() -> dict[str, Path]:
    found = {}
    for source in SOURCES:
        for path in (source / "vptr").rglob("*.py"):
            name = ".".join(path.relative_to(source).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


def _package_of(module: str, path: Path) -> str:
    return module if path.name == "__init__.py" else module.rpartition(".")[0]


def imports_of(module: str) -> Iterator[str]:
    """Every module or package ``module`` imports, resolved to absolute names (relative imports
    included; ``from a import b`` names ``a.b`` when that is a module, else ``a``)."""
    path = modules()[module]
    package = _package_of(module, path)
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - (node.level - 1)]
                base = ".".join([*parts, base] if base else parts)
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                yield candidate if candidate in modules() else base


def top_package(name: str) -> str:
    """``vptr.services.rights`` -> ``vptr.services``; a third-party name -> its top level."""
    parts = name.split(".")
    return ".".join(parts[:2]) if parts[0] == "vptr" else parts[0]


def _in(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def _layer(package: str) -> int:
    for index, layer in enumerate(LAYERS):
        if package in layer:
            return index
    raise AssertionError(f"{package} is in no layer of tests/architecture/test_layers.py")


OWN = [m for m in modules() if ".migrations.versions." not in m]


def test_every_package_has_a_layer():
    assert {top_package(m) for m in OWN} - {"vptr"} <= {p for layer in LAYERS for p in layer}


@pytest.mark.parametrize("module", [m for m in OWN if _in(m, CHANNELS)])
def test_a_channel_reaches_the_register_only_through_the_services(module):
    own_channel = top_package(module)
    wrong = sorted({name for name in imports_of(module)
                    if _in(name, BEHIND_THE_SERVICES)
                    or (_in(name, CHANNELS) and not _in(name, (own_channel,)))})
    assert wrong == [], f"{module} imports {wrong}"


def test_only_the_composition_root_imports_a_channel():
    wrong = sorted((m, name) for m in OWN if not _in(m, CHANNELS + COMPOSITION_ROOTS)
                   for name in imports_of(m) if _in(name, CHANNELS))
    assert wrong == []


def test_packages_import_only_their_own_or_lower_layers():
    wrong = sorted(
        (m, name) for m in OWN if top_package(m) != "vptr"
        for name in imports_of(m)
        if name.startswith("vptr.") and top_package(name) != top_package(m)
        and _layer(top_package(name)) > _layer(top_package(m)))
    assert wrong == []


def test_no_module_imports_itself_round_a_loop():
    graph = {m: {n for n in imports_of(m) if n in modules() and n != m} for m in OWN}
    # A package's __init__ that re-exports its own submodules is not a loop of meaning.
    for m in graph:
        graph[m] = {n for n in graph[m] if not (modules()[m].name == "__init__.py"
                                                and n.startswith(m + "."))}
    cycles = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                cycles.append([*path[path.index(target):], target])
            elif target not in state:
                visit(target)
        path.pop()
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)
    assert cycles == []


def test_the_check_finds_a_loop_when_there_is_one(monkeypatch):
    """The loop finder itself can fail: two modules importing each other are reported."""
    fake = {"vptr.x.a": "from vptr.x import b\n", "vptr.x.b": "import vptr.x.a\n"}
    me = sys.modules[__name__]
    real = dict(modules())
    monkeypatch.setattr(me, "OWN", list(fake))
    monkeypatch.setattr(me, "modules", lambda: {**real, **{k: Path(k) for k in fake}})
    monkeypatch.setattr(Path, "read_text", lambda self, encoding=None: fake[str(self)])
    with pytest.raises(AssertionError):
        test_no_module_imports_itself_round_a_loop()
