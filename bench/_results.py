"""Where every benchmark leaves its report: ``<results>/<name>-<UTC stamp>.json``."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


def write(report: dict[str, Any], results_dir: Path, name: str) -> Path:
    """The report as JSON in a new file (values JSON does not know, such as dates, as text)."""
    results_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = results_dir / f"{name}-{stamp}.json"
    path.write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
    return path
