"""The server's HTTP protocol (vptr.cli.http_protocol): uvicorn's own, with what a response
writes in one turn of the event loop leaving in one write, and its access log queued."""

from __future__ import annotations

import asyncio
import logging

from vptr.api import access_log
from vptr.cli.http_protocol import CorkedTransport, LeanHttpToolsProtocol
from vptr.cli.serve import server_options
from vptr.settings import Settings


class RecordingTransport:
    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.closed = self.aborted = False

    def write(self, data: bytes) -> None:
        self.writes.append(data)

    def is_closing(self) -> bool:
        return self.closed or self.aborted

    def close(self) -> None:
        self.closed = True

    def abort(self) -> None:
        self.aborted = True

    def get_write_buffer_size(self) -> int:
        return 0

    def get_extra_info(self, name: str) -> str:
        return f"extra {name}"


def test_the_writes_of_one_turn_leave_as_one() -> None:
    async def scenario() -> list[bytes]:
        inner = RecordingTransport()
        corked = CorkedTransport(inner, asyncio.get_running_loop())  # type: ignore[arg-type]
        corked.write(b"HTTP/1.1 200 OK\r\n\r\n")
        corked.write(b"{}")
        assert inner.writes == []  # nothing left yet
        assert corked.get_write_buffer_size() == len(b"HTTP/1.1 200 OK\r\n\r\n{}")
        await asyncio.sleep(0)
        corked.write(b"next")
        await asyncio.sleep(0)
        return inner.writes

    assert asyncio.run(scenario()) == [b"HTTP/1.1 200 OK\r\n\r\n{}", b"next"]


def test_closing_writes_what_is_pending_first_and_aborting_drops_it() -> None:
    async def scenario() -> tuple[RecordingTransport, RecordingTransport]:
        loop = asyncio.get_running_loop()
        closing, aborting = RecordingTransport(), RecordingTransport()
        for inner in (closing, aborting):
            corked = CorkedTransport(inner, loop)  # type: ignore[arg-type]
            corked.write(b"last words")
            corked.close() if inner is closing else corked.abort()
            assert corked.get_extra_info("peername") == "extra peername"
        await asyncio.sleep(0)
        return closing, aborting

    closing, aborting = asyncio.run(scenario())
    assert closing.writes == [b"last words"] and closing.closed
    assert aborting.writes == [] and aborting.aborted


def test_vptr_serve_runs_uvicorn_with_this_protocol() -> None:
    assert server_options(Settings())["http"] is LeanHttpToolsProtocol


def test_the_protocols_access_lines_are_masked_whether_or_not_the_writer_runs(caplog) -> None:
    line = ('%s - "%s %s HTTP/%s" %d', ("127.0.0.1:1", "GET", "/check?plate=1ABC123", "1.1", 200))
    logger = logging.getLogger("uvicorn.access")
    access_log.install_plate_redaction()
    with caplog.at_level(logging.INFO, logger="uvicorn.access"):
        access_log.log_request(*line)
    assert "1ABC123" not in caplog.text and "plate=***" in caplog.text
    assert logger.filters  # the mask is on the logger while no writer runs
