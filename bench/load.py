"""The load generator: an aiohttp client posting activities to a bot (or to several instances of it), closed loop.

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

import aiohttp

HEADERS = {"Content-Type": "application/json"}


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
    session: aiohttp.ClientSession | None = None,
) -> LoadResult:
    """Post ``body(i)`` for i = 0, 1, ... from ``concurrency`` workers; bounded in count and time.

    With several URLs (several instances of one service) the workers are dealt out over them in
    turn, so each URL gets the same number of workers."""
    urls = [url] if isinstance(url, str) else list(url)
    if not urls or not all(u.startswith(("http://127.0.0.1", "http://localhost")) for u in urls):
        raise ValueError("the load generator only talks to loopback")
    own = session is None
    if session is None:
        session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency, force_close=False))
    result = LoadResult(concurrency=concurrency)
    counter = iter(range(max_requests))
    start = time.perf_counter()
    deadline = start + duration
    timeout = aiohttp.ClientTimeout(total=max(10.0, duration))

    async def worker(url: str) -> None:
        for i in counter:
            if time.perf_counter() >= deadline:
                return
            data = body(i)
            t0 = time.perf_counter()
            try:
                async with session.post(url, data=data, headers=HEADERS, timeout=timeout) as resp:
                    await resp.read()
                    status = resp.status
            except (TimeoutError, aiohttp.ClientError):
                result.errors += 1
                result.statuses[0] += 1
                continue
            t1 = time.perf_counter()
            result.statuses[status] += 1
            if 200 <= status < 300:
                result.latencies.append(t1 - t0)
            else:
                result.errors += 1

    try:
        await asyncio.gather(*(worker(urls[k % len(urls)]) for k in range(concurrency)))
    finally:
        result.elapsed = time.perf_counter() - start
        if own:
            await session.close()
    return result
