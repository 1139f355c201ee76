"""Receive a body straight into a file's page cache through a memory map, outside the inode's write lock.

Every part of a multipart upload lands in one data file. A buffered ``write`` holds that file's inode
lock while it copies, and on a VM the first touch of a fresh page-cache page is slow (the host backs
it on demand: measured here, up to ~3.6 ms of system time per MiB). Eight part PUTs writing into one
file therefore copied one at a time: on the multipart benchmark the server spent two thirds of each
part's time in ``write`` and the eight paced connections together reached ~260 MiB/s, not 8 x 64.
Reading from the socket straight into a shared mapping of the part's range faults those pages in
without the inode lock (in parallel on every core) and saves the copy out of a bounce buffer.

A mapping of a hole can raise SIGBUS when the disk is full, so it is used only for a file whose
blocks are allocated before they are mapped (the multipart data file is sparse, and each part
allocates its range a window ahead of its bytes: ``allocate`` below, :class:`.multipart.Allocation`);
otherwise a file is written with ``write`` as before.

Where the filesystem takes ``O_DIRECT``, parts skip the page cache altogether (:func:`receive_direct`):
mapped or not, filling fresh page-cache pages was still most of the cost (paced 4 GiB upload: 4.2-4.9x
curl mapped, measured again after the client's downloads went direct).
"""

from __future__ import annotations

import errno
import mmap
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager

#: Bytes mapped at a time: memory mapped by one connection (the pages stay in the page cache after).
WINDOW = 8 << 20
#: Largest single read (as the write path's buffer): hashing, counting and pacing see pieces this big.
CHUNK = 1 << 20


def fully_allocated(fd: int) -> bool:
    """Whether every byte of the file has its block on disk (a mapped write then cannot hit a full disk)."""
    status = os.fstat(fd)
    return status.st_size > 0 and status.st_blocks * 512 >= status.st_size


@contextmanager
def mapped(fd: int, offset: int, length: int) -> Iterator[memoryview]:
    """A writable view of ``length`` bytes of the file at ``offset`` (any offset: the map starts page-aligned)."""
    start = offset - offset % mmap.ALLOCATIONGRANULARITY
    # every view of the map must be released before it can close: the nesting releases them in order
    with (
        mmap.mmap(fd, offset - start + length, offset=start) as region,
        memoryview(region) as whole,
        whole[offset - start :] as view,
    ):
        yield view


def receive_mapped(
    fd: int,
    offset: int,
    length: int,
    read_into: Callable[[memoryview], int],
    step: Callable[[memoryview], None],
    allocate: Callable[[int], None] | None = None,
) -> None:
    """Fill ``length`` bytes of the file at ``offset`` with ``read_into``, at most :data:`CHUNK` at a time.

    ``read_into(view)`` reads up to ``len(view)`` bytes into it and returns the count (0: the peer is
    gone, ConnectionError); ``step(filled)`` sees each piece once it is in place (hash, count, pace).
    ``allocate(end)``, when given, must allocate the file's blocks up to byte ``end`` before a window of
    the mapping is written (a mapped write into a hole on a full disk would raise SIGBUS).
    """
    position = 0
    while position < length:
        window = min(WINDOW, length - position)
        if allocate is not None:
            allocate(offset + position + window)
        with mapped(fd, offset + position, window) as view:
            filled = 0
            while filled < window:
                piece = view[filled : filled + min(CHUNK, window - filled)]
                try:
                    n = read_into(piece)
                    if not n:
                        raise ConnectionError("client closed the connection mid-body")
                    with piece[:n] as got:
                        step(got)
                finally:
                    piece.release()
                filled += n
        position += window


#: Direct writes are whole multiples of this, at offsets that are (the usual logical block size).
BLOCK = 4096


def reopen_direct(fd: int) -> int | None:
    """A second descriptor of ``fd``'s file that writes past the page cache (``O_DIRECT``), or None."""
    flag = getattr(os, "O_DIRECT", 0)
    if not flag or not os.path.isdir("/proc/self/fd"):
        return None
    try:
        return os.open(f"/proc/self/fd/{fd}", os.O_WRONLY | flag | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None


def receive_direct(
    direct_fd: int,
    fd: int,
    offset: int,
    length: int,
    read_into: Callable[[memoryview], int],
    step: Callable[[memoryview], None],
    allocate: Callable[[int], None] | None = None,
) -> None:
    """Like :func:`receive_mapped`, but written past the page cache: nothing of the part touches fresh cache.

    Even mapped, every page of a part is a fresh page-cache page, and on this VM filling those is the
    cost that bounds the paced upload (``dd`` of 4 GiB: 12.1 s of kernel time buffered, 0.5 s with
    ``O_DIRECT``). Each read lands in a page-aligned buffer of :data:`CHUNK` bytes, written at once when
    full; the part's last partial block (only the component's last part has one) goes through ``fd``.
    ``offset`` must be a multiple of :data:`BLOCK` (parts start on whole MiB). ``allocate(end)``, when
    given, is called before bytes up to ``end`` are written (blocks allocated ahead of a sparse file's writes).
    """
    with mmap.mmap(-1, CHUNK) as buffer, memoryview(buffer) as view:
        position, filled, received = offset, 0, 0
        while received < length:
            want = min(CHUNK - filled, length - received)
            with view[filled : filled + want] as piece:
                n = read_into(piece)
                if not n:
                    raise ConnectionError("client closed the connection mid-body")
                with piece[:n] as got:
                    step(got)
            filled += n
            received += n
            if filled == CHUNK:
                if allocate is not None:
                    allocate(position + CHUNK)
                _pwrite_all(direct_fd, view[:CHUNK], position, fallback=fd)
                position += CHUNK
                filled = 0
        if filled and allocate is not None:
            allocate(position + filled)
        whole = filled - filled % BLOCK
        if whole:
            _pwrite_all(direct_fd, view[:whole], position, fallback=fd)
        if filled > whole:
            _pwrite_all(fd, view[whole:filled], position + whole)


def _pwrite_all(fd: int, data: memoryview, position: int, fallback: int | None = None) -> None:
    """``pwrite`` all of ``data``; a direct write the kernel refuses (EINVAL) goes through ``fallback``."""
    while data:
        try:
            written = os.pwrite(fd, data, position)
        except OSError as exc:
            if exc.errno != errno.EINVAL or fallback is None:
                raise
            fd, fallback = fallback, None
            continue
        data = data[written:]
        position += written
