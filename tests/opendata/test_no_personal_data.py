"""Nothing personal is ever published: with the demo loaded (rights, permits and whitelists full
of plates) and more plates registered through the API, a crawl of every public endpoint and every
link they name (pages, formats, dumps, stream pages, the catalogue's distributions) finds no plate,
no key and no private resource."""

from __future__ import annotations

import gzip
import re
from collections import deque

from support.builders import right_body

from vptr.services import demo

from .conftest import new_zone

STARTS = ["/catalog", "/ldes", "/ldes/0", "/id/zone/gent-rood", "/id/organisation/stad-gent",
          "/ns/parkeren-en-toegang", "/doc/applicatieprofiel/parkeren-en-toegang/context.jsonld",
          "/dumps/register.nt.gz", "/dumps/register.geojson"]
ACCEPTS = ["application/ld+json", "text/turtle", "application/n-triples", "text/html"]
HOSTS = ("https://data.parkeerregister.vlaanderen.be", "http://testserver")
LINK = re.compile(r'(?:href|src)="([^"]+)"|<(https://data\.parkeerregister\.vlaanderen\.be/[^>]+)>'
                  r'|"(https://data\.parkeerregister\.vlaanderen\.be/[^"]+)"')


def plates() -> set[str]:
    """Every plate of the demo, read from its documents (and those registered below)."""
    found = set()

    def walk(value: object) -> None:
        if isinstance(value, dict):
            if isinstance(value.get("plateNumber"), str):
                found.add(value["plateNumber"])
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(demo.permit_documents())
    walk(demo.whitelist_document())
    walk([document for _, document in demo.right_documents(demo.now())])
    return found | {"7OPEN01", "7OPEN02"}


def local(link: str) -> str | None:
    for host in HOSTS:
        if link.startswith(host):
            link = link[len(host):]
    if not link.startswith("/") or link.startswith("//"):
        return None
    if link.startswith(("/beheer", "/static/")):
        return None
    return link.split("#", 1)[0]


def test_a_crawl_of_everything_public_finds_no_plate_and_nothing_private(client_as):
    provider, manager, public = (client_as("provider"), client_as("area-manager"),
                                 client_as("anonymous"))
    for plate in ("7OPEN01", "7OPEN02"):
        assert provider.post("/rights", json=right_body(plate=plate)).status_code == 201
    assert manager.post("/zones", json=new_zone("proef-crawl")).status_code == 201
    secret = plates()
    assert len(secret) >= 8
    keys = {credential.key for credential in demo.CREDENTIALS}

    seen: set[str] = set()
    queue = deque(STARTS)
    bodies = 0
    while queue:
        path = queue.popleft()
        if path in seen or len(seen) > 600:
            continue
        seen.add(path)
        for accept in ACCEPTS if "?" not in path else [None]:
            answer = public.get(path, headers={"Accept": accept} if accept else {},
                                follow_redirects=True)
            if answer.status_code != 200:
                continue
            data = answer.content
            if data[:2] == b"\x1f\x8b":
                data = gzip.decompress(data)
            text = data.decode("utf-8", "replace")
            bodies += 1
            found = [plate for plate in secret if plate in text]
            assert not found, f"{path} ({accept}) publishes plates {found}"
            assert not any(key in text for key in keys), f"{path} publishes an API key"
            if not path.startswith(("/ns/", "/doc/", "/shacl/")):  # the standard names them
                assert "licencePlate" not in text and "plateNumber" not in text, path
                assert "nummerplaat" not in text.lower(), path
            for kind in ("/id/right/", "/id/permit/", "/id/whitelist", "/id/authorisation/"):
                assert kind not in text, f"{path} ({accept}) names a private {kind}"
            for match in LINK.finditer(text):
                link = local(next(group for group in match.groups() if group))
                if link and link not in seen and not link.startswith("/id/concept"):
                    queue.append(link)
    assert bodies > 40
    assert "/id/zone/proef-crawl" in seen
