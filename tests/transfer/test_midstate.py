"""The whole-file sha256 state kept at part boundaries (``methodic.transfer.midstate``), and the resume that uses it.

* the saved-state sha256 gives hashlib's digest for any data cut into any chunks, and a state saved as hex
  and restored continues to the same digest; a string that is no state is refused;
* a first upload records each part with its midstate; a resume proves those parts by one in-order pass (no
  per-part pass over them) and ends in one ready asset with the file's sha256;
* the fallback (``METHODIC_NO_MIDSTATE``, or the module turned off): parts are recorded without a midstate and
  a resume checks them part by part, and a tracker written either way resumes under the other;
* a tracker of schema 8 (parts without the column) is brought up to the current one, its parts without a midstate.
"""

from __future__ import annotations

import hashlib
import random
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from methodic import Chronicle, UploadTracker
from methodic.transfer import midstate
from methodic.transfer.ledger.records import PartRecord
from methodic.transfer.part_pass import PartPass
from methodic_server import LocalChronicle
from tests.helpers import sha256_file
from tests.transfer.mixed_version import (
    PART,
    SIZE,
    killed_halfway,
    needs_states,
    recorded_parts,
    state_after,
    write_seeded,
)


@needs_states
@pytest.mark.parametrize("seed", range(6))
def test_the_saved_state_sha256_is_hashlibs_for_any_chunking(seed: int) -> None:
    rng = random.Random(seed)
    data = rng.randbytes(rng.randrange(0, 300_000))
    state = midstate.load()
    assert state is not None
    done = 0
    while done < len(data):
        step = rng.choice((1, 63, 64, 65, 4096, rng.randrange(1, 100_000)))
        piece = data[done : done + step]
        state.update(piece if rng.random() < 0.5 else memoryview(bytearray(piece)))
        done += len(piece)
    assert state.hexdigest() == hashlib.sha256(data).hexdigest()
    state.update(b"more")  # hexdigest leaves the state as it was
    assert state.hexdigest() == hashlib.sha256(data + b"more").hexdigest()


@needs_states
@pytest.mark.parametrize("cut", [0, 1, 63, 64, 65, 1000, 4096, 99_999])
def test_a_state_saved_as_hex_and_restored_continues_to_the_same_digest(cut: int) -> None:
    data = random.Random(cut).randbytes(100_000)
    first = midstate.load()
    assert first is not None
    first.update(data[:cut])
    saved = first.state_hex()
    assert len(saved) == midstate.STATE_HEX_LENGTH
    second = midstate.load(saved)
    assert second is not None
    second.update(data[cut:])
    assert second.hexdigest() == hashlib.sha256(data).hexdigest()
    other = midstate.load()
    assert other is not None
    other.update(data[:cut] + b"x")
    assert other.state_hex() != saved  # one byte more is another state


@needs_states
def test_a_string_that_is_no_state_is_refused() -> None:
    with pytest.raises(ValueError):
        midstate.load("00" * 10)
    with pytest.raises(ValueError):
        midstate.load("00" * 112)  # md_len 0: not a sha256 state
    with pytest.raises(ValueError):
        midstate.load("zz" * 112)
    real = midstate.load()
    assert real is not None
    real.update(b"x" * 128)
    assert real.bytes_hashed == 128 and midstate.load(real.state_hex()).bytes_hashed == 128  # type: ignore[union-attr]
    raw = bytearray.fromhex(real.state_hex())
    raw[104:108] = (5).to_bytes(4, "little")  # 5 bytes waiting in the block buffer after 128: no such state
    with pytest.raises(ValueError):
        midstate.load(raw.hex())


def test_turned_off_gives_no_state(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(midstate, "AVAILABLE", False)
    assert midstate.load() is None


def _forget_fast_hashes(db: Path) -> None:
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE parts SET fast = NULL")
    conn.close()


def _count_feeds(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each part the resume's hasher re-read went to the checker's per-part pass too."""
    checked: list[bool] = []
    feed = PartPass._feed

    def counted(self: PartPass, *args: Any, **kwargs: Any) -> None:
        checked.append(bool(kwargs.get("check", True)))
        feed(self, *args, **kwargs)

    monkeypatch.setattr(PartPass, "_feed", counted)
    return checked


def _resume(srv: LocalChronicle, db: Path, asset_id: str, big: Path) -> None:
    with Chronicle(srv.url, srv.api_key) as client, UploadTracker(db) as tracker:
        (asset,) = client.resume_uploads(tracker)
    assert asset.id == asset_id and asset.state == "ready"
    assert asset.components[0]["sha256"] == sha256_file(big)


@needs_states
@pytest.mark.slow
def test_parts_are_recorded_with_midstates_and_a_resume_proves_them_in_one_pass(
    slow_storage: LocalChronicle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ckpt, db = tmp_path / "ckpt", tmp_path / "uploads.sqlite"
    big = ckpt / "optimizer.pt"
    write_seeded(big, SIZE, seed=21)
    asset_id, recorded = killed_halfway(slow_storage, ckpt, db)
    parts = recorded_parts(db)
    with_state = {n for n, p in parts.items() if p.midstate}
    assert len(with_state) >= len(parts) - 4, (sorted(parts), sorted(with_state))  # all but a few in flight
    data = big.read_bytes()
    for number in with_state:  # each is the state after exactly the bytes up to its part's end
        assert state_after(data[: number * PART]) == parts[number].midstate
    _forget_fast_hashes(db)  # as a tracker of schema 9 left them: the midstate pass proves the parts
    checked = _count_feeds(monkeypatch)
    _resume(slow_storage, db, asset_id, big)
    assert checked.count(False) == len(with_state)  # each recorded part with a state: no per-part pass
    assert set(recorded) == set(parts)


@pytest.mark.slow
def test_without_states_parts_are_checked_one_by_one_and_either_tracker_resumes(
    slow_storage: LocalChronicle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ckpt, db = tmp_path / "ckpt", tmp_path / "uploads.sqlite"
    big = ckpt / "optimizer.pt"
    write_seeded(big, SIZE, seed=22)
    monkeypatch.setenv("METHODIC_NO_MIDSTATE", "1")  # the killed child records no midstates
    asset_id, _ = killed_halfway(slow_storage, ckpt, db)
    monkeypatch.delenv("METHODIC_NO_MIDSTATE")
    assert all(p.midstate is None for p in recorded_parts(db).values())
    checked = _count_feeds(monkeypatch)
    _resume(slow_storage, db, asset_id, big)  # states available here (where they are): per-part checks still
    assert checked and all(checked)


@needs_states
@pytest.mark.slow
def test_a_tracker_with_midstates_resumes_where_states_are_turned_off(
    slow_storage: LocalChronicle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ckpt, db = tmp_path / "ckpt", tmp_path / "uploads.sqlite"
    big = ckpt / "optimizer.pt"
    write_seeded(big, SIZE, seed=23)
    asset_id, _ = killed_halfway(slow_storage, ckpt, db)
    assert any(p.midstate for p in recorded_parts(db).values())
    monkeypatch.setattr(midstate, "AVAILABLE", False)
    checked = _count_feeds(monkeypatch)
    _resume(slow_storage, db, asset_id, big)
    assert checked and all(checked)


def test_a_schema_8_tracker_is_brought_up_with_parts_without_midstates(tmp_path: Path) -> None:
    db = tmp_path / "uploads.sqlite"
    with UploadTracker(db):
        pass
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("ALTER TABLE parts DROP COLUMN fast")
        conn.execute("ALTER TABLE parts DROP COLUMN midstate")
        conn.execute("INSERT INTO parts VALUES ('a', 'f', 'u', 1, 10, 'e', ?)", ("ab" * 32,))
        conn.execute("UPDATE meta SET value = '8' WHERE key = 'schema_version'")
    conn.close()
    with UploadTracker(db) as tracker:
        assert tracker.get_parts("a", "f", "u") == {1: PartRecord(1, 10, "e", "ab" * 32)}
        assert tracker.get_parts("a", "f", "u")[1].midstate is None
        tracker.mark_part_completed("a", "f", "u", PartRecord(2, 10, "e2", "cd" * 32, midstate="ef" * 112))
        assert tracker.get_parts("a", "f", "u")[2].midstate == "ef" * 112
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("10",)
    conn.close()


def test_a_tracker_whose_version_row_lags_its_columns_still_comes_up(tmp_path: Path) -> None:
    db = tmp_path / "uploads.sqlite"
    with UploadTracker(db) as tracker:
        tracker.mark_part_completed("a", "f", "u", PartRecord(1, 10, "e", "ab" * 32, midstate="cd" * 112))
    conn = sqlite3.connect(db)
    with conn:  # the parts table already has the column step 8 adds (a merged step, a half-upgraded file)
        conn.execute("UPDATE meta SET value = '7' WHERE key = 'schema_version'")
    conn.close()
    with UploadTracker(db) as tracker:
        assert tracker.get_parts("a", "f", "u")[1].midstate == "cd" * 112
