"""A whole file in parallel ranges, verified against its whole-file sha256: over a real socket, both HTTP paths.

The storage stand-in (``conftest.LocalStorage``) answers ``Range`` with 206 and can drop a connection part
way through a body, stall, or ignore ranges; each case must end in the exact bytes (or a typed error) and
never in a file under the real name that was not verified.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from methodic.errors import IntegrityError, PartLayoutError
from methodic.transfer.config import RetryPolicy, StallPolicy
from methodic.transfer.directget import DirectGetter
from methodic.transfer.pool import TransferPool
from methodic.transfer.progress import ProgressSink
from methodic.transfer.ranged_whole import download_ranges
from tests.transfer.local_storage import LocalStorage
from tests.transfer.progress import CountingProgress

MiB = 1 << 20
NO_SLEEP = RetryPolicy(max_attempts=4, sleep=lambda s: None)


@pytest.fixture(params=["direct", "httpx"])
def direct(request: pytest.FixtureRequest) -> DirectGetter | None:
    return DirectGetter(timeout=5, user_agent="methodic-test") if request.param == "direct" else None


@pytest.fixture
def pool() -> Iterator[TransferPool]:
    workers = TransferPool(4)
    yield workers
    workers.close()


def _put(storage: LocalStorage, name: str, size: int) -> bytes:
    data = os.urandom(size)
    storage.state.objects[f"/bucket/{name}"] = data
    return data


def _download(
    storage: LocalStorage,
    pool: TransferPool,
    name: str,
    dest: Path,
    data: bytes,
    direct: DirectGetter | None,
    *,
    range_size: int = MiB,
    expected_sha256: str | None = None,
    progress: ProgressSink | None = None,
    stall: StallPolicy | None = None,
) -> int:
    with httpx.Client(timeout=5) as client:
        return download_ranges(
            client,
            pool,
            f"{storage.url}/bucket/{name}?X-Amz-Signature=topsecret",
            dest,
            size=len(data),
            expected_sha256=expected_sha256 or hashlib.sha256(data).hexdigest(),
            retry=NO_SLEEP,
            range_size=range_size,
            direct=direct,
            progress=progress,
            stall=stall,
        ).size


def _ranges(storage: LocalStorage) -> list[tuple[int, int] | None]:
    out: list[tuple[int, int] | None] = []
    for request in storage.state.requests:
        wanted = {k.lower(): v for k, v in request.headers.items()}.get("range")
        match = re.fullmatch(r"bytes=(\d+)-(\d+)", wanted or "")
        out.append((int(match.group(1)), int(match.group(2))) if match else None)
    return out


def test_ranges_cover_the_file_once_and_progress_counts_each_byte_once(
    tmp_path: Path, local_storage: LocalStorage, pool: TransferPool, direct: DirectGetter | None
) -> None:
    data = _put(local_storage, "a.bin", 5 * MiB + 321)
    count = CountingProgress()
    size = _download(
        local_storage, pool, "a.bin", tmp_path / "a.bin", data, direct, progress=ProgressSink(count, len(data), "a")
    )
    assert size == len(data) and (tmp_path / "a.bin").read_bytes() == data and count.counted == len(data)
    assert sorted(r for r in _ranges(local_storage) if r) == [
        (i * MiB, min((i + 1) * MiB, len(data)) - 1) for i in range(6)
    ]
    assert [p.name for p in tmp_path.iterdir()] == ["a.bin"]


def test_a_range_cut_short_asks_again_only_for_what_it_did_not_write(
    tmp_path: Path, local_storage: LocalStorage, pool: TransferPool, direct: DirectGetter | None
) -> None:
    data = _put(local_storage, "b.bin", 8 * MiB)
    local_storage.state.drop_next_gets = 1  # the first range loses its connection after 2.5 MiB of its 4
    local_storage.state.drop_after = 5 * MiB // 2
    count = CountingProgress()
    _download(
        local_storage,
        pool,
        "b.bin",
        tmp_path / "b.bin",
        data,
        direct,
        range_size=4 * MiB,
        progress=ProgressSink(count, len(data), "b"),
    )
    assert (tmp_path / "b.bin").read_bytes() == data and count.counted == len(data)
    first, *rest = _ranges(local_storage)
    assert first == (0, 4 * MiB - 1)
    again = [r for r in rest if r is not None and r[0] < 4 * MiB]
    # written past the cache in whole MiB where it can (2 MiB of the 2.5 landed), byte by byte where it cannot
    assert len(again) == 1 and 2 * MiB <= again[0][0] <= 5 * MiB // 2 and again[0][1] == 4 * MiB - 1


def test_storage_that_ignores_range_is_read_in_one_get_and_verified(
    tmp_path: Path, local_storage: LocalStorage, pool: TransferPool, direct: DirectGetter | None
) -> None:
    data = _put(local_storage, "c.bin", 6 * MiB)
    local_storage.state.serve_ranges = False
    _download(local_storage, pool, "c.bin", tmp_path / "c.bin", data, direct)
    assert (tmp_path / "c.bin").read_bytes() == data
    assert _ranges(local_storage) == [(0, MiB - 1), None]  # the first range came back whole; then one plain GET
    assert [p.name for p in tmp_path.iterdir()] == ["c.bin"]


def test_bytes_that_do_not_match_the_sha256_leave_no_file(
    tmp_path: Path, local_storage: LocalStorage, pool: TransferPool, direct: DirectGetter | None
) -> None:
    data = _put(local_storage, "d.bin", 3 * MiB + 5)
    with pytest.raises(IntegrityError, match="sha256") as caught:
        _download(local_storage, pool, "d.bin", tmp_path / "d.bin", data, direct, expected_sha256="0" * 64)
    assert "topsecret" not in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_a_stalled_range_is_retried(tmp_path: Path, local_storage: LocalStorage, pool: TransferPool) -> None:
    data = _put(local_storage, "e.bin", 3 * MiB)
    local_storage.state.stall_next_gets = 1
    local_storage.state.stall_seconds = 1.5
    getter = DirectGetter(timeout=5, user_agent="t")
    _download(
        local_storage, pool, "e.bin", tmp_path / "e.bin", data, getter, stall=StallPolicy(window=0.4, min_bytes=1)
    )
    assert (tmp_path / "e.bin").read_bytes() == data
    assert len(local_storage.state.requests) == 4  # three ranges, one of them twice


def test_a_hostile_size_is_refused_before_any_request(
    tmp_path: Path, local_storage: LocalStorage, pool: TransferPool
) -> None:
    with httpx.Client(timeout=5) as client, pytest.raises(PartLayoutError):
        download_ranges(
            client,
            pool,
            f"{local_storage.url}/bucket/x",
            tmp_path / "x",
            size=(5 << 40) + 1,
            expected_sha256="0" * 64,
            retry=NO_SLEEP,
            range_size=MiB,
        )
    assert local_storage.state.requests == [] and list(tmp_path.iterdir()) == []
