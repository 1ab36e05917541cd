"""No acknowledged right is lost when the server is killed (issue 18): a real ``vptr serve`` on
the embedded store takes concurrent registrations, is killed with SIGKILL in the middle of them,
and is started again on the same file. Every right it answered 201 (or 200) for is there, and
re-sending every request (acknowledged or not) stores no duplicate: each clientReference is one
right.

Marked slow (two server starts, a few seconds of load); it listens on 127.0.0.1 only.
"""

from __future__ import annotations

import functools
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from support import log_scan
from support.builders import right_body

from vptr.services.demo import ZONE_ROOD, credential

from .test_multi_instance import STARTUP_SECONDS, free_port

WRITERS = 16
#: Registrations are sent until this many were acknowledged, then the server is killed.
KILL_AFTER_ACKNOWLEDGED = 300
HEADERS = {"Authorization": f"Bearer {credential('provider').key}"}


@contextmanager
def served(db_path: Path, port: int) -> Iterator[subprocess.Popen]:
    """``vptr serve --demo`` on the file, on a loopback port, until it answers /health. What the
    server writes (its access and error logs) goes to a file beside the store, which the
    whole run's log scan reads when the server is gone (support.log_scan)."""
    env = {**os.environ, "VPTR_RATE_LIMIT_PER_SECOND": "0"}
    log_path = db_path.with_name(f"server-{port}.log")
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(Path(sys.executable).with_name("vptr")), "serve", "--demo", "--host",
             "127.0.0.1", "--port", str(port), "--db-path", str(db_path)],
            env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"vptr serve died: {log_path.read_text()[-2000:]}")
            try:
                if httpx.get(url + "/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("vptr serve did not start")
            time.sleep(0.1)
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        assert log_scan.scan_file(log_path, f"vptr serve on port {port}") > 0


@functools.cache
def _body(n: int) -> dict:
    """Request n, the same every time it is sent (a re-send must be the same body)."""
    return right_body(plate=f"7K{n:05d}", zone=ZONE_ROOD, reference=f"crash-{n:05d}")


@pytest.mark.slow
def test_every_acknowledged_right_survives_a_kill_and_a_resend_duplicates_nothing(tmp_path
                                                                                   ) -> None:
    db_path = tmp_path / "crash.sqlite"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    acknowledged: dict[int, str] = {}  # request number -> right IRI
    lock = threading.Lock()
    stop = threading.Event()
    counter = iter(range(1_000_000))

    def writer() -> None:
        with httpx.Client(base_url=url, headers=HEADERS, timeout=10) as client:
            while not stop.is_set():
                with lock:
                    n = next(counter)
                try:
                    response = client.post("/rights", json=_body(n))
                except httpx.TransportError:
                    return  # the server is gone
                if response.status_code in (200, 201):
                    with lock:
                        acknowledged[n] = response.json()["id"]
                        if len(acknowledged) >= KILL_AFTER_ACKNOWLEDGED:
                            stop.set()

    with served(db_path, port) as process:
        with ThreadPoolExecutor(WRITERS) as pool:
            futures = [pool.submit(writer) for _ in range(WRITERS)]
            stop.wait(timeout=60)
            os.kill(process.pid, signal.SIGKILL)  # in the middle of the writers' requests
            process.wait(timeout=10)
            for future in futures:
                future.result()
        sent = next(counter)

    assert len(acknowledged) >= KILL_AFTER_ACKNOWLEDGED

    with served(db_path, free_port()) as process:
        url = f"http://127.0.0.1:{process.args[process.args.index('--port') + 1]}"
        with httpx.Client(base_url=url, headers=HEADERS, timeout=30) as client:
            for n, iri in acknowledged.items():
                found = client.get(f"/rights/{iri.rsplit('/', 1)[1]}")
                assert found.status_code == 200, (n, found.text)
            # Re-send everything that was sent: the acknowledged ones answer 200 with the first
            # right, the others are stored now; no clientReference gets two rights.
            for n in range(sent):
                again = client.post("/rights", json=_body(n))
                assert again.status_code in (200, 201), again.text
                if n in acknowledged:
                    assert again.status_code == 200 and again.json()["id"] == acknowledged[n]
            for n in range(sent):
                listed = client.get("/rights", params={"clientReference": f"crash-{n:05d}"})
                assert listed.json()["total"] == 1, n
    print(f"durability: {sent} sent, {len(acknowledged)} acknowledged before SIGKILL, all "
          f"present after restart, {sent} re-sent without a duplicate")
