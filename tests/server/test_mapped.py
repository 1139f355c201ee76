"""The storage service's mapped receive: bytes land at any offset, pieces are seen in order, a short body fails."""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path
from typing import Any

import pytest

from methodic_server.mapped import CHUNK, WINDOW, fully_allocated, receive_direct, receive_mapped, reopen_direct
from methodic_server.multipart import reserve


def _receive(path: Path, offset: int, body: bytes, length: int) -> bytes:
    """Receive ``body`` (claimed ``length`` bytes) into ``path`` at ``offset``; return the hashed bytes' digest."""
    source = io.BytesIO(body)
    digest = hashlib.sha256()
    with path.open("r+b") as f:
        receive_mapped(f.fileno(), offset, length, source.readinto, digest.update)
    return digest.digest()


def test_lands_at_an_unaligned_offset_across_windows(tmp_path: Path) -> None:
    path = tmp_path / "data"
    size = 2 * WINDOW + 12_345
    with path.open("wb") as f:
        reserve(f.fileno(), size)
        assert fully_allocated(f.fileno())
    offset, body = 4_097, os.urandom(WINDOW + 777)
    assert _receive(path, offset, body, len(body)) == hashlib.sha256(body).digest()
    data = path.read_bytes()
    assert len(data) == size
    assert data[offset : offset + len(body)] == body
    assert data[:offset] == bytes(offset) and data[offset + len(body) :] == bytes(size - offset - len(body))


def test_a_short_body_is_a_connection_error(tmp_path: Path) -> None:
    path = tmp_path / "data"
    with path.open("wb") as f:
        reserve(f.fileno(), 3 << 20)
    with pytest.raises(ConnectionError):
        _receive(path, 0, os.urandom(1000), 2000)


def test_a_sparse_file_is_not_fully_allocated(tmp_path: Path) -> None:
    path = tmp_path / "data"
    with path.open("wb") as f:
        f.truncate(8 << 20)
        assert not fully_allocated(f.fileno())


class _Trickle(io.BytesIO):
    """A socket that hands out at most ``most`` bytes per read, as a network does."""

    def __init__(self, data: bytes, most: int) -> None:
        super().__init__(data)
        self.most = most

    def readinto(self, buffer: Any) -> int:
        with memoryview(buffer) as view:
            return super().readinto(view[: self.most])


@pytest.mark.parametrize("most", [1 << 20, 65_537, 4_096 * 3 + 1])
def test_a_direct_receive_lands_every_byte_with_a_partial_last_block(tmp_path: Path, most: int) -> None:
    path = tmp_path / "data"
    size = 4 * CHUNK + 5_000  # the component's last part ends mid-block
    with path.open("wb") as f:
        reserve(f.fileno(), size)
    offset, body = CHUNK, os.urandom(3 * CHUNK + 5_000)
    seen = hashlib.sha256()
    with path.open("r+b") as f:
        direct = reopen_direct(f.fileno())
        if direct is None:
            pytest.skip(f"{tmp_path} does not take O_DIRECT")
        try:
            receive_direct(direct, f.fileno(), offset, len(body), _Trickle(body, most).readinto, seen.update)
        finally:
            os.close(direct)
    assert seen.digest() == hashlib.sha256(body).digest()
    data = path.read_bytes()
    assert data[offset:] == body and data[:offset] == bytes(offset)


def test_a_direct_receive_of_a_short_body_is_a_connection_error(tmp_path: Path) -> None:
    path = tmp_path / "data"
    with path.open("wb") as f:
        reserve(f.fileno(), 2 * CHUNK)
    with path.open("r+b") as f:
        direct = reopen_direct(f.fileno())
        if direct is None:
            pytest.skip(f"{tmp_path} does not take O_DIRECT")
        try:
            with pytest.raises(ConnectionError):
                receive_direct(direct, f.fileno(), 0, 2 * CHUNK, io.BytesIO(os.urandom(1000)).readinto, lambda _: None)
        finally:
            os.close(direct)
