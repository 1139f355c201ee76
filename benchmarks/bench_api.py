"""API call overhead: sequential heartbeats through the SDK vs the same PUT on a bare keep-alive httpx.Client.

Both talk to the same local server over one keep-alive connection, with the same headers, in
alternating rounds; the ratio is the SDK's per-call cost (handle → namespace → generated endpoint →
error hook → model parsing) relative to a raw request.
"""

from __future__ import annotations

import time

import httpx

from benchmarks._common import Row, median, started_run
from methodic import Chronicle
from methodic_server import LocalChronicle


def run(quick: bool = False) -> list[Row]:
    calls = 200 if quick else 1000
    with LocalChronicle() as server, Chronicle(server.url, server.api_key) as chronicle:
        handle = started_run(chronicle)
        path = f"/v1/experiments/{handle.experiment_id}/variations/0/runs/0/heartbeat"
        bare = httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {server.api_key}"}, timeout=30)

        def sdk_loop() -> float:
            start = time.perf_counter()
            for _ in range(calls):
                handle.heartbeat()
            return (time.perf_counter() - start) / calls

        def bare_loop() -> float:
            start = time.perf_counter()
            for _ in range(calls):
                bare.put(path).raise_for_status()
            return (time.perf_counter() - start) / calls

        for _ in range(50):  # warm up both connections and the server
            handle.heartbeat()
            bare.put(path)
        sdk, raw = [], []
        for _ in range(3):
            sdk.append(sdk_loop())
            raw.append(bare_loop())
        bare.close()
    s, b = median(sdk) * 1e6, median(raw) * 1e6
    return [
        Row(
            f"{calls} sequential heartbeats, per call",
            f"{s:.0f} µs",
            f"{b:.0f} µs (bare httpx)",
            s / b,
            "≤ 1.30×",
            s / b <= 1.3,
        )
    ]
