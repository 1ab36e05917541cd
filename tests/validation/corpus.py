"""The example payloads the validation tests share: ``shapes/examples`` (per hand-written shape,
with their expected violations and supporting entities) and ``examples/`` (every class)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SHAPE_EXAMPLES = ROOT / "shapes" / "examples"
CLASS_EXAMPLES = ROOT / "examples"
SHAPES = "https://data.vlaanderen.be/shacl/parkeren-en-toegang#"


@dataclass(frozen=True)
class Example:
    path: Path
    valid: bool

    @property
    def name(self) -> str:
        return self.path.stem

    def document(self) -> Any:
        return json.loads(self.path.read_text(encoding="utf-8"))

    def _sidecar(self, suffix: str) -> Path:
        return self.path.with_name(self.path.name.removesuffix(self.path.suffix) + suffix)

    def supporting(self) -> list[Any] | None:
        path = self._sidecar(".supporting.json")
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None

    def expected(self) -> list[dict[str, str]]:
        path = self._sidecar(".expected.json")
        if not path.is_file():
            return []
        return json.loads(path.read_text(encoding="utf-8"))["violations"]


def _payloads(folder: Path, pattern: str) -> list[Path]:
    return sorted(p for p in folder.glob(pattern)
                  if not p.name.endswith((".expected.json", ".supporting.json")))


def shape_examples() -> list[Example]:
    return [Example(p, kind == "valid") for kind in ("valid", "invalid")
            for p in _payloads(SHAPE_EXAMPLES / kind, "*.json")]


def class_examples() -> list[Example]:
    return [Example(p, kind == "valid") for kind in ("valid", "invalid")
            for p in _payloads(CLASS_EXAMPLES / kind, "*.jsonld")]


def example_id(example: Example) -> str:
    return f"{'valid' if example.valid else 'invalid'}/{example.name}"
