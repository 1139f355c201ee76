"""Multipart pieces that need no server: part sizes, the part-wise checksum, work sharing, the tracker's parts."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from pathlib import Path

import pytest

from methodic.transfer.multipart import buffer_count, choose_part_size
from methodic.transfer.parallel import run_shared
from methodic.transfer.pool import TransferPool
from methodic.transfer.tracker import SCHEMA_VERSION, PartRecord, UploadTracker
from methodic_contract import MAX_PARTS, part_checksum, part_count, part_range

MiB = 1 << 20
TiB = 1 << 40


@pytest.mark.parametrize("size", [1, 8 * MiB, 64 * MiB + 1, 78 * 1024 * MiB, 100 * 1024 * MiB, 5 * TiB])
def test_part_size_keeps_every_file_up_to_5_tib_within_10000_parts_of_at_least_8_mib(size: int) -> None:
    part_size = choose_part_size(size, 8 * MiB, None)
    assert part_size >= 8 * MiB and part_size % MiB == 0
    assert part_count(size, part_size) <= MAX_PARTS
    if size <= MAX_PARTS * 8 * MiB:
        assert part_size == 8 * MiB  # the minimum while it fits: small parts lose least to a crash


def test_part_size_never_exceeds_the_gateways_max_part_bytes_and_buffers_stay_bounded() -> None:
    assert choose_part_size(100 * MiB, 5 * MiB, MiB) == MiB  # the gateway's limit wins over the minimum
    assert choose_part_size(100 * MiB, 5 * MiB, 64 * MiB) == 5 * MiB
    assert buffer_count(5 * MiB, 8) == 8  # 40 MiB of buffers: seven parts in flight while one is read
    assert buffer_count(MiB, 8) == 9  # one per part worker plus the one being read
    assert buffer_count(512 * MiB, 8) == 2  # huge parts: still one read overlapping one send


def test_part_ranges_tile_the_file_and_the_checksum_is_sha256_of_part_digests() -> None:
    data = bytes(range(256)) * 41  # 10,496 bytes: parts of 4,096 make 3, the last one short
    size, part_size = len(data), 4096
    ranges = [part_range(size, part_size, n) for n in range(1, part_count(size, part_size) + 1)]
    assert ranges == [(0, 4096), (4096, 4096), (8192, 2304)]
    digests = [hashlib.sha256(data[o : o + n]).digest() for o, n in ranges]
    assert part_checksum(digests) == hashlib.sha256(b"".join(digests)).hexdigest()
    assert part_checksum(digests) != hashlib.sha256(data).hexdigest()  # a different name-space from one PUT's


def test_run_shared_from_inside_a_busy_pool_never_deadlocks() -> None:
    # One worker, already taken by the caller itself: the helpers it queues cannot start, so it does the work.
    pool = TransferPool(1)
    done: list[int] = []
    lock = threading.Lock()

    def work(item: int) -> None:
        with lock:
            done.append(item)

    outcome = pool.submit(run_shared, pool, list(range(50)), work)
    assert outcome.result(timeout=10) == []
    assert sorted(done) == list(range(50))
    pool.close()


def test_run_shared_spreads_over_workers_and_stops_after_a_failure() -> None:
    pool = TransferPool(4)
    threads: set[str] = set()
    barrier = threading.Barrier(4, timeout=10)

    def work(item: int) -> None:
        threads.add(threading.current_thread().name)
        if item < 4:
            barrier.wait()  # passes only if four threads (caller + 3 helpers) work at once
        if item == 10:
            raise ValueError("part 10 failed")

    failures = run_shared(pool, list(range(100)), work)
    assert [(item, str(exc)) for item, exc in failures] == [(10, "part 10 failed")]
    assert len(threads) == 4
    pool.close()


def test_tracker_records_parts_per_upload_and_migrates_schema_3(tmp_path: Path) -> None:
    db = tmp_path / "t.sqlite"
    with UploadTracker(db) as tracker:
        tracker.register_components(
            "a", components=[{"name": "big.bin", "local_path": "/d/big.bin", "size": 20}], asset_type="c"
        )
        tracker.start_multipart("a", "big.bin", "up-1", 8)
        tracker.mark_part_completed("a", "big.bin", "up-1", PartRecord(1, 8, '"e1"', "11" * 32))
        tracker.mark_part_completed("a", "big.bin", "up-1", PartRecord(2, 8, '"e2"', "22" * 32))
        tracker.forget_parts("a", "big.bin", "up-1", [2])
        (component,) = tracker.get_asset("a").components  # type: ignore[union-attr]
        assert (component.upload_id, component.part_size) == ("up-1", 8)
        assert tracker.get_parts("a", "big.bin", "up-1") == {1: PartRecord(1, 8, '"e1"', "11" * 32)}
        tracker.start_multipart("a", "big.bin", "up-2", 8)  # a new upload: the old one's parts are gone
        assert tracker.get_parts("a", "big.bin", "up-1") == {}
        tracker.forget("a")
    # A version-3 file (before multipart) is brought up to date, its rows intact.
    old = tmp_path / "v3.sqlite"
    UploadTracker(old).close()
    conn = sqlite3.connect(old)
    conn.executescript(
        """
        DROP TABLE parts;
        ALTER TABLE assets DROP COLUMN shared;
        ALTER TABLE assets DROP COLUMN route;
        ALTER TABLE assets DROP COLUMN max_part_bytes;
        CREATE TABLE c2 AS SELECT asset_id, name, local_path, size, content_type, state, sha256, upload_url,
            url_expires_at, attempts, last_error, updated_at, source_path, mtime_ns, inode FROM components;
        DROP TABLE components;
        ALTER TABLE c2 RENAME TO components;
        UPDATE meta SET value = '3' WHERE key = 'schema_version';
        INSERT INTO assets (asset_id, asset_type, registered_at, state) VALUES ('old', 'c', 1.0, 'pending');
        INSERT INTO components VALUES ('old', 'a.bin', '/x/a.bin', 3, 'application/octet-stream', 'uploading',
            NULL, NULL, NULL, 1, NULL, 1.0, NULL, NULL, NULL);
        """
    )
    conn.commit()
    conn.close()
    with UploadTracker(old) as tracker:
        (pending,) = tracker.get_pending_uploads()
        assert pending.components[0].upload_id is None and pending.components[0].part_size is None
        assert pending.shared is False  # schema 5: an asset registered before distributed uploads is whole
        tracker.start_multipart("old", "a.bin", "u", 1 << 20)
        assert tracker.get_parts("old", "a.bin", "u") == {}
    conn = sqlite3.connect(old)
    assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (str(SCHEMA_VERSION),)
    conn.close()
