"""UploadTracker throughput vs raw sqlite3 doing the same writes with the same durability.

Registering 10,000 components in one call (one transaction), then marking them completed one by one
from 4 threads (one transaction each, synchronous=FULL, as the tracker does).
"""

from __future__ import annotations

import sqlite3
import tempfile
import threading
import time
from pathlib import Path

from benchmarks._common import Row
from methodic import UploadTracker
from methodic.transfer.files import ComponentSpec


def _specs(n: int) -> list[ComponentSpec]:
    return [ComponentSpec(name=f"shard-{i:05d}.bin", local_path=f"/data/shard-{i:05d}.bin", size=i) for i in range(n)]


def _threads(work: list[list[int]], fn: object) -> float:
    threads = [threading.Thread(target=fn, args=(part,)) for part in work]  # type: ignore[arg-type]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - start


def run(quick: bool = False) -> list[Row]:
    n = 2000 if quick else 10_000
    marks = n // 5 if quick else n
    with tempfile.TemporaryDirectory() as tmp:
        tracker = UploadTracker(Path(tmp) / "t.sqlite")
        specs = _specs(n)
        start = time.perf_counter()
        tracker.register_components(
            "a", components=specs, asset_type="checkpoint", experiment_id="e", variation=0, run=0
        )
        reg = n / (time.perf_counter() - start)
        parts = [list(range(i, marks, 4)) for i in range(4)]
        mark_s = _threads(
            parts, lambda part: [tracker.mark_completed("a", specs[i].name, sha256="0" * 64, size=i) for i in part]
        )
        mark = marks / mark_s
        tracker.close()

        raw_path = Path(tmp) / "raw.sqlite"
        conn = sqlite3.connect(raw_path, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute(
            "CREATE TABLE c (asset TEXT, name TEXT, path TEXT, size INT, state TEXT, sha TEXT,"
            " PRIMARY KEY (asset, name))"
        )
        start = time.perf_counter()
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO c VALUES ('a', ?, ?, ?, 'registered', NULL)", [(s.name, s.local_path, s.size) for s in specs]
        )
        conn.execute("COMMIT")
        raw_reg = n / (time.perf_counter() - start)
        lock = threading.Lock()

        def raw_mark(part: list[int]) -> None:
            for i in part:
                with lock:
                    conn.execute("BEGIN IMMEDIATE")
                    conn.execute(
                        "UPDATE c SET state='completed', sha=? WHERE asset='a' AND name=?", ("0" * 64, specs[i].name)
                    )
                    conn.execute("COMMIT")

        raw_mark_rate = marks / _threads(parts, raw_mark)
        conn.close()
    return [
        Row(
            f"tracker: register {n:,} components (1 call)",
            f"{reg:,.0f} rows/s",
            f"{raw_reg:,.0f} rows/s (raw sqlite3)",
            raw_reg / reg,
            "—",
            None,
            "ratio = how many times slower than raw executemany",
        ),
        Row(
            f"tracker: mark {marks:,} completed, 4 threads",
            f"{mark:,.0f} rows/s",
            f"{raw_mark_rate:,.0f} rows/s (raw sqlite3)",
            raw_mark_rate / mark,
            "—",
            None,
            "one durable (synchronous=FULL) transaction per state change, on both sides",
        ),
    ]
