"""The log scan of the whole test run (issue 18): no log line the register writes holds a clear
plate. ``tests/conftest.py`` feeds it every log record of the test process and fails the run on a
finding; tests that start servers of their own (the ``kill -9`` test, the benchmark's smoke test)
feed it the output those servers wrote (:func:`scan_file`).

A plate is recognised two ways, so that neither misses what the other would:

- by shape: the Belgian ``1ABC123`` (and ``7K00001``), the British and Dutch letter-led ``AB12CDE``
  and ``XY12ZZ``, and a Belgian plate written with separators (``1-abc-123``);
- by name: every plate the demo and the tests use (collected from their sources, so a new test's
  plate is scanned for without anyone listing it), in normal form and as written.

Without false positives: each is matched as a whole token (no letter or digit either side, not
right after ``%`` of a percent-escape), and the collected names are at least five characters
with a letter and a digit.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

_EDGE_BEFORE = r"(?<![A-Za-z0-9_%])"
_EDGE_AFTER = r"(?![A-Za-z0-9_])"
#: Plates by shape.
SHAPES = re.compile(_EDGE_BEFORE + "(?:"
                    r"[0-9][A-Z][A-Z0-9]{4,6}"  # 1ABC123, 7K00001, 1GHI890
                    r"|[A-Z]{2}[0-9]{2}[A-Z]{2,3}"  # AB12CDE (GB), XY12ZZ (NL)
                    r"|[0-9][ .-][A-Za-z]{3}[ .-][0-9]{3}"  # 1-abc-123, 1 ABC 123
                    ")" + _EDGE_AFTER)

_ROOT = Path(__file__).resolve().parents[2]
#: Where the plates the run uses are written: the demo and the tests.
_SOURCES = [_ROOT / "gateway" / "vptr" / "services" / "demo.py", *_ROOT.glob("tests/**/*.py")]
#: A string literal given as a plate: ``"plateNumber": "..."``, ``plate="..."``,
#: ``PLATE = "..."``, ``("BE", "...")``, ``"VehicleId": "..."``, ``credential_id=...``.
_GIVEN = re.compile(r"""(?:plateNumber|[Pp]late\w*|PLATE\w*|VehicleId|credential_id)["']?\s*"""
                    r"""[:=,]\s*\(?\s*(?:"[A-Z]{2}",\s*)?["']([^"'\\]{4,20})["']""")
_NOT_PLATE = re.compile(r"[\s.\-_/]+")
_NAMED = re.compile(r"^(?=.*[0-9])(?=.*[A-Z])[A-Z0-9]{5,12}$")


@cache
def known_plates() -> frozenset[str]:
    """Every plate the demo and the tests use, in normal form (``1-abc-123`` -> ``1ABC123``)."""
    found = set()
    for source in _SOURCES:
        for literal in _GIVEN.findall(source.read_text(encoding="utf-8")):
            plate = _NOT_PLATE.sub("", literal).upper()
            if _NAMED.match(plate):
                found.add(plate)
    return frozenset(found)


@cache
def _by_name() -> re.Pattern[str]:
    names = sorted(known_plates(), key=len, reverse=True)
    return re.compile(_EDGE_BEFORE + "(" + "|".join(map(re.escape, names)) + ")" + _EDGE_AFTER)


def plates_in(line: str) -> set[str]:
    """The plates a line holds in clear."""
    return set(SHAPES.findall(line)) | set(_by_name().findall(line))


#: What the run found: one entry per line holding a plate, with where it came from.
FOUND: list[str] = []


def scan_line(line: str, source: str) -> None:
    plates = plates_in(line)
    if plates:
        FOUND.append(f"{sorted(plates)} in {source}: {line[:300]}")


def scan_file(path: Path, source: str) -> int:
    """Scan every line a server the tests started wrote; the number of lines scanned."""
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    for line in lines:
        scan_line(line, source)
    return len(lines)
