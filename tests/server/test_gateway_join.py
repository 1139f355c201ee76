"""The local gateway joins a multipart upload's parts in order while they arrive (issue 25's complete time).

Complete used to copy and hash every part after the last one; now the in-order prefix is joined (and
hashed) in the background and complete joins only the rest. These tests hold it to the old answers: the
component is the listed parts' bytes and its sha256 theirs, whatever order the parts came in, when a part
already joined is replaced by other bytes (before or while it is joined), when joining fails, and when the
server is killed between the parts and the complete.
"""

from __future__ import annotations

import errno
import hashlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest

from methodic_server import LocalChronicle, gateway_uploads
from methodic_server.errors import ApiError
from methodic_server.gateway_uploads import GatewayUploads
from tests.helpers import wait_until
from tests.server.wire import Wire

PART = 64 * 1024


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _bytes(seed: int, size: int = PART) -> bytes:
    return hashlib.shake_256(seed.to_bytes(4, "big")).digest(size)


class Upload:
    """One upload of ``model.bin`` straight on a GatewayUploads (no HTTP): parts in, complete out."""

    def __init__(self, tmp_path: Path) -> None:
        self.uploads = GatewayUploads(tmp_path / "multipart")
        self.out = tmp_path / "objects"
        self.out.mkdir()
        self.id = self.uploads.start("a1", "model.bin", None)

    def put(self, number: int, data: bytes) -> dict[str, Any]:
        fd, temporary = self.uploads.part_temporary("a1", "model.bin", self.id)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        self.uploads.put_part("a1", self.id, number, temporary, len(data), _sha(data))
        return {"part_number": number, "etag": _sha(data)}

    def complete(self, listed: list[dict[str, Any]]) -> tuple[str, bytes]:
        """The sha256 complete computed and the bytes of the file it joined."""
        with self.uploads.lock(self.id):
            _, size, digest, path = self.uploads.assemble("a1", "model.bin", self.id, listed, self.out, ".upload-")
        data = Path(path).read_bytes()
        assert len(data) == size
        return digest.hexdigest(), data


def _counting_joins(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the parts complete joins itself (the joining thread's joins are not counted)."""
    calls: list[int] = []
    join = gateway_uploads._join

    def counted(source: int, size: int, out: int, offset: int, digest: Any) -> None:
        if threading.current_thread().name != "gateway-join":
            calls.append(offset)
        join(source, size, out, offset, digest)

    monkeypatch.setattr(gateway_uploads, "_join", counted)
    return calls


def test_parts_in_any_order_are_joined_once_the_prefix_reaches_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    upload = Upload(tmp_path)
    data = [_bytes(n) for n in range(1, 6)]
    listed = {n: upload.put(n, data[n - 1]) for n in (3, 5, 4)}
    time.sleep(0.1)
    assert upload.uploads.joined(upload.id) == 0  # part 1 is missing: nothing can be joined yet
    listed |= {n: upload.put(n, data[n - 1]) for n in (2, 1)}
    wait_until(lambda: upload.uploads.joined(upload.id) == 5, interval=0.01)
    calls = _counting_joins(monkeypatch)
    sha, joined = upload.complete([listed[n] for n in range(1, 6)])
    assert (sha, joined) == (_sha(b"".join(data)), b"".join(data))
    assert calls == []  # complete only checked the list and took the joined file over


def test_a_joined_part_replaced_by_other_bytes_rewinds_the_running_hash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    upload = Upload(tmp_path)
    first = [_bytes(n) for n in range(1, 5)]
    listed = [upload.put(n, first[n - 1]) for n in range(1, 5)]
    wait_until(lambda: upload.uploads.joined(upload.id) == 4, interval=0.01)
    again = _bytes(99)
    listed[1] = upload.put(2, again)  # a retried part 2 with other bytes, after the prefix passed it
    assert upload.uploads.joined(upload.id) in (1, 2, 3, 4)  # rewound to part 1, then joined again
    wait_until(lambda: upload.uploads.joined(upload.id) == 4, interval=0.01)
    expected = first[0] + again + first[2] + first[3]
    with pytest.raises(ApiError) as refused:  # the old part 2's etag no longer names a stored part
        upload.complete([*listed[:1], {"part_number": 2, "etag": _sha(first[1])}, *listed[2:]])
    assert refused.value.code == "invalid_part"
    calls = _counting_joins(monkeypatch)
    assert upload.complete(listed) == (_sha(expected), expected)
    assert calls == []


def test_the_same_bytes_sent_again_keep_the_prefix(tmp_path: Path) -> None:
    upload = Upload(tmp_path)
    data = [_bytes(n) for n in range(1, 4)]
    listed = [upload.put(n, data[n - 1]) for n in range(1, 4)]
    wait_until(lambda: upload.uploads.joined(upload.id) == 3, interval=0.01)
    upload.put(1, data[0])  # a retry whose first answer was lost: the same bytes
    assert upload.uploads.joined(upload.id) == 3
    assert upload.complete(listed) == (_sha(b"".join(data)), b"".join(data))


def test_a_part_replaced_while_it_is_being_joined_is_joined_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    upload = Upload(tmp_path)
    entered, release = threading.Event(), threading.Event()
    join = gateway_uploads._join

    def slow(source: int, size: int, out: int, offset: int, digest: Any) -> None:
        if offset == PART and not release.is_set():  # part 2, the first time
            entered.set()
            assert release.wait(10)
        join(source, size, out, offset, digest)

    monkeypatch.setattr(gateway_uploads, "_join", slow)
    one, two, other = _bytes(1), _bytes(2), _bytes(3)
    upload.put(1, one)
    upload.put(2, two)
    assert entered.wait(10)  # the joining thread has part 2 open...
    listed = [{"part_number": 1, "etag": _sha(one)}, upload.put(2, other)]  # ...when it is replaced
    release.set()
    wait_until(lambda: upload.uploads.joined(upload.id) == 2, interval=0.01)
    assert upload.complete(listed) == (_sha(one + other), one + other)


def test_a_join_that_fails_leaves_complete_to_join_every_part(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    upload = Upload(tmp_path)
    join = gateway_uploads._join

    def full_disk(source: int, size: int, out: int, offset: int, digest: Any) -> None:
        if threading.current_thread().name == "gateway-join" and offset > 0:
            raise OSError(errno.ENOSPC, "No space left on device")
        join(source, size, out, offset, digest)

    monkeypatch.setattr(gateway_uploads, "_join", full_disk)
    data = [_bytes(n) for n in range(1, 4)]
    listed = [upload.put(n, data[n - 1]) for n in range(1, 4)]
    assembly = tmp_path / "multipart" / "a1" / f"gateway-{upload.id}" / ".assembly"
    wait_until(
        lambda: upload.uploads.joined(upload.id) == 0 and assembly.stat().st_size == 0, interval=0.01
    )  # given up, freed
    upload.put(3, data[2])
    time.sleep(0.05)
    assert upload.uploads.joined(upload.id) == 0  # no second try for this upload
    calls = _counting_joins(monkeypatch)
    assert upload.complete(listed) == (_sha(b"".join(data)), b"".join(data))
    assert calls == [0, PART, 2 * PART]


def test_a_complete_with_fewer_parts_than_were_joined(tmp_path: Path) -> None:
    upload = Upload(tmp_path)
    data = [_bytes(n) for n in range(1, 4)]
    listed = [upload.put(n, data[n - 1]) for n in range(1, 4)]
    wait_until(lambda: upload.uploads.joined(upload.id) == 3, interval=0.01)
    assert upload.complete(listed[:2]) == (_sha(data[0] + data[1]), data[0] + data[1])


# -- a server killed between the parts and the complete ----------------------------------------------------------


def _dev_server(data_dir: Path, key: str) -> tuple[subprocess.Popen[str], str]:
    args = ["dev-server", "--data-dir", str(data_dir), "--api-key", key, "--max-part-bytes", str(PART), "--no-search"]
    child = subprocess.Popen(
        [sys.executable, "-m", "methodic", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert child.stdout is not None
    lines: dict[str, str] = {}
    while "API key" not in lines:
        line = child.stdout.readline()
        assert line, "dev-server exited"
        name, _, value = line.partition(": ")
        lines[name.strip()] = value.strip()
    return child, lines["Chronicle API"]


def test_a_server_killed_between_the_parts_and_the_complete(tmp_path: Path) -> None:
    """kill -9 of the server after the parts (one replaced, the prefix partly joined), a torn ``.assembly``
    left behind: after the restart the complete joins the stored parts and finalize takes the component."""
    key = "sk_user_" + "b2" * 20
    data = [_bytes(n) for n in range(1, 9)]
    whole = b"".join(data)
    child, api = _dev_server(tmp_path / "data", key)
    try:
        wire = Wire(cast(LocalChronicle, SimpleNamespace(url=api, api_key=key)))
        exp_id = wire.committed()
        wire.start(exp_id)
        created = wire.presigned(exp_id, ["model.bin"], upload_targets=["r2"])
        asset_id, url = created["asset"]["id"], created["upload_urls"][0]["url"]
        http = wire.http
        upload_id = http.post(url, params={"uploads": ""}).json()["upload_id"]
        listed = {}
        for number in (2, 1, 3, 4, 5, 6, 7, 8):
            sent = http.put(url, params={"upload_id": upload_id, "part_number": number}, content=data[number - 1])
            listed[number] = sent.json()
        # part 3 replaced by other bytes after the prefix passed it (sent again below, after the restart)
        http.put(url, params={"upload_id": upload_id, "part_number": 3}, content=_bytes(77)).raise_for_status()
        wire.close()
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(20)
    gateway = tmp_path / "data" / "objects-multipart" / asset_id / f"gateway-{upload_id}"
    (gateway / ".assembly").write_bytes(b"torn" * 1000)  # whatever the killed join left
    child, api = _dev_server(tmp_path / "data", key)
    try:
        wire = Wire(cast(LocalChronicle, SimpleNamespace(url=api, api_key=key)))
        http = wire.http
        scribe = http.get("/v1/public/client-config").json()["scribe_url"]
        url = f"{scribe}/v1/uploads/{asset_id}/model.bin"
        stale = http.post(url, params={"upload_id": upload_id}, json={"parts": [listed[n] for n in range(1, 9)]})
        assert stale.status_code == 400 and stale.json()["code"] == "invalid_part"  # part 3 holds other bytes
        http.put(url, params={"upload_id": upload_id, "part_number": 3}, content=data[2]).raise_for_status()
        done = http.post(url, params={"upload_id": upload_id}, json={"parts": [listed[n] for n in range(1, 9)]})
        assert done.status_code == 200, done.text
        assert (done.json()["sha256"], done.json()["size_bytes"]) == (_sha(whole), len(whole))
        files = [{"path": "model.bin", "sha256": _sha(whole)}]
        assert wire.ok("PUT", f"/v1/assets/{asset_id}/finalize", {"files": files})["state"] == "ready"
        assert http.get(f"{scribe}/v1/data/{asset_id}/model.bin").content == whole
        wire.close()
    finally:
        child.terminate()
        child.wait(20)


def test_after_a_restart_the_next_part_joins_the_stored_ones_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    upload = Upload(tmp_path)
    data = [_bytes(n) for n in range(1, 5)]
    listed = [upload.put(n, data[n - 1]) for n in range(1, 4)]
    wait_until(lambda: upload.uploads.joined(upload.id) == 3, interval=0.01)
    upload.uploads = GatewayUploads(tmp_path / "multipart")  # a new server process on the same disk
    assert upload.uploads.joined(upload.id) == 0
    listed.append(upload.put(4, data[3]))
    wait_until(lambda: upload.uploads.joined(upload.id) == 4, interval=0.01)
    calls = _counting_joins(monkeypatch)
    assert upload.complete(listed) == (_sha(b"".join(data)), b"".join(data))
    assert calls == []
