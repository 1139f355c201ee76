"""The pipelined sha256 gives hashlib's digest for any chunking, and never leaves a thread behind."""

from __future__ import annotations

import hashlib
import os
import threading

import pytest

from methodic._hashing import PipelinedSha256


def _threads() -> int:
    return sum(1 for t in threading.enumerate() if t.name == "methodic-sha256")


@pytest.mark.parametrize(
    "sizes",
    [[], [0], [1], [100, 0, 5], [65536] * 40, [1 << 20, 3, 1 << 20, 7], [300_000] * 17],
)
def test_digest_matches_hashlib(sizes: list[int]) -> None:
    chunks = [os.urandom(n) for n in sizes]
    hasher = PipelinedSha256(batch_bytes=256 * 1024, max_pending=2)
    for chunk in chunks:
        hasher.update(chunk)
    assert hasher.hexdigest() == hashlib.sha256(b"".join(chunks)).hexdigest()
    assert hasher.hexdigest() == hashlib.sha256(b"".join(chunks)).hexdigest()  # stable on a second call
    hasher.close()
    assert _threads() == 0


def test_small_inputs_never_start_a_thread() -> None:
    hasher = PipelinedSha256(batch_bytes=1 << 20)
    hasher.update(b"x" * 1000)
    assert _threads() == 0
    assert hasher.hexdigest() == hashlib.sha256(b"x" * 1000).hexdigest()


def test_close_mid_stream_stops_the_helper() -> None:
    hasher = PipelinedSha256(batch_bytes=1024, max_pending=1)
    for _ in range(50):
        hasher.update(os.urandom(4096))
    assert _threads() == 1
    hasher.close()
    hasher.close()
    assert _threads() == 0


def test_update_after_digest_is_refused() -> None:
    hasher = PipelinedSha256()
    hasher.update(b"abc")
    assert hasher.hexdigest() == hashlib.sha256(b"abc").hexdigest()
    with pytest.raises(ValueError, match="after hexdigest"):
        hasher.update(b"more")
