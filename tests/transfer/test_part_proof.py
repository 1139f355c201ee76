"""A resume proves the leading recorded parts by their fast hash (``methodic.transfer.part_proof``).

* a first upload records each part with the xxh3-128 of the bytes it sent;
* after kill -9, a resume proves the leading run of recorded parts by that hash alone (no sha256 pass over
  them), goes on from the last one's midstate, and ends in one ready asset whose sha256 is the file's;
* a part rewritten in place inside that run (same size, mtime put back) fails the resume, and nothing
  becomes ready; a recorded hash that does not match the unchanged file fails it too (the hash is compared,
  not trusted);
* the run stops at the first part without a fast hash or a midstate, or of the wrong size;
* a tracker of schema 9 (parts without the column) is brought up, its parts without a fast hash;
* a part storage acknowledged before its midstate was known is recorded again with it once it is.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import xxhash

from methodic import Chronicle, UploadTracker
from methodic.errors import FileChangedError, UploadError
from methodic.transfer import part_proof
from methodic.transfer.bounds import PartLayout
from methodic.transfer.ledger.records import PartRecord
from methodic.transfer.part_pass import PartPass
from methodic_contract import part_range
from methodic_server import LocalChronicle
from tests.helpers import sha256_file
from tests.transfer.mixed_version import (
    PART,
    SIZE,
    MiB,
    killed_halfway,
    needs_states,
    recorded_parts,
    rewrite_keeping_mtime,
    state_after,
    write_seeded,
)


def _with_midstates(db: Path, data: bytes, numbers: range) -> None:
    """Record each of ``numbers`` with the midstate the engine records when its hasher is ahead of storage.

    Whether it was ahead at the kill depends on the machine's load (a part acknowledged first is recorded
    without one); the states here are what it computes (``tests/transfer/test_midstate.py`` checks that).
    """
    conn = sqlite3.connect(db)
    with conn:
        for number in numbers:
            state = state_after(data[: sum(part_range(SIZE, PART, number))])
            conn.execute("UPDATE parts SET midstate = ? WHERE part_number = ?", (state, number))
    conn.close()


def _watch(monkeypatch: pytest.MonkeyPatch) -> tuple[list[int], list[int]]:
    """(parts the resume's hasher fed to a sha256, leading parts proven by the fast hash)."""
    fed: list[int] = []
    proven: list[int] = []
    feed, prove = PartPass._feed, part_proof.prove_run

    def counted_feed(self: PartPass, f: Any, number: int, *args: Any, **kwargs: Any) -> None:
        fed.append(number)
        feed(self, f, number, *args, **kwargs)

    def counted_prove(*args: Any) -> bool:
        up, f, layout, recorded, count, on_proven, stopped = args

        def noted(number: int, length: int) -> None:
            proven.append(number)
            on_proven(number, length)

        return prove(up, f, layout, recorded, count, noted, stopped)

    monkeypatch.setattr(PartPass, "_feed", counted_feed)
    monkeypatch.setattr(part_proof, "prove_run", counted_prove)
    return fed, proven


@needs_states
@pytest.mark.slow
def test_a_resume_proves_the_leading_recorded_parts_by_their_fast_hash_alone(
    slow_storage: LocalChronicle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ckpt, db = tmp_path / "ckpt", tmp_path / "uploads.sqlite"
    big = ckpt / "optimizer.pt"
    write_seeded(big, SIZE, seed=31)
    asset_id, recorded = killed_halfway(slow_storage, ckpt, db)
    parts = recorded_parts(db)
    data = big.read_bytes()
    for number, part in parts.items():  # each recorded with the xxh3-128 of exactly its bytes
        offset, length = part_range(SIZE, PART, number)
        assert part.fast == xxhash.xxh3_128_hexdigest(data[offset : offset + length])
    leading = 0
    while leading + 1 in parts:
        leading += 1
    assert leading >= 3, sorted(parts)
    _with_midstates(db, data, range(1, leading + 1))
    fed, proven = _watch(monkeypatch)
    with Chronicle(slow_storage.url, slow_storage.api_key) as client, UploadTracker(db) as tracker:
        (asset,) = client.resume_uploads(tracker)
    assert asset.id == asset_id and asset.state == "ready"
    assert asset.components[0]["sha256"] == sha256_file(big)
    assert proven == list(range(1, leading + 1))
    assert not set(fed) & set(proven)  # no sha256 pass over what the fast hash proved
    assert set(recorded) == set(parts)


@needs_states
@pytest.mark.slow
def test_a_rewrite_inside_the_leading_run_fails_the_resume_and_nothing_becomes_ready(
    slow_storage: LocalChronicle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ckpt, db = tmp_path / "ckpt", tmp_path / "uploads.sqlite"
    big = ckpt / "optimizer.pt"
    write_seeded(big, SIZE, seed=32)
    asset_id, _ = killed_halfway(slow_storage, ckpt, db)
    parts = recorded_parts(db)
    assert all(n in parts for n in (1, 2, 3)), sorted(parts)
    _with_midstates(db, big.read_bytes(), range(1, 4))
    offset, _ = part_range(SIZE, PART, 2)  # not one of the two the spot check re-reads first
    rewrite_keeping_mtime(big, offset + 100, 10, seed=33)
    fed, proven = _watch(monkeypatch)
    with Chronicle(slow_storage.url, slow_storage.api_key) as client, UploadTracker(db) as tracker:
        with pytest.raises(UploadError) as caught:
            client.resume_uploads(tracker)
        errors = [e for _, _, e in caught.value.failures]
        assert any(isinstance(e, FileChangedError) and "part 2 " in str(e) for e in errors), errors
        assert "mix two versions" in str(caught.value)
        assert client.assets.get(asset_id).state == "pending"
    assert proven == [1]  # part 1 matched; part 2 was caught by its fast hash
    assert 2 not in fed


@pytest.mark.slow
def test_a_recorded_fast_hash_is_compared_not_trusted(slow_storage: LocalChronicle, tmp_path: Path) -> None:
    ckpt, db = tmp_path / "ckpt", tmp_path / "uploads.sqlite"
    big = ckpt / "optimizer.pt"
    write_seeded(big, SIZE, seed=34)
    asset_id, _ = killed_halfway(slow_storage, ckpt, db)
    conn = sqlite3.connect(db)
    with conn:  # the file is untouched; only the record of part 3 says other bytes were sent
        conn.execute("UPDATE parts SET fast = ? WHERE part_number = 3", ("0" * 32,))
    conn.close()
    with Chronicle(slow_storage.url, slow_storage.api_key) as client, UploadTracker(db) as tracker:
        with pytest.raises(UploadError) as caught:
            client.resume_uploads(tracker)
        errors = [e for _, _, e in caught.value.failures]
        assert any(isinstance(e, FileChangedError) and "part 3 " in str(e) for e in errors), errors
        assert client.assets.get(asset_id).state == "pending"


@needs_states
def test_the_provable_run_stops_at_the_first_part_it_cannot_prove_by_the_fast_hash() -> None:
    layout = PartLayout(size=10 * 100, part_size=100, count=10)

    def part(number: int, *, fast: str | None = "0f" * 16, mid: str | None = "", size: int = 100) -> PartRecord:
        state = state_after(bytes(100 * number)) if mid == "" else mid
        return PartRecord(number, size, "e", "", midstate=state, fast=fast)

    full = {n: part(n) for n in range(1, 11)}
    assert part_proof.provable_run(full, layout, 10) == 10
    assert part_proof.provable_run(full, layout, 6) == 6  # never past the frontier
    assert part_proof.provable_run({**full, 4: part(4, fast=None)}, layout, 10) == 3
    assert part_proof.provable_run({**full, 4: part(4, fast="not hex at all, thirty-two chars")}, layout, 10) == 3
    assert part_proof.provable_run({**full, 4: part(4, fast="0f" * 8)}, layout, 10) == 3  # too short
    assert part_proof.provable_run({**full, 4: part(4, mid=None)}, layout, 10) == 3
    assert part_proof.provable_run({**full, 4: part(4, size=99)}, layout, 10) == 3
    assert part_proof.provable_run({n: p for n, p in full.items() if n != 4}, layout, 10) == 3
    assert part_proof.provable_run({n: p for n, p in full.items() if n != 1}, layout, 10) == 0
    # The last part's state must be of exactly the bytes up to its end, else the run ends before it.
    assert part_proof.provable_run({**full, 10: part(10, mid=state_after(bytes(900)))}, layout, 10) == 9
    assert part_proof.provable_run({**full, 10: part(10, mid="zz" * 112)}, layout, 10) == 9
    assert part_proof.provable_run({**full, 10: part(10, mid="00" * 112)}, layout, 10) == 9


def test_a_schema_9_tracker_is_brought_up_with_parts_without_fast_hashes(tmp_path: Path) -> None:
    db = tmp_path / "uploads.sqlite"
    with UploadTracker(db):
        pass
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("ALTER TABLE parts DROP COLUMN fast")
        conn.execute("INSERT INTO parts VALUES ('a', 'f', 'u', 1, 10, 'e', ?, ?)", ("ab" * 32, "cd" * 112))
        conn.execute("UPDATE meta SET value = '9' WHERE key = 'schema_version'")
    conn.close()
    with UploadTracker(db) as tracker:
        (only,) = tracker.get_parts("a", "f", "u").values()
        assert (only.midstate, only.fast) == ("cd" * 112, None)
        tracker.mark_part_completed("a", "f", "u", PartRecord(2, 10, "e2", "", midstate="ef" * 112, fast="01" * 16))
        assert tracker.get_parts("a", "f", "u")[2].fast == "01" * 16


@needs_states
def test_a_part_acknowledged_before_its_midstate_is_recorded_again_with_it(
    slow_storage: LocalChronicle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ckpt, db = tmp_path / "ckpt", tmp_path / "uploads.sqlite"
    big = ckpt / "optimizer.pt"
    size = 8 * PART
    write_seeded(big, size, seed=35)
    writes: list[PartRecord] = []
    writers: set[str] = set()
    record = UploadTracker.mark_part_completed

    def noted(self: UploadTracker, asset_id: str, name: str, upload_id: str, part: PartRecord) -> None:
        record(self, asset_id, name, upload_id, part)
        writes.append(part)
        writers.add(threading.current_thread().name)

    check = PartPass._check_in_order

    def late_checker(self: PartPass) -> None:  # publishes no midstate before storage acknowledged every part
        deadline = time.monotonic() + 30
        while len({p.part_number for p in writes}) < self.layout.count and time.monotonic() < deadline:
            time.sleep(0.01)
        check(self)

    monkeypatch.setattr(UploadTracker, "mark_part_completed", noted)
    monkeypatch.setattr(PartPass, "_check_in_order", late_checker)
    with Chronicle(
        slow_storage.url, slow_storage.api_key, max_upload_workers=4, multipart_threshold=2 * MiB, min_part_size=PART
    ) as client:
        exp = client.experiments.create(title="t", hypothesis_summary="h", config_yaml="lr: 1")
        exp.commit()
        client.variation(exp.id, 0).commit(commit_without_hypothesis=True)
        run = client.run(exp.id, 0, 0).start()
        with UploadTracker(db) as tracker:
            asset = run.register_and_upload_async(local_dir=ckpt, asset_type="checkpoint", upload_tracker=tracker)
            assert asset.wait().state == "ready"
    data = big.read_bytes()
    first = {p.part_number: p for p in reversed(writes)}  # each part's first write
    last = {p.part_number: p for p in writes}  # and its last
    assert sorted(last) == list(range(1, 9))
    assert all(first[n].midstate is None for n in last)  # acknowledged before any state was published
    for number, part in last.items():  # then recorded again, with the state after exactly its bytes
        assert part.midstate == state_after(data[: sum(part_range(size, PART, number))])
        assert part.fast == first[number].fast and part.etag == first[number].etag
    # Written on the part pool's long-lived threads: a checker thread (one per component) would open a
    # database connection of its own each time, kept until the tracker closes.
    assert not [name for name in writers if name.startswith("methodic-check")], writers
