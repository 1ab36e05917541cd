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
import collections
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


#: Servers close idle keep-alive connections (uvicorn after 5 s); older idle ones are not reused.
MAX_IDLE_SECONDS = 4.0


class _Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.idle_since = time.perf_counter()

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
    """A pool of keep-alive HTTP/1.1 connections to one host.

    Connections are opened on demand up to ``size`` and handed out last-in first-out; a request
    finding none free waits in line for the next one released (that wait counts in its latency).
    """

    def __init__(self, host: str, port: int, size: int = 64,
                 default_headers: tuple[tuple[str, str], ...] = ()) -> None:
        self.host, self.port, self.size = host, port, size
        self.default_headers = default_headers
        self._idle: list[_Connection] = []
        self._open = 0
        self._waiting: collections.deque[asyncio.Future[_Connection | None]] = collections.deque()
        self._encoded: dict[Request, bytes] = {}

    def encode(self, request: Request) -> bytes:
        cached = self._encoded.get(request)
        if cached is not None:
            return cached
        lines = [f"{request.method} {request.path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        for name, value in (*self.default_headers, *request.headers):
            lines.append(f"{name}: {value}")
        body = request.body or b""
        if request.body is not None or request.method in ("POST", "PUT", "PATCH"):
            lines.append(f"Content-Length: {len(body)}")
        raw = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
        if request.body is None and len(self._encoded) < 100_000:
            self._encoded[request] = raw
        return raw

    async def _acquire(self) -> _Connection:
        while self._idle:
            connection = self._idle.pop()
            if time.perf_counter() - connection.idle_since < MAX_IDLE_SECONDS:
                return connection
            connection.close()
            self._open -= 1
        if self._open >= self.size:
            waiter: asyncio.Future[_Connection | None] = (
                asyncio.get_running_loop().create_future())
            self._waiting.append(waiter)
            handed = await waiter
            if handed is not None:
                return handed
        self._open += 1
        try:
            reader, writer = await asyncio.open_connection(self.host, self.port)
        except BaseException:
            self._open -= 1
            raise
        return _Connection(reader, writer)

    def _release(self, connection: _Connection | None) -> None:
        if connection is None or connection.writer.is_closing():
            self._open -= 1
            connection = None
        while self._waiting:
            waiter = self._waiting.popleft()
            if not waiter.done():
                if connection is None:
                    waiter.set_result(None)  # it may open a new connection in the freed place
                else:
                    waiter.set_result(connection)
                return
        if connection is not None:
            connection.idle_since = time.perf_counter()
            self._idle.append(connection)

    async def send(self, request: Request) -> Response:
        raw = self.encode(request)
        connection = await self._acquire()
        try:
            response = await connection.send(raw)
        except BaseException:
            connection.close()
            self._release(None)
            raise
        self._release(connection)
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
    clock = time.perf_counter  # not loop.time(): uvloop's clock ticks in whole milliseconds
    start = clock() + 0.05
    interval = 1.0 / rate

    async def one(index: int, due: float) -> None:
        request = make(index)
        try:
            response = await client.send(request)
        except (OSError, ConnectionError, asyncio.IncompleteReadError, ValueError):
            result.samples.append(Sample(request.kind, due, clock() - due, 0, False))
            return
        latency = clock() - due
        ok = 200 <= response.status < 300 and (check is None or check(request, response))
        result.samples.append(Sample(request.kind, due, latency, response.status, ok))
        if on_response is not None and ok:
            on_response(index, request, response)

    tasks = []
    for index in range(planned):
        due = start + index * interval
        delay = due - clock()
        if delay > 0:
            await asyncio.sleep(delay)
        else:
            result.max_send_lag = max(result.max_send_lag, -delay)
        tasks.append(asyncio.ensure_future(one(index, due)))
    if tasks:
        await asyncio.wait(tasks, timeout=timeout + 1.0)
    end = max((s.due + s.latency for s in result.samples), default=clock())
    result.elapsed = max(end - start, planned * interval)
    for task in tasks:
        task.cancel()
    return result


def sustained(result: LoadResult, p99_limit_ms: float, min_fraction: float = 0.95) -> bool:
    """The server kept up: no errors, p99 within the limit, and it completed what was offered."""
    return (result.errors() == 0
            and result.percentile_ms(99) <= p99_limit_ms
            and result.achieved_rate() >= min_fraction * result.offered_rate)


def run(coroutine: Any) -> Any:
    """Run the generator on uvloop when it is installed (a lighter event loop leaves more CPU to
    the server on a small machine), else on asyncio's own loop."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coroutine)
    return uvloop.run(coroutine)
