"""A resume sends the missing parts while the recorded ones are re-read and matched, and still never mixes versions.

The resume's read (:mod:`methodic.transfer.part_pass`) runs on two threads: the sender starts with the parts
after the last recorded one at once; a hasher re-reads the recorded parts in order, matches each with its
record, and computes the whole sha256, taking the sent parts in order after them (from their buffers, or
re-read and checked against what was sent). These tests hold the matching of a recorded part back to see
what goes on meanwhile, against the real local server, with a child killed halfway (as in
``test_mixed_version_resume``):

* the first missing part is sent and acknowledged before the recorded parts are matched; the asset ends ready
  with the file's sha256 and the progress counts each byte of the file exactly once;
* a rewrite inside a recorded part that is neither the first nor the last (those two are re-read before anything
  moves) is found while the rest is sent: the asset never becomes ready;
* a sent part rewritten before the hasher reached it (its buffer gone, so the hasher reads it again) fails the
  component: the whole sha256 handed to finalize is never of bytes other than those stored.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from methodic import Chronicle, UploadTracker
from methodic.errors import FileChangedError, UploadError
from methodic.transfer.part_pass import PartPass
from methodic_contract import part_count, part_range
from methodic_server import LocalChronicle
from tests.helpers import sha256_file
from tests.transfer.mixed_version import (
    PART,
    SIZE,
    killed_halfway,
    rewrite_keeping_mtime,
    write_seeded,
)


class Counted:
    """A progress callback that adds up what it is told."""

    def __init__(self) -> None:
        self.total = 0
        self.bytes = 0
        self.lock = threading.Lock()

    def on_start(self, total_bytes: int, description: str) -> None:
        self.total = total_bytes

    def on_bytes(self, n: int) -> None:
        with self.lock:
            self.bytes += n

    def on_done(self) -> None:
        pass


def hold_matching(monkeypatch: pytest.MonkeyPatch, until: threading.Event, part: int | None = None) -> list[bool]:
    """The checker waits (up to 30 s) for ``until`` before it judges a recorded part (``part``, or the first).

    A recorded part is judged by its own sha256 (``_checked``) or, proven by its midstate, in ``_proven``.
    """
    waited: list[bool] = []
    checked = PartPass._checked

    def held(self: PartPass, number: int, offset: int, length: int, sha256: str, sent: str | None) -> None:
        if sent is None and not waited and (part is None or number == part):
            waited.append(until.wait(30))
        checked(self, number, offset, length, sha256, sent)

    monkeypatch.setattr(PartPass, "_checked", held)
    proven = PartPass._proven

    def held_proven(self: PartPass, number: int, length: int) -> None:  # a part proven by its midstate
        if not waited and (part is None or number == part):
            waited.append(until.wait(30))
        proven(self, number, length)

    monkeypatch.setattr(PartPass, "_proven", held_proven)
    return waited


def hold_hashing(monkeypatch: pytest.MonkeyPatch, until: threading.Event) -> list[bool]:
    """The hasher waits (up to 30 s) for ``until`` before it reads the first recorded part.

    Where recorded parts carry midstates (or fast hashes) the hasher proves them without the checker, so
    holding the checker would not hold it back; holding the hasher itself makes it re-read the sent parts on
    every path.
    """
    waited: list[bool] = []
    feed, prove = PartPass._feed, PartPass._prove_fast

    def held(self: PartPass, *args: Any, **kwargs: Any) -> None:
        if not waited:
            waited.append(until.wait(30))
        feed(self, *args, **kwargs)

    def held_proof(self: PartPass, f: Any) -> int:  # the leading parts proven by their fast hash come first
        if not waited:
            waited.append(until.wait(30))
        return prove(self, f)

    monkeypatch.setattr(PartPass, "_feed", held)
    monkeypatch.setattr(PartPass, "_prove_fast", held_proof)
    return waited


@pytest.mark.slow
def test_the_missing_parts_go_while_the_recorded_ones_are_matched_and_the_asset_is_the_file(
    slow_storage: LocalChronicle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ckpt, db = tmp_path / "ckpt", tmp_path / "uploads.sqlite"
    big = ckpt / "optimizer.pt"
    write_seeded(big, SIZE, seed=11)
    asset_id, recorded = killed_halfway(slow_storage, ckpt, db)
    before = slow_storage.storage_bytes_received
    sent = threading.Event()

    def watch() -> None:  # set once storage has received a whole part of the resume
        while not sent.wait(0.01):
            if slow_storage.storage_bytes_received - before >= PART:
                sent.set()

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    waited = hold_matching(monkeypatch, sent)
    progress = Counted()
    try:
        with Chronicle(slow_storage.url, slow_storage.api_key) as client, UploadTracker(db) as tracker:
            (asset,) = client.resume_uploads(tracker, progress=progress)
    finally:
        sent.set()
    assert waited == [True]  # a missing part reached storage while the first recorded one was not yet matched
    assert asset.id == asset_id and asset.state == "ready"
    assert asset.components[0]["sha256"] == sha256_file(big)
    assert progress.total == SIZE and progress.bytes == SIZE  # kept parts and sent ones, each byte once
    resent = slow_storage.storage_bytes_received - before
    assert resent <= SIZE - len(recorded) * PART  # nothing recorded went again


@pytest.mark.slow
def test_a_rewrite_inside_the_recorded_parts_found_while_the_rest_is_sent_never_becomes_ready(
    slow_storage: LocalChronicle, tmp_path: Path
) -> None:
    ckpt, db = tmp_path / "ckpt", tmp_path / "uploads.sqlite"
    big = ckpt / "optimizer.pt"
    write_seeded(big, SIZE, seed=12)
    asset_id, recorded = killed_halfway(slow_storage, ckpt, db)
    middle = sorted(recorded)[len(recorded) // 2]
    assert min(recorded) < middle < max(recorded)  # not one of the two re-read before anything moves
    offset, _ = part_range(SIZE, PART, middle)
    rewrite_keeping_mtime(big, offset + 10, 100, seed=13)
    with Chronicle(slow_storage.url, slow_storage.api_key) as client, UploadTracker(db) as tracker:
        with pytest.raises(UploadError) as caught:
            client.resume_uploads(tracker)
        errors = [e for _, _, e in caught.value.failures]
        assert any(isinstance(e, FileChangedError) and f"part {middle} " in str(e) for e in errors), errors
        assert "mix two versions" in str(caught.value)
        assert client.assets.get(asset_id).state == "pending"
        assert client.resume_uploads(tracker) == []  # unrecoverable: a later resume does not finalize it either
        assert client.assets.get(asset_id).state == "pending"


@pytest.mark.slow
def test_a_sent_part_rewritten_before_the_hasher_reads_it_again_fails_and_nothing_is_finalized(
    slow_storage: LocalChronicle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ckpt, db = tmp_path / "ckpt", tmp_path / "uploads.sqlite"
    big = ckpt / "optimizer.pt"
    write_seeded(big, SIZE, seed=14)
    asset_id, recorded = killed_halfway(slow_storage, ckpt, db)
    last = part_count(SIZE, PART)
    assert last not in recorded
    offset, length = part_range(SIZE, PART, last)
    sent_all = threading.Event()
    put = PartPass._send

    def send(self: PartPass, number: int, buffer: bytearray, length_: int, sha256: str, fast: str) -> None:
        put(self, number, buffer, length_, sha256, fast)
        if number == last:  # the last part is in storage: rewrite it before the hasher reaches it
            rewrite_keeping_mtime(big, offset, length, seed=15)
            sent_all.set()

    monkeypatch.setattr(PartPass, "_send", send)
    waited = hold_hashing(monkeypatch, sent_all)
    try:
        with Chronicle(slow_storage.url, slow_storage.api_key) as client, UploadTracker(db) as tracker:
            with pytest.raises(UploadError) as caught:
                client.resume_uploads(tracker)
            assert client.assets.get(asset_id).state == "pending"
    finally:
        sent_all.set()
    assert waited == [True]
    errors = [e for _, _, e in caught.value.failures]
    assert any(
        isinstance(e, FileChangedError) and f"part {last} " in str(e) and "while it was sent" in str(e) for e in errors
    ), errors
