"""Concurrency: 50 runs heartbeating from 50 threads through one Chronicle, vs the same load on bare httpx.

Reports requests per second, p50/p99 latency and errors. The server shares the machine's two cores
with the client, so the absolute numbers are the server's; the ratio shows what the SDK adds.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import httpx

from benchmarks._common import Row
from methodic import Chronicle
from methodic_server import LocalChronicle

THREADS = 50


def _load(duration: float, beat: Callable[[int], None]) -> tuple[float, float, float, int]:
    latencies: list[list[float]] = [[] for _ in range(THREADS)]
    errors = [0] * THREADS
    stop = time.monotonic() + duration

    def worker(i: int) -> None:
        while time.monotonic() < stop:
            t = time.perf_counter()
            try:
                beat(i)
            except Exception:
                errors[i] += 1
            latencies[i].append(time.perf_counter() - t)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    flat = sorted(x for per in latencies for x in per)
    p50, p99 = flat[len(flat) // 2], flat[int(len(flat) * 0.99)]
    return len(flat) / elapsed, p50 * 1000, p99 * 1000, sum(errors)


def run(quick: bool = False) -> list[Row]:
    duration = 5.0 if quick else 30.0
    with LocalChronicle() as server, Chronicle(server.url, server.api_key) as chronicle:
        exp = chronicle.experiments.create(title="load", hypothesis_summary="h", config_yaml="a: 1\n").commit()
        for _ in range(THREADS - 1):
            exp.variations.create(config_yaml="a: 1\n")
        runs = []
        for v in range(THREADS):
            chronicle.variations.commit(exp.id, v, commit_without_hypothesis=True)
            runs.append(chronicle.run(exp.id, v, 0).start())
        sdk = _load(duration, lambda i: runs[i].heartbeat() and None)
        bare_client = httpx.Client(
            base_url=server.url,
            headers={"Authorization": f"Bearer {server.api_key}"},
            timeout=30,
            limits=httpx.Limits(max_connections=100, max_keepalive_connections=100),
        )
        paths = [f"/v1/experiments/{exp.id}/variations/{v}/runs/0/heartbeat" for v in range(THREADS)]
        bare = _load(duration, lambda i: bare_client.put(paths[i]).raise_for_status() and None)
        bare_client.close()
    rps, p50, p99, errors = sdk
    b_rps, b_p50, b_p99, b_errors = bare
    return [
        Row(
            f"{THREADS} threads × {duration:.0f} s heartbeats: throughput",
            f"{rps:.0f} req/s",
            f"{b_rps:.0f} req/s (bare httpx)",
            rps / b_rps,
            "0 errors",
            errors == 0,
            f"SDK p50 {p50:.1f} ms, p99 {p99:.1f} ms, {errors} errors; bare p50 {b_p50:.1f} ms, p99 {b_p99:.1f} ms,"
            f" {b_errors} errors",
        ),
    ]
