"""A data dir holds keys and the signing secret: owner-only modes whatever the umask, and keys only as hashes."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from methodic_server import LocalChronicle


@pytest.fixture
def umask_022() -> Iterator[None]:
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _check_modes(data_dir: Path) -> None:
    assert _mode(data_dir) == 0o700
    for path in data_dir.rglob("*"):
        assert _mode(path) == (0o700 if path.is_dir() else 0o600), path


def test_a_new_data_dir_is_owner_only_and_keeps_no_key_in_clear(tmp_path: Path, umask_022: None) -> None:
    data_dir = tmp_path / "data"
    with LocalChronicle(data_dir=data_dir, validate_contract=True) as server:
        user, default = server.mint_key(), server.api_key
        worker = server.mint_worker_key("e", 0, 0)
        headers = {"Authorization": f"Bearer {user}"}
        assert httpx.get(server.url + "/v1/me/scopes", headers=headers).status_code == 200
        _check_modes(data_dir)
        assert (data_dir / "chronicle.sqlite").is_file()
    _check_modes(data_dir)
    for path in data_dir.rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            assert user.encode() not in content and worker.encode() not in content, path
            # the server's own key is kept in clear in one owner-only file, so that it survives restarts
            assert (default.encode() in content) == (path.name == "api-key"), path
    with LocalChronicle(data_dir=data_dir) as again:
        assert again.api_key == default
        for key in (default, user):
            response = httpx.get(again.url + "/v1/me/scopes", headers={"Authorization": f"Bearer {key}"})
            assert response.status_code == 200


def test_an_existing_data_dir_is_tightened(tmp_path: Path, umask_022: None) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir(mode=0o755)
    (data_dir / "chronicle.sqlite").touch(mode=0o644)
    os.chmod(data_dir, 0o755)
    os.chmod(data_dir / "chronicle.sqlite", 0o644)
    with LocalChronicle(data_dir=data_dir):
        _check_modes(data_dir)
