"""The load generator: an HTTP client posting activities to a bot (or to several instances of it), closed loop.

``concurrency`` workers each post one activity, wait for the HTTP answer, and post the next,
until ``max_requests`` have been sent or ``duration`` seconds have passed (both bounds always
apply, so a slow or hung bot cannot make a run last longer). Latency is measured per request
from just before the POST to the end of the response body; throughput is completed requests
divided by the wall time of the run.
"""

from __future__ import annotations

import asyncio
import math
import statistics
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass
class LoadResult:
    concurrency: int
    elapsed: float = 0.0
    latencies: list[float] = field(default_factory=list)  # seconds, successful requests only
    statuses: Counter[int] = field(default_factory=Counter)
    errors: int = 0  # non-2xx answers and transport errors

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def throughput(self) -> float:
        """Successful requests per second."""
        return self.requests / self.elapsed if self.elapsed > 0 else 0.0

    def percentile(self, p: float) -> float:
        """The ``p``-th percentile latency in seconds (nearest rank)."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        rank = max(0, min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1))
        return ordered[rank]

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies) if self.latencies else float("nan")

    @property
    def p99(self) -> float:
        return self.percentile(99)


async def run_load(
    url: str | Sequence[str],
    body: Callable[[int], bytes],
    *,
    concurrency: int,
    duration: float,
    max_requests: int,
) -> LoadResult:
    """Post ``body(i)`` for i = 0, 1, ... from ``concurrency`` workers; bounded in count and time.

    With several URLs (several instances of one service) the workers are dealt out over them in
    turn, so each URL gets the same number of workers. Each worker keeps one HTTP/1.1 connection
    (see ``_Connection``)."""
    urls = [url] if isinstance(url, str) else list(url)
    if not urls or not all(u.startswith(("http://127.0.0.1", "http://localhost")) for u in urls):
        raise ValueError("the load generator only talks to loopback")
    result = LoadResult(concurrency=concurrency)
    counter = iter(range(max_requests))
    start = time.perf_counter()
    deadline = start + duration
    timeout = max(10.0, duration)

    async def worker(url: str) -> None:
        conn = _Connection(url)
        try:
            for i in counter:
                if time.perf_counter() >= deadline:
                    return
                data = body(i)
                t0 = time.perf_counter()
                try:
                    status = await asyncio.wait_for(conn.post(data), timeout)
                except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
                    conn.close()  # a fresh connection for the next request
                    result.errors += 1
                    result.statuses[0] += 1
                    continue
                t1 = time.perf_counter()
                result.statuses[status] += 1
                if 200 <= status < 300:
                    result.latencies.append(t1 - t0)
                else:
                    result.errors += 1
        finally:
            conn.close()

    try:
        await asyncio.gather(*(worker(urls[k % len(urls)]) for k in range(concurrency)))
    finally:
        result.elapsed = time.perf_counter() - start
    return result


class _Connection:
    """One keep-alive HTTP/1.1 connection posting JSON, and nothing else.

    The load generator shares the machine with what it measures (and, on two cores, with
    PostgreSQL and a second instance), so it does the least it can per request: the request head is
    built once, and an answer is read by its Content-Length (every answer of the bots measured has
    one). A general HTTP client costs about twice the CPU per request."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        self.head = (f"POST {path} HTTP/1.1\r\nHost: {parts.netloc}\r\nContent-Type: application/json\r\n"
                     "Content-Length: ").encode("ascii")
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, data: bytes) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        reader, writer = self.reader, self.writer
        assert reader is not None
        writer.write(self.head + str(len(data)).encode("ascii") + b"\r\n\r\n" + data)
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
        if "content-length" not in headers:
            raise ValueError(f"an answer without Content-Length ({headers.get('transfer-encoding', 'no length')})")
        await reader.readexactly(int(headers["content-length"]))
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None
