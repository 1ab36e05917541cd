"""The Accept header read once for every channel that negotiates a format (the native API, the
open data): its media ranges with their quality, most wanted first, ties in the client's order."""

from __future__ import annotations


def accepted_media_ranges(header: str) -> list[tuple[float, str]]:
    """The media ranges of an Accept header with their quality, most wanted first (a quality that
    does not parse counts as 0: not wanted)."""
    ranges = []
    for position, part in enumerate(header.split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media:
            ranges.append((quality, position, media.lower()))
    ranges.sort(key=lambda r: (-r[0], r[1]))
    return [(q, m) for q, _, m in ranges]
