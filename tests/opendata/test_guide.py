"""docs/open-data.md: every example request of the consumer's guide runs against the demo,
without credentials, and answers the status and media type the guide says."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "open-data.md"
EXAMPLE = re.compile(r"<!-- example -->\n```sh\n(?P<command>.*?)\n```\nanswers `(?P<status>\d{3})`"
                     r"(?:, `(?P<media>[^`]+)`)?", re.S)
SERVER = "http://127.0.0.1:8000"


def examples() -> list[tuple[str, int, str | None]]:
    text = GUIDE.read_text(encoding="utf-8")
    found = [(m["command"], int(m["status"]), m["media"]) for m in EXAMPLE.finditer(text)]
    assert len(found) == text.count("<!-- example -->"), "every example says what it answers"
    return found


def request_of(command: str) -> tuple[str, dict[str, str]]:
    words = shlex.split(command)
    assert words[0] == "curl"
    headers, url = {}, None
    index = 1
    while index < len(words):
        if words[index] == "-H":
            name, _, value = words[index + 1].partition(": ")
            headers[name] = value
            index += 2
        else:
            url = words[index]
            index += 1
    assert url is not None and url.startswith(SERVER), command
    return url.removeprefix(SERVER), headers


def test_the_guide_shows_every_part_of_the_open_data():
    paths = [request_of(command)[0] for command, _, _ in examples()]
    for part in ("/id/zone/", "/id/regime/", "/id/organisation/", "/ns/", "context.jsonld",
                 "/id/concept/", "/catalog", "/dumps/", "/ldes"):
        assert any(part in path for path in paths), part


def test_every_example_answers_as_the_guide_says(public):
    etag = public.get("/id/zone/gent-rood").headers["etag"].strip('"')
    for command, status, media in examples():
        path, headers = request_of(command.replace("{{etag}}", etag))
        answer = public.get(path, headers=headers, follow_redirects=False)
        assert answer.status_code == status, (command, answer.text[:300])
        if media:
            assert answer.headers["content-type"].split(";")[0] == media, command
