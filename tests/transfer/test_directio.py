"""Large downloads write whole chunks past the page cache; every byte still lands where it belongs.

Real files on this machine's filesystems (``O_DIRECT`` where the filesystem takes it, buffered where
not), pieces of odd sizes as a socket delivers them, ranges that start on part boundaries and a last
range that ends mid-block.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from methodic.transfer.directio import BLOCK, CHUNK, RangeWriter, close_quietly, reopen_direct

MiB = 1 << 20


def _pieces(data: bytes, rng: random.Random) -> list[bytes]:
    out, at = [], 0
    while at < len(data):
        n = rng.choice([1, 511, 4096, 65_537, 131_072, 3 * MiB // 2])
        out.append(data[at : at + n])
        at += n
    return out


def _write_ranges(path: Path, data: bytes, ranges: list[tuple[int, int]], *, direct: bool) -> bool:
    """Write ``data`` through one RangeWriter per range (in reverse order); returns whether writes went direct."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    os.posix_fallocate(fd, 0, len(data))
    direct_fd = reopen_direct(fd) if direct else None
    try:
        rng = random.Random(7)
        for offset, length in reversed(ranges):
            with RangeWriter(fd, direct_fd, offset, path) as writer:
                for piece in _pieces(data[offset : offset + length], rng):
                    writer.write(piece)
                writer.flush()
    finally:
        close_quietly(direct_fd)
        os.close(fd)
    return direct_fd is not None


@pytest.mark.parametrize("direct", [True, False], ids=["direct", "buffered"])
def test_ranges_written_in_odd_pieces_give_the_exact_file(tmp_path: Path, direct: bool) -> None:
    size = 5 * MiB + 777  # the last range ends mid-block
    data = random.Random(3).randbytes(size)
    ranges = [(0, 2 * MiB), (2 * MiB, 2 * MiB), (4 * MiB, MiB + 777)]
    went_direct = _write_ranges(tmp_path / "f.bin", data, ranges, direct=direct)
    assert (tmp_path / "f.bin").read_bytes() == data
    if direct and not went_direct:
        pytest.skip(f"{tmp_path} does not take O_DIRECT; the buffered path was checked instead")


def test_a_range_that_does_not_start_on_a_block_is_written_through_the_cache(tmp_path: Path) -> None:
    path = tmp_path / "f.bin"
    data = random.Random(5).randbytes(CHUNK + 3 * BLOCK + 5)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    os.posix_fallocate(fd, 0, len(data))
    direct_fd = reopen_direct(fd)
    try:
        with RangeWriter(fd, direct_fd, 0, path) as head:
            head.write(data[:100])
            head.flush()
        with RangeWriter(fd, direct_fd, 100, path) as writer:
            assert writer.direct_fd is None
            writer.write(data[100:])
            writer.flush()
    finally:
        close_quietly(direct_fd)
        os.close(fd)
    assert path.read_bytes() == data


def test_tmpfs_either_takes_direct_writes_or_falls_back_and_the_bytes_are_right() -> None:
    shm = Path("/dev/shm")
    if not shm.is_dir():
        pytest.skip("no /dev/shm")
    path = shm / f"methodic-directio-{os.getpid()}.bin"
    data = random.Random(9).randbytes(2 * MiB + 123)
    try:
        _write_ranges(path, data, [(0, MiB), (MiB, MiB + 123)], direct=True)
        assert path.read_bytes() == data
    finally:
        path.unlink(missing_ok=True)
