"""Storage hardening (issue 25), each finding reproduced over real HTTP.

- A multipart start reserves nothing on disk, and no multipart upload is orphaned for good: a repeated
  start reuses (or aborts) the unfinished one, and the uploads of an asset that is abandoned, deleted,
  finalized or expired are aborted, as is one idle past ``upload_idle_timeout``. Measured in the data
  directory's allocated blocks.
- Finalize and verify read objects back from storage without holding the store's lock: another
  client's heartbeats go on meanwhile (against moto's S3 server, in its own process).
- Idle keep-alive storage connections hold no slot: 50 clients, each with its own keep-alive pool,
  upload at once and none is refused with 503.
- A body that hits a full disk (ENOSPC) is answered 507 ``insufficient_storage`` and leaves no temporary.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import httpx
import pytest

from methodic_server import LocalChronicle
from tests.integration.moto_process import GiB, MotoProcess, available_memory
from tests.server.wire import Wire

MiB = 1 << 20
#: What a finished upload may leave in the multipart tree: its small ``.done`` record (a block or two each).
LEFTOVER = 64 * 1024


def allocated(root: Path) -> int:
    """Bytes the files under ``root`` occupy on disk (allocated blocks, not their sizes).

    An abort may remove files and folders while this walks (it runs in the background): what is gone
    occupies nothing (``os.walk`` skips a folder it can no longer list).
    """
    total = 0
    for folder, _, files in os.walk(root):
        for name in files:
            try:
                total += os.stat(os.path.join(folder, name)).st_blocks * 512
            except FileNotFoundError:
                continue
    return total


def multipart_bytes(server: LocalChronicle) -> int:
    """What the storage service's unfinished multipart uploads occupy on disk."""
    return allocated(server.data_dir / "objects-multipart")


def eventually(check: Callable[[], bool], seconds: float = 5.0) -> bool:
    """Whether ``check()`` becomes true within ``seconds``."""
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _pending(wire: Wire, components: list[str]) -> str:
    """A presigned checkpoint of a started run 0/0; returns its id (the experiment is new)."""
    exp_id = wire.committed()
    wire.start(exp_id)
    return str(wire.presigned(exp_id, components)["asset"]["id"])


def _start(wire: Wire, asset_id: str, component: str, size: int, part_size: int = MiB) -> dict[str, Any]:
    body = {"component": component, "size_bytes": size, "part_size": part_size}
    return dict(wire.ok("POST", f"/v1/assets/{asset_id}/multipart", body, status=201))


def _put_parts(wire: Wire, asset_id: str, component: str, upload_id: str, parts: dict[int, bytes]) -> list[str]:
    """PUT the given parts (number → bytes); returns their ETags in order."""
    body = {"component": component, "upload_id": upload_id, "part_numbers": sorted(parts)}
    urls = wire.ok("POST", f"/v1/assets/{asset_id}/multipart/presign", body)["urls"]
    etags = []
    for number in sorted(parts):
        response = httpx.put(urls[str(number)], content=parts[number], timeout=30)
        assert response.status_code == 200, response.text
        etags.append(response.headers["ETag"])
    return etags


def _parts_status(wire: Wire, asset_id: str, component: str, upload_id: str) -> int:
    query = {"component": component, "upload_id": upload_id}
    return wire.http.get(f"/v1/assets/{asset_id}/multipart/parts", params=query).status_code


# -- 1. nothing reserved, nothing orphaned -------------------------------------------------------------
def test_a_multipart_start_reserves_nothing_and_a_part_only_its_own_bytes(server: LocalChronicle, wire: Wire) -> None:
    asset_id = _pending(wire, ["big.bin"])
    before = allocated(server.data_dir)
    started = _start(wire, asset_id, "big.bin", 1 << 30, 64 * MiB)
    assert multipart_bytes(server) < MiB, "a start must not reserve the declared size"
    _put_parts(wire, asset_id, "big.bin", started["upload_id"], {1: os.urandom(64 * MiB)})
    held = multipart_bytes(server)
    assert 64 * MiB <= held < 64 * MiB + 16 * MiB, held
    assert allocated(server.data_dir) - before < 96 * MiB


def test_a_repeated_start_leaves_no_orphan(server: LocalChronicle, wire: Wire) -> None:
    """A start whose answer was lost and is sent again: one upload survives, and the asset's bytes are all used."""
    asset_id = _pending(wire, ["m.bin", "n.bin"])
    data = os.urandom(4 * MiB)
    first = _start(wire, asset_id, "m.bin", len(data))
    _put_parts(wire, asset_id, "m.bin", first["upload_id"], {1: data[:MiB]})
    again = _start(wire, asset_id, "m.bin", len(data))
    if again["upload_id"] != first["upload_id"]:
        assert _parts_status(wire, asset_id, "m.bin", first["upload_id"]) == 404
    # a start with another layout replaces the unfinished one
    other = _start(wire, asset_id, "n.bin", 2 * MiB)
    _put_parts(wire, asset_id, "n.bin", other["upload_id"], {1: os.urandom(MiB)})
    replaced = _start(wire, asset_id, "n.bin", 4 * MiB, 2 * MiB)
    assert replaced["upload_id"] != other["upload_id"]
    assert _parts_status(wire, asset_id, "n.bin", other["upload_id"]) == 404
    assert multipart_bytes(server) < 2 * MiB + LEFTOVER  # m's first part, nothing of n's first upload
    for name, upload, blob in (("m.bin", again, data), ("n.bin", replaced, os.urandom(4 * MiB))):
        size = upload["part_size"]
        parts = {i + 1: blob[i * size : (i + 1) * size] for i in range(upload["part_count"])}
        etags = _put_parts(wire, asset_id, name, upload["upload_id"], parts)
        listed = [{"part_number": n, "etag": e} for n, e in zip(sorted(parts), etags, strict=True)]
        body = {"component": name, "upload_id": upload["upload_id"], "parts": listed}
        wire.ok("POST", f"/v1/assets/{asset_id}/multipart/complete", body)
    assert wire.ok("PUT", f"/v1/assets/{asset_id}/finalize", {})["state"] == "ready"
    assert eventually(lambda: multipart_bytes(server) < LEFTOVER), multipart_bytes(server)


def _with_unfinished_upload(server: LocalChronicle, wire: Wire, components: list[str]) -> tuple[str, str]:
    asset_id = _pending(wire, components)
    started = _start(wire, asset_id, components[0], 8 * MiB)
    _put_parts(wire, asset_id, components[0], started["upload_id"], {1: os.urandom(MiB), 2: os.urandom(MiB)})
    assert multipart_bytes(server) >= 2 * MiB
    return asset_id, str(started["upload_id"])


def test_the_uploads_of_an_asset_abandoned_by_a_failed_run_are_aborted(server: LocalChronicle, wire: Wire) -> None:
    asset_id, _ = _with_unfinished_upload(server, wire, ["a.bin"])
    experiment_id = wire.ok("GET", f"/v1/assets/{asset_id}")["experiment_id"]
    wire.ok("POST", f"/v1/experiments/{experiment_id}/variations/0/runs/0/fail", {"reason": "crash: OOM"})
    assert wire.ok("GET", f"/v1/assets/{asset_id}")["state"] == "abandoned"
    assert eventually(lambda: multipart_bytes(server) < LEFTOVER), multipart_bytes(server)


def test_an_upload_the_finalized_asset_did_not_use_is_aborted(server: LocalChronicle, wire: Wire) -> None:
    """A process killed between start and its tracker learning the upload id; the resume sent the file again."""
    asset_id, _ = _with_unfinished_upload(server, wire, ["a.bin"])
    url = wire.ok("POST", f"/v1/assets/{asset_id}/presign", {"operation": "upload"})["presigned_urls"]["a.bin"]["url"]
    assert httpx.put(url, content=b"weights").status_code == 200
    assert wire.ok("PUT", f"/v1/assets/{asset_id}/finalize", {})["state"] == "ready"
    assert eventually(lambda: multipart_bytes(server) < LEFTOVER), multipart_bytes(server)


@pytest.mark.parametrize("how", ["deleted", "expired"])
def test_the_uploads_of_a_deleted_or_expired_asset_are_aborted(server: LocalChronicle, wire: Wire, how: str) -> None:
    asset_id, _ = _with_unfinished_upload(server, wire, ["a.bin"])
    if how == "deleted":
        wire.ok("DELETE", f"/v1/assets/{asset_id}")
    else:
        server.expire_asset(asset_id)
    assert eventually(lambda: multipart_bytes(server) < LEFTOVER), multipart_bytes(server)


def test_an_upload_idle_past_the_limit_is_aborted_by_the_watchdog() -> None:
    with LocalChronicle(validate_contract=True, upload_idle_timeout=1.0, watchdog_interval=0.1) as server:
        wire = Wire(server)
        try:
            asset_id, idle = _with_unfinished_upload(server, wire, ["idle.bin", "busy.bin"])
            busy = _start(wire, asset_id, "busy.bin", 8 * MiB)
            # an upload that keeps receiving parts is not idle, however old it is
            for number in range(1, 6):
                _put_parts(wire, asset_id, "busy.bin", busy["upload_id"], {number: os.urandom(MiB)})
                time.sleep(0.4)
            assert _parts_status(wire, asset_id, "busy.bin", busy["upload_id"]) == 200
            assert _parts_status(wire, asset_id, "idle.bin", idle) == 404
            assert eventually(lambda: _parts_status(wire, asset_id, "busy.bin", busy["upload_id"]) == 404)
            assert eventually(lambda: multipart_bytes(server) < LEFTOVER), multipart_bytes(server)
        finally:
            wire.close()


# -- 2. no store lock across storage I/O ---------------------------------------------------------------
@pytest.fixture(scope="module")
def moto_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if available_memory() < 4 * GiB:
        pytest.skip("moto keeps objects in memory; this machine has under 4 GiB available")
    log = tmp_path_factory.mktemp("moto") / "moto.log"
    with MotoProcess(rss_cap=3 * GiB, min_available=GiB, log=log) as moto:
        boto3.client(
            "s3", endpoint_url=moto.endpoint, aws_access_key_id="testing", aws_secret_access_key="testing"
        ).create_bucket(Bucket="hardening")
        yield moto.endpoint
        moto.check()


@pytest.fixture
def s3_server(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalChronicle]:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    with LocalChronicle(storage="s3", s3_bucket="hardening", s3_endpoint_url=moto_endpoint) as srv:
        yield srv


class Heartbeats:
    """Another client heartbeating its own run every 50 ms; the slowest answer is kept."""

    def __init__(self, server: LocalChronicle) -> None:
        self.wire = Wire(server)
        self.exp_id = self.wire.committed()
        self.wire.start(self.exp_id)
        self.slowest = 0.0
        self.beats = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, daemon=True)

    def _beat(self) -> None:
        body = {"experiment_id": self.exp_id, "variation": 0, "run": 0}
        while not self._stop.wait(0.05):
            started = time.monotonic()
            self.wire.ok("POST", "/v1/heartbeat", body)
            self.slowest = max(self.slowest, time.monotonic() - started)
            self.beats += 1

    def __enter__(self) -> Heartbeats:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(30)
        self.wire.close()


def _read_back_while_heartbeating(server: LocalChronicle, operation: str, size: int) -> None:
    """Upload ``size`` bytes as one component, then finalize or verify it while another client heartbeats."""
    wire = Wire(server)
    try:
        asset_id = _pending(wire, ["big.bin"])
        url = wire.ok("POST", f"/v1/assets/{asset_id}/presign", {"operation": "upload"})["presigned_urls"]["big.bin"]
        block = os.urandom(MiB)
        body = block * (size // MiB)
        put = httpx.put(url["url"], content=body, timeout=120)
        if put.status_code != 200:
            pytest.skip(f"storage could not take a {size // MiB} MiB object: {put.status_code}")
        digest = hashlib.sha256(body).hexdigest()
        del body
        with Heartbeats(server) as beats:
            time.sleep(0.2)
            started = time.monotonic()
            if operation == "finalize":
                files = [{"path": "big.bin", "sha256": digest}]
                assert wire.ok("PUT", f"/v1/assets/{asset_id}/finalize", {"files": files})["state"] == "ready"
            else:
                components = [{"name": "big.bin", "sha256": digest}]
                wire.ok("POST", f"/v1/assets/{asset_id}/components/verify", {"components": components})
            took = time.monotonic() - started
            time.sleep(0.2)
        assert took > 0.8, f"the read-back took {took:.2f} s: too short to show anything"
        assert beats.beats >= 5
        assert beats.slowest < 0.5, f"a heartbeat took {beats.slowest:.2f} s while the object was read back"
    finally:
        wire.close()


@pytest.mark.parametrize("operation", ["finalize", "verify"])
def test_reading_an_object_back_from_s3_does_not_freeze_the_api(s3_server: LocalChronicle, operation: str) -> None:
    """192 MiB read back from moto, through a bucket that answers each read-back a second late."""
    s3_server.faults.delay_storage(1.0)
    _read_back_while_heartbeating(s3_server, operation, 192 * MiB)


def test_s3_uploads_are_reused_on_a_repeated_start_and_aborted_when_the_asset_is_abandoned(
    s3_server: LocalChronicle, moto_endpoint: str
) -> None:
    bucket = boto3.client("s3", endpoint_url=moto_endpoint)
    wire = Wire(s3_server)
    try:
        asset_id = _pending(wire, ["a.bin", "b.bin"])
        first = _start(wire, asset_id, "a.bin", 12 * MiB, 5 * MiB)
        _put_parts(wire, asset_id, "a.bin", first["upload_id"], {1: os.urandom(5 * MiB)})
        assert _start(wire, asset_id, "a.bin", 12 * MiB, 5 * MiB)["upload_id"] == first["upload_id"]
        other = _start(wire, asset_id, "b.bin", 12 * MiB, 5 * MiB)
        assert _start(wire, asset_id, "b.bin", 15 * MiB, 5 * MiB)["upload_id"] != other["upload_id"]

        def uploads() -> list[str]:
            listed = bucket.list_multipart_uploads(Bucket="hardening", Prefix=f"{asset_id}/").get("Uploads", [])
            return sorted(str(u["Key"]) for u in listed)

        assert uploads() == [f"{asset_id}/a.bin", f"{asset_id}/b.bin"]
        experiment_id = wire.ok("GET", f"/v1/assets/{asset_id}")["experiment_id"]
        wire.ok("POST", f"/v1/experiments/{experiment_id}/variations/0/runs/0/fail", {"reason": "crash"})
        assert eventually(lambda: uploads() == []), uploads()
    finally:
        wire.close()


# -- 3. idle keep-alive connections ---------------------------------------------------------------------
def test_fifty_keep_alive_clients_are_never_refused(server: LocalChronicle, wire: Wire) -> None:
    """Each client keeps two storage connections alive (two components in parallel), as an SDK's pool does."""
    clients, rounds = 50, 3
    exp_id = wire.committed()
    wire.start(exp_id)
    assets = [wire.presigned(exp_id, ["a.bin", "b.bin"]) for _ in range(clients * rounds)]
    statuses: list[int] = []
    failures: list[str] = []
    barrier = threading.Barrier(clients)

    def client(index: int) -> None:
        with httpx.Client(timeout=60, limits=httpx.Limits(max_keepalive_connections=4)) as http:
            barrier.wait()
            for round_ in range(rounds):
                urls = assets[index * rounds + round_]["upload_urls"]

                def put(url: str) -> None:
                    try:
                        statuses.append(http.put(url, content=os.urandom(64 * 1024)).status_code)
                    except httpx.HTTPError as exc:
                        failures.append(repr(exc))

                pair = [threading.Thread(target=put, args=(u["url"],)) for u in urls]
                for thread in pair:
                    thread.start()
                for thread in pair:
                    thread.join()
                time.sleep(0.2)  # the client's own work between uploads: its connections sit idle, kept alive

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert statuses.count(503) == 0, f"{statuses.count(503)} of {len(statuses)} uploads refused with 503"
    assert statuses == [200] * clients * rounds * 2


# -- 4. ENOSPC --------------------------------------------------------------------------------------------
def _temporaries(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.name.startswith(".upload-")]


def _assert_insufficient_storage(response: httpx.Response) -> None:
    assert response.status_code == 507, response.text
    body = response.json()
    assert body["code"] == "insufficient_storage"
    assert "space" in body["message"]


def test_a_write_that_hits_enospc_is_answered_507(server: LocalChronicle, wire: Wire) -> None:
    storage = server._server.storage
    storage.faults.no_space_after = 3 * MiB
    try:
        asset_id = _pending(wire, ["single.bin", "parts.bin"])
        urls = wire.ok("POST", f"/v1/assets/{asset_id}/presign", {"operation": "upload"})["presigned_urls"]
        _assert_insufficient_storage(httpx.put(urls["single.bin"]["url"], content=os.urandom(8 * MiB), timeout=30))
        assert _temporaries(server.data_dir) == []
        started = _start(wire, asset_id, "parts.bin", 16 * MiB, 8 * MiB)
        body = {"component": "parts.bin", "upload_id": started["upload_id"], "part_numbers": [1]}
        part_url = wire.ok("POST", f"/v1/assets/{asset_id}/multipart/presign", body)["urls"]["1"]
        _assert_insufficient_storage(httpx.put(part_url, content=os.urandom(8 * MiB), timeout=30))
        query = {"component": "parts.bin", "upload_id": started["upload_id"]}
        assert wire.ok("GET", f"/v1/assets/{asset_id}/multipart/parts", params=query)["parts"] == []
    finally:
        storage.faults.reset()
    assert httpx.put(urls["single.bin"]["url"], content=b"room again", timeout=30).status_code == 200


@contextlib.contextmanager
def _tiny_tmpfs(size: str) -> Iterator[Path]:
    mount = Path(tempfile.mkdtemp(prefix="methodic-tmpfs-"))
    try:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)], capture_output=True)
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")
        try:
            yield mount
        finally:
            subprocess.run(["umount", "-l", str(mount)], check=False)
    finally:
        with contextlib.suppress(OSError):
            mount.rmdir()


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a tmpfs needs root")
def test_a_full_disk_is_answered_507_and_leaves_no_temporary() -> None:
    with _tiny_tmpfs("24m") as mount, LocalChronicle(data_dir=mount / "data", validate_contract=True) as server:
        wire = Wire(server)
        try:
            asset_id = _pending(wire, ["single.bin", "parts.bin"])
            urls = wire.ok("POST", f"/v1/assets/{asset_id}/presign", {"operation": "upload"})["presigned_urls"]
            response = httpx.put(urls["single.bin"]["url"], content=os.urandom(32 * MiB), timeout=30)
            _assert_insufficient_storage(response)
            assert _temporaries(server.data_dir) == []
            started = _start(wire, asset_id, "parts.bin", 64 * MiB, 32 * MiB)
            body = {"component": "parts.bin", "upload_id": started["upload_id"], "part_numbers": [1]}
            part_url = wire.ok("POST", f"/v1/assets/{asset_id}/multipart/presign", body)["urls"]["1"]
            _assert_insufficient_storage(httpx.put(part_url, content=os.urandom(32 * MiB), timeout=30))
            assert httpx.put(urls["single.bin"]["url"], content=b"small", timeout=30).status_code == 200
        finally:
            wire.close()
