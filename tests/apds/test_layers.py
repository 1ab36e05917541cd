"""The APDS channel keeps to the architecture (docs/architecture.md, "The code: layers, use cases
and channels"): it reaches the register only through vptr.services and the lower layers, never
SQLAlchemy, the store, the repositories or another channel; only the composition root and the
CLI import it. (tests/architecture/test_layers.py checks every package; this is the APDS part.)"""

from __future__ import annotations

import ast
from pathlib import Path

GATEWAY = Path(__file__).resolve().parents[2] / "gateway" / "vptr"
FORBIDDEN = ("sqlalchemy", "vptr.store", "vptr.repositories", "vptr.api", "vptr.npr",
             "vptr.web", "vptr.app", "vptr.cli")


def imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_the_apds_channel_imports_only_services_and_lower_layers():
    wrong = {}
    for path in (GATEWAY / "apds").rglob("*.py"):
        bad = sorted(name for name in imports(path)
                     if any(name == f or name.startswith(f + ".") for f in FORBIDDEN))
        if bad:
            wrong[str(path.relative_to(GATEWAY))] = bad
    assert wrong == {}


def test_only_the_composition_root_and_the_cli_import_the_apds_channel():
    importers = set()
    for path in GATEWAY.rglob("*.py"):
        relative = path.relative_to(GATEWAY)
        if relative.parts[0] in ("apds",):
            continue
        if any(name == "vptr.apds" or name.startswith("vptr.apds.") for name in imports(path)):
            importers.add(relative.parts[0] if len(relative.parts) > 1 else relative.stem)
    assert importers <= {"app", "cli"}, importers
    assert importers == {"app", "cli"}
