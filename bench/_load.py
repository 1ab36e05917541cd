"""An open-loop HTTP load generator: requests leave at fixed times, whatever the server does.

A closed loop (send, wait, send) slows down with the server and hides its queueing; here request
``i`` is due at ``t0 + i / rate`` and its latency is measured from that due time, so a server that
falls behind shows it in the tail (no coordinated omission). The run is bounded by a count and a
duration and stops by itself.

The client speaks minimal HTTP/1.1 over a pool of keep-alive asyncio connections instead of using
httpx: on a 2-core machine the generator shares the CPU with the server, and a lean client leaves
more of it to the server (httpx costs several times more CPU per request). It understands exactly
what the register's server sends: a status line, headers, and a Content-Length or chunked body.
"""

from __future__ import annotations

import asyncio
import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    body: bytes | None = None
    headers: tuple[tuple[str, str], ...] = ()
    #: A label to group results by (e.g. "check", "register", "end").
    kind: str = "request"


@dataclass
class Response:
    status: int
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class _Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    async def send(self, raw: bytes) -> Response:
        self.writer.write(raw)
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionError("server closed the connection")
        status = int(status_line.split(b" ", 2)[1])
        length: int | None = None
        chunked = False
        close = False
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding" and b"chunked" in value.lower():
                chunked = True
            elif name == b"connection" and b"close" in value.lower():
                close = True
        if chunked:
            body = bytearray()
            while True:
                size = int((await self.reader.readline()).split(b";")[0], 16)
                if size == 0:
                    await self.reader.readline()
                    break
                body += await self.reader.readexactly(size)
                await self.reader.readline()
            payload = bytes(body)
        else:
            payload = await self.reader.readexactly(length or 0)
        if close:
            self.close()
        return Response(status, payload)

    def close(self) -> None:
        self.writer.close()


class Client:
    """A pool of keep-alive HTTP/1.1 connections to one host."""

    def __init__(self, host: str, port: int, size: int = 64,
                 default_headers: tuple[tuple[str, str], ...] = ()) -> None:
        self.host, self.port, self.size = host, port, size
        self.default_headers = default_headers
        self._idle: list[_Connection] = []
        self._open = 0
        self._available = asyncio.Condition()

    def encode(self, request: Request) -> bytes:
        lines = [f"{request.method} {request.path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        for name, value in (*self.default_headers, *request.headers):
            lines.append(f"{name}: {value}")
        body = request.body or b""
        if request.body is not None:
            lines.append(f"Content-Length: {len(body)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + body

    async def _acquire(self) -> _Connection:
        async with self._available:
            while not self._idle and self._open >= self.size:
                await self._available.wait()
            if self._idle:
                return self._idle.pop()
            self._open += 1
        try:
            reader, writer = await asyncio.open_connection(self.host, self.port)
        except Exception:
            async with self._available:
                self._open -= 1
                self._available.notify()
            raise
        return _Connection(reader, writer)

    async def _release(self, connection: _Connection | None) -> None:
        async with self._available:
            if connection is None or connection.writer.is_closing():
                self._open -= 1
            else:
                self._idle.append(connection)
            self._available.notify()

    async def send(self, request: Request) -> Response:
        raw = self.encode(request)
        connection = await self._acquire()
        try:
            response = await connection.send(raw)
        except BaseException:
            connection.close()
            await self._release(None)
            raise
        await self._release(connection)
        return response

    async def close(self) -> None:
        for connection in self._idle:
            connection.close()
        self._idle.clear()


@dataclass
class Sample:
    kind: str
    due: float
    latency: float
    status: int
    ok: bool


@dataclass
class LoadResult:
    offered_rate: float
    planned: int
    samples: list[Sample] = field(default_factory=list)
    elapsed: float = 0.0
    #: How late, at worst, the generator itself sent a request (it is saturated if this grows).
    max_send_lag: float = 0.0

    def of(self, kind: str | None = None) -> list[Sample]:
        return [s for s in self.samples if kind is None or s.kind == kind]

    def errors(self, kind: str | None = None) -> int:
        return sum(1 for s in self.of(kind) if not s.ok) + (
            self.planned - len(self.samples) if kind is None else 0)

    def achieved_rate(self, kind: str | None = None) -> float:
        done = [s for s in self.of(kind) if s.ok]
        return len(done) / self.elapsed if self.elapsed > 0 else 0.0

    def percentile_ms(self, q: float, kind: str | None = None) -> float:
        values = sorted(s.latency for s in self.of(kind))
        if not values:
            return float("nan")
        rank = min(len(values) - 1, max(0, math.ceil(q / 100 * len(values)) - 1))
        return values[rank] * 1000


async def open_loop(client: Client, make: Callable[[int], Request], rate: float,
                    duration: float, *, max_requests: int | None = None,
                    timeout: float = 5.0,
                    check: Callable[[Request, Response], bool] | None = None,
                    on_response: Callable[[int, Request, Response], None] | None = None,
                    ) -> LoadResult:
    """Send ``rate`` requests per second for ``duration`` seconds (at most ``max_requests``)."""
    planned = int(rate * duration)
    if max_requests is not None:
        planned = min(planned, max_requests)
    result = LoadResult(rate, planned)
    loop = asyncio.get_running_loop()
    start = loop.time() + 0.05
    interval = 1.0 / rate

    async def one(index: int, due: float) -> None:
        request = make(index)
        try:
            response = await asyncio.wait_for(client.send(request), timeout)
        except (TimeoutError, OSError, ConnectionError, asyncio.IncompleteReadError, ValueError):
            result.samples.append(Sample(request.kind, due, loop.time() - due, 0, False))
            return
        latency = loop.time() - due
        ok = 200 <= response.status < 300 and (check is None or check(request, response))
        result.samples.append(Sample(request.kind, due, latency, response.status, ok))
        if on_response is not None and ok:
            on_response(index, request, response)

    tasks = []
    for index in range(planned):
        due = start + index * interval
        delay = due - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        else:
            result.max_send_lag = max(result.max_send_lag, -delay)
        tasks.append(asyncio.ensure_future(one(index, due)))
    if tasks:
        await asyncio.wait(tasks, timeout=timeout + 1.0)
    end = max((s.due + s.latency for s in result.samples), default=loop.time())
    result.elapsed = max(end - start, planned * interval)
    for task in tasks:
        task.cancel()
    return result


def sustained(result: LoadResult, p99_limit_ms: float, min_fraction: float = 0.95) -> bool:
    """The server kept up: no errors, p99 within the limit, and it completed what was offered."""
    return (result.errors() == 0
            and result.percentile_ms(99) <= p99_limit_ms
            and result.achieved_rate() >= min_fraction * result.offered_rate)


def wall_clock() -> float:
    return time.perf_counter()
