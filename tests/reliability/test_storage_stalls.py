"""Downloads notice a storage server that drips bytes, and leave a slow but moving one alone (issue 15, 2)."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from methodic.errors import StorageError
from methodic.transfer.config import RetryPolicy, StallPolicy
from methodic.transfer.directget import DirectGetter
from methodic.transfer.get import download_file

from .hostile_api import HostileServer, drip, steady

POLICY = StallPolicy(window=1.0, min_bytes=1000)
ONCE = RetryPolicy(max_attempts=1)


@pytest.mark.parametrize("direct", [True, False], ids=["http.client", "httpx"])
def test_a_dripping_download_is_a_stall(tmp_path: Path, direct: bool) -> None:
    getter = DirectGetter(timeout=30, user_agent="test") if direct else None
    started = time.monotonic()
    with (
        HostileServer(drip(0.1)) as hostile,
        httpx.Client(timeout=30) as client,
        pytest.raises(StorageError, match="stalled"),
    ):
        download_file(client, f"{hostile.url}/o?sig=x", tmp_path / "f", retry=ONCE, stall=POLICY, direct=getter)
    assert time.monotonic() - started < 5  # per-read timeouts alone would wait for 100000 s
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("direct", [True, False], ids=["http.client", "httpx"])
def test_a_slow_but_moving_download_is_not_a_stall(tmp_path: Path, direct: bool) -> None:
    getter = DirectGetter(timeout=30, user_agent="test") if direct else None
    # ~200 KB/s for 3 s: slow for storage, but above what the fast path needs (a 128 KiB buffer per window).
    with HostileServer(steady(600_000, 16_000, 0.08)) as slow, httpx.Client(timeout=30) as client:
        result = download_file(client, f"{slow.url}/o?sig=x", tmp_path / "f", retry=ONCE, stall=POLICY, direct=getter)
    assert result.size == 600_000 and (tmp_path / "f").stat().st_size == 600_000
