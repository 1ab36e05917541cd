"""The NPR gateway is a channel (docs/architecture.md): it parses, calls use cases of
vptr.services and renders; it never reaches the store, the repositories, SQLAlchemy or another
channel, and only the composition root (vptr.app, vptr.cli) imports it. (Every import is read,
also those inside functions.)"""

from __future__ import annotations

import ast
from pathlib import Path

import vptr.app

GATEWAY = Path(vptr.app.__file__).resolve().parent
FORBIDDEN = ("sqlalchemy", "vptr.store", "vptr.repositories", "vptr.api", "vptr.apds",
             "vptr.web", "vptr.cli", "vptr.app")


def imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_the_npr_channel_reaches_only_the_services_and_lower_layers():
    wrong = {f"{path.name}: {name}" for path in (GATEWAY / "npr").rglob("*.py")
             for name in imports(path)
             if any(name == f or name.startswith(f + ".") for f in FORBIDDEN)}
    assert not wrong


def test_only_the_composition_root_imports_the_npr_channel():
    importers = {str(path.relative_to(GATEWAY)) for path in GATEWAY.rglob("*.py")
                 if "npr" not in path.relative_to(GATEWAY).parts[:1]
                 and any(n == "vptr.npr" or n.startswith("vptr.npr.") for n in imports(path))}
    importers |= {str(path.relative_to(GATEWAY)) for path in GATEWAY.rglob("*.py")
                  if any(isinstance(node, ast.ImportFrom) and node.module == "vptr"
                         and any(a.name == "npr" for a in node.names)
                         for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))))}
    assert {i for i in importers if not i.startswith("cli/")} == {"app.py"}  # mounts it
