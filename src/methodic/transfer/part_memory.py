"""The part buffers of uploads in parts: how many, how big, one memory budget for all of them (:class:`PartMemory`).

Split from :mod:`methodic.transfer.multipart`, which decides what goes on the wire; this module only
sizes parts and buffers and hands them out, so that peak memory stays bounded whatever the file's size
and however many big files move at once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, BinaryIO

from methodic.transfer.retry import ByteReporter
from methodic_contract import MAX_PARTS

if TYPE_CHECKING:
    from methodic.transfer.progress import ProgressSink

_MIB = 1 << 20
#: The part buffers of a client's components in parts hold at most this many bytes (40 MiB) together: with the
#: default 5 MiB parts, eight buffers, seven parts in flight while the next is read, which is what it takes to fill
#: storage that paces each connection at tens of MiB/s (benchmarks/RESULTS-multipart.md) while peak memory
#: stays under +64 MiB for the whole upload (tests/reliability/test_memory_and_logs.py; +54 MiB for 1 GiB in
#: benchmarks/bench_r2.py). A ninth buffer (45 or 48 MiB), so that all 8 part workers can send while the next
#: part is read, measured no faster at 32 or 64 MiB/s per connection and grew it to +58 MiB
#: (benchmarks/RESULTS-r2.md): per-part overhead and the CPU, not the buffer count, set the pace there.
PART_MEMORY = 40 * _MIB
#: How often a reader waiting for a free buffer looks whether a send has failed meanwhile (seconds).
WAKE = 0.2


def choose_part_size(size: int, min_part_size: int, max_part_bytes: int | None) -> int:
    """The part size for ``size`` bytes: at least ``min_part_size`` (whole MiB), at most 10,000 parts.

    Never above the gateway's ``max_part_bytes``; a file that would need more than 10,000 parts of that
    size cannot go this route at all (PartLayoutError, before anything is sent).
    """
    needed = -(-size // MAX_PARTS)
    part_size = max(min_part_size, -(-needed // _MIB) * _MIB)
    if max_part_bytes is not None and part_size > max_part_bytes:
        part_size = max_part_bytes
    return part_size


def buffer_count(part_size: int, part_workers: int) -> int:
    """Buffers of one component: one per part worker plus the one being read, within :data:`PART_MEMORY`.

    At least two, so that reading the next part overlaps sending the last one.
    """
    return max(2, min(part_workers + 1, PART_MEMORY // max(part_size, 1)))


class PartMemory:
    """The part buffers of every component a client sends at once, within one budget (:data:`PART_MEMORY`).

    :func:`buffer_count` bounds one component; this bounds them together, so that peak memory does not grow
    with how many big files move at once (``max_upload_workers`` components, each with its buffers). Nothing
    is lost by it: all of them share the one part pool, which has no more parts in flight than its workers.
    A buffer that does not fit waits for another component to finish, whose buffers are then handed on as
    they are (not freed and made again: the allocator would keep the freed ones resident meanwhile); the
    last component to finish frees them. Two buffers always fit when nothing else is held (a part larger
    than half the budget, of a file over 195 GiB, still overlaps a read and a send).
    """

    def __init__(self, capacity: int = PART_MEMORY) -> None:
        self.capacity = capacity
        self._used = 0  # bytes of the buffers handed out and of the spare ones
        self._spare: list[bytearray] = []
        self._active = 0
        self._changed = threading.Condition()

    def __repr__(self) -> str:
        return f"<PartMemory {self._used} of {self.capacity} bytes, {len(self._spare)} spare buffers>"

    def enter(self) -> None:
        """A component starts taking buffers."""
        with self._changed:
            self._active += 1

    def take(self, size: int, wait: float = 0.0) -> bytearray | None:
        """A buffer of ``size`` bytes, waiting up to ``wait`` seconds for room; None if there is none."""
        deadline = time.monotonic() + wait
        with self._changed:
            while True:
                for index, spare in enumerate(self._spare):
                    if len(spare) == size:
                        return self._spare.pop(index)
                if self._used + size > max(self.capacity, 2 * size) and self._spare:
                    self._drop_spares()  # spares of another part size make room
                if self._used + size <= max(self.capacity, 2 * size):
                    self._used += size
                    break
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self._changed.wait(left)
        return bytearray(size)

    def leave(self, buffers: list[bytearray], *, reusable: bool) -> None:
        """A component is done with its ``buffers``: spares for the others (if no request still reads them)."""
        with self._changed:
            self._active -= 1
            if reusable and self._active:
                self._spare.extend(buffers)
            else:
                self._used -= sum(len(b) for b in buffers)
            if not self._active:
                self._drop_spares()
            self._changed.notify_all()

    def _drop_spares(self) -> None:
        self._used -= sum(len(b) for b in self._spare)
        self._spare.clear()


def read_exactly(f: BinaryIO, view: memoryview) -> int:
    """Fill ``view`` from ``f``; the bytes read (fewer only at the end of the file)."""
    got = 0
    while got < len(view):
        n = f.readinto(view[got:])  # type: ignore[attr-defined]
        if not n:
            break
        got += n
    return got


class Progressed:
    """A part's buffer as a request body, without a copy: sent in 1 MiB slices, each byte reported once.

    The slices are views of the buffer (the buffer is reused only after the request is over).
    """

    def __init__(self, buffer: bytearray, length: int, sink: ProgressSink | None) -> None:
        self.view = memoryview(buffer)[:length]
        self.reporter = ByteReporter(sink)

    def __iter__(self) -> Iterator[bytes]:
        sent = 0
        while sent < len(self.view):
            chunk = self.view[sent : sent + _MIB]
            sent += len(chunk)
            yield chunk  # type: ignore[misc]  # a memoryview is sent as bytes are, without copying
            self.reporter.at(sent)
