"""Instances share nothing but the database: two servers on one PostgreSQL store, one right
registered through the first is read, checked, re-sent and ended through the second at once.

Each instance is a real server process (uvicorn), as behind a load balancer; starting them costs a
few seconds, so this runs on PostgreSQL only, the production store."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from support.builders import right_body

from vptr.services.demo import ZONE_ROOD, credential

STARTUP_SECONDS = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def instances(store_url: str, count: int) -> Iterator[list[str]]:
    """``count`` gateway processes on the store, each on its own loopback port."""
    env = {**os.environ, "VPTR_DATABASE_URL": store_url, "VPTR_DEMO": "false"}
    ports = [free_port() for _ in range(count)]
    processes = [subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "vptr.app:create_app", "--factory",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for port in ports]
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        for url, process in zip(urls, processes, strict=True):
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"instance {url} died: {process.stderr.read().decode()}")
                try:
                    if httpx.get(url + "/health", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"instance {url} did not start")
                time.sleep(0.1)
        yield urls
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def as_role(role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {credential(role).key}"}


@pytest.mark.slow
@pytest.mark.parametrize("_demo_store", [pytest.param("postgresql", marks=pytest.mark.postgres)],
                         indirect=True)
def test_a_right_registered_through_one_instance_is_at_once_known_to_the_other(store_url):
    body = right_body(plate="4INS444", reference="multi-1")
    with instances(store_url, 2) as (first, second):
        registered = httpx.post(first + "/rights", json=body, headers=as_role("provider"),
                                timeout=30)
        assert registered.status_code == 201, registered.text
        ref = registered.json()["id"].rsplit("/", 1)[1]

        read = httpx.get(f"{second}/rights/{ref}", headers=as_role("enforcement"), timeout=30)
        found = httpx.get(f"{second}/rights", params={"plate": "4INS444", "country": "BE"},
                          headers=as_role("enforcement"), timeout=30)
        checked = httpx.get(f"{second}/check", params={"plate": "4INS444", "country": "BE",
                                                        "zone": ZONE_ROOD},
                            headers=as_role("enforcement"), timeout=30)
        resent = httpx.post(second + "/rights", json=body, headers=as_role("provider"),
                            timeout=30)
        ended = httpx.post(f"{second}/rights/{ref}/end", headers=as_role("provider"), timeout=30)
        seen_ended = httpx.get(f"{first}/rights/{ref}", headers=as_role("provider"), timeout=30)
        # The second instance holds zones in memory since its check; a zone made through the
        # first must count there at once all the same.
        zone = httpx.post(first + "/zones", headers=as_role("area-manager"), timeout=30, json={
            "name": "Nieuw blok", "zoneKind": "blueZone", "geometry": {
                "asWKT": "POLYGON ((3.70 51.00, 3.71 51.00, 3.71 51.01, 3.70 51.01, 3.70 51.00))"}})
        at_new_zone = httpx.get(f"{second}/check", params={
            "plate": "4INS444", "country": "BE", "lon": 3.705, "lat": 51.005},
            headers=as_role("enforcement"), timeout=30)

    assert read.status_code == 200
    assert [r["id"] for r in found.json()["@graph"]] == [registered.json()["id"]]
    assert checked.status_code == 200, checked.text
    assert checked.json()["allowed"] is True
    assert resent.status_code == 200 and resent.json()["id"] == registered.json()["id"]
    assert ended.status_code == 200
    assert seen_ended.json()["rightStatus"] == "ended"
    assert zone.status_code == 201, zone.text
    assert [z["id"] for z in at_new_zone.json()["zones"]] == [zone.json()["id"]]
