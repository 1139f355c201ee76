"""The pipelined sha256 gives hashlib's digest for any chunking, and never leaves a thread behind."""

from __future__ import annotations

import hashlib
import os
import threading

import pytest

from methodic.transfer.hashing import PipelinedSha256


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


def test_lent_buffers_hash_in_order_with_plain_chunks() -> None:
    blocks = [os.urandom(n) for n in (4096, 100, 0, 4096, 17, 4096)]
    head, tail = b"head" * 1000, b"tail"
    hasher = PipelinedSha256(batch_bytes=4096, max_pending=1)
    hasher.update(head)  # below batch_bytes: still waiting in the batch when the buffers start
    for block in blocks:
        buf = hasher.buffer()
        assert len(buf) == 4096
        buf[: len(block)] = block
        hasher.update_buffer(buf, len(block))
    hasher.update(tail)
    expected = hashlib.sha256(head + b"".join(blocks) + tail).hexdigest()
    assert hasher.hexdigest() == expected
    assert _threads() == 0


def test_the_buffer_pool_is_bounded_and_reused() -> None:
    hasher = PipelinedSha256(batch_bytes=1024, max_pending=2)
    seen: set[int] = set()
    data = bytearray()
    for i in range(200):
        buf = hasher.buffer()
        seen.add(id(buf))
        buf[:] = bytes([i % 256]) * 1024
        data += buf
        hasher.update_buffer(buf, 1024)
    spare = hasher.buffer()
    hasher.give_back(spare)  # an unused buffer goes back without being hashed
    assert hasher.hexdigest() == hashlib.sha256(bytes(data)).hexdigest()
    assert len(seen) <= 2 + 2  # max_pending queued + one being hashed + one being filled


def test_a_failing_helper_raises_instead_of_hanging_or_returning_a_partial_digest() -> None:
    hasher = PipelinedSha256(batch_bytes=4, max_pending=1)
    hasher.update(b"abcd")
    hasher.update("not bytes")  # type: ignore[arg-type]  # the helper fails on this batch
    with pytest.raises(RuntimeError, match="sha256 helper failed"):
        for _ in range(100):  # the helper keeps draining, so this never blocks on a full queue
            hasher.update(b"efgh")
        hasher.hexdigest()
    hasher.close()
    assert _threads() == 0
