"""Storage hardening (issue 25), each finding reproduced over real HTTP.

Large files go up in parts through the storage gateway's multipart on the upload URL (the r2 route:
``POST url?uploads``, ``PUT url?upload_id&part_number``, ``GET url?upload_id``, ``POST url?upload_id
{parts}``, ``DELETE url?upload_id``, each with the API key), so the multipart findings are tested there:

- A start reserves nothing on disk, and a part holds only its own bytes, plus their copy in the upload's
  joined prefix once the parts before it are in (the copy that becomes the component: the two copies a
  complete always held at its end, held from the part on). No multipart upload is orphaned
  for good: one started again (its answer lost, or its starter killed before it recorded the id) is
  dropped with every other upload of the asset once the asset takes no more (finalized, abandoned by a
  failed run, deleted, expired), and one idle past ``gateway_upload_idle_timeout`` is aborted by the
  watchdog. Measured in the data directory's allocated blocks.
- Finalize reads objects back from storage without holding the store's lock: another
  client's heartbeats go on meanwhile (against moto's S3 server, in its own process: a bucket serves the
  gcs route, single presigned PUTs, and is read back at finalize).
- Idle keep-alive storage connections hold no slot: 50 clients, each with its own keep-alive pool,
  upload at once (presigned PUTs, and gateway multipart uploads) and none is refused with 503.
- A body that hits a full disk (ENOSPC) is answered 507 ``insufficient_storage`` and leaves no temporary,
  through a presigned PUT, a gateway PUT and a gateway part.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import json
import os
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import boto3
import httpx
import pytest

from methodic_server import LocalChronicle
from tests.server.wire import Wire
from tests.transfer.moto_process import GiB, MotoProcess, available_memory

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
    """What the gateway's multipart uploads occupy on disk (in the storage service's multipart tree)."""
    return allocated(server.data_dir / "objects-multipart")


def eventually(check: Callable[[], bool], seconds: float = 5.0) -> bool:
    """Whether ``check()`` becomes true within ``seconds``."""
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Uploads:
    """The gateway's upload URLs of one server, driven with its API key (what the r2 route takes)."""

    def __init__(self, server: LocalChronicle, wire: Wire) -> None:
        self.wire = wire
        self.http = httpx.Client(headers={"Authorization": f"Bearer {server.api_key}"}, timeout=30)

    def close(self) -> None:
        self.http.close()

    def pending(self, components: list[str], route: str = "r2") -> tuple[str, dict[str, str]]:
        """A presigned checkpoint of a started run 0/0 on ``route``: its id and upload URLs by component."""
        exp_id = self.wire.committed()
        self.wire.start(exp_id)
        created = self.wire.presigned(exp_id, components, upload_targets=[route])
        assert created["upload"]["via"] == route, created["upload"]
        urls = [u["url"] for u in created["upload_urls"]]
        return str(created["asset"]["id"]), dict(zip(components, urls, strict=True))

    def start(self, url: str) -> str:
        response = self.http.post(url, params={"uploads": ""})
        assert response.status_code == 200, response.text
        return str(response.json()["upload_id"])

    def part(self, url: str, upload_id: str, number: int, data: bytes) -> httpx.Response:
        return self.http.put(url, params={"upload_id": upload_id, "part_number": number}, content=data)

    def put_parts(self, url: str, upload_id: str, parts: dict[int, bytes]) -> list[dict[str, Any]]:
        """PUT the given parts (number → bytes); the part list complete takes."""
        listed = []
        for number in sorted(parts):
            response = self.part(url, upload_id, number, parts[number])
            assert response.status_code == 200, response.text
            assert response.json()["etag"] == _sha(parts[number])
            listed.append({"part_number": number, "etag": response.json()["etag"]})
        return listed

    def complete(self, url: str, upload_id: str, listed: list[dict[str, Any]]) -> dict[str, Any]:
        response = self.http.post(url, params={"upload_id": upload_id}, json={"parts": listed})
        assert response.status_code == 200, response.text
        return dict(response.json())

    def status(self, url: str, upload_id: str) -> int:
        """The status of listing the upload's parts: 200 while it is in progress, 404 once it is gone."""
        return self.http.get(url, params={"upload_id": upload_id}).status_code


@pytest.fixture
def uploads(server: LocalChronicle, wire: Wire) -> Iterator[Uploads]:
    client = Uploads(server, wire)
    yield client
    client.close()


# -- 1. nothing reserved, nothing orphaned -------------------------------------------------------------
def test_a_multipart_start_reserves_nothing_and_a_part_only_its_own_bytes(
    server: LocalChronicle, uploads: Uploads
) -> None:
    _, urls = uploads.pending(["big.bin"])
    before = allocated(server.data_dir)
    upload_id = uploads.start(urls["big.bin"])
    assert multipart_bytes(server) < MiB, "a start must not reserve anything"
    data = os.urandom(16 * MiB)
    listed = uploads.put_parts(urls["big.bin"], upload_id, {1: data})
    # the part, and its copy in the joined prefix (which complete commits as the component)
    assert eventually(lambda: multipart_bytes(server) >= 2 * 16 * MiB), multipart_bytes(server)
    held = multipart_bytes(server)
    assert 2 * 16 * MiB <= held < 2 * 16 * MiB + MiB, held
    assert allocated(server.data_dir) - before < 2 * 16 * MiB + 2 * MiB
    # complete moves the bytes into the object tree and frees the parts
    assert uploads.complete(urls["big.bin"], upload_id, listed)["sha256"] == _sha(data)
    assert multipart_bytes(server) < LEFTOVER
    assert allocated(server.data_dir) - before < 16 * MiB + 2 * MiB


def test_a_repeated_start_leaves_no_orphan(server: LocalChronicle, wire: Wire, uploads: Uploads) -> None:
    """A start sent again (its answer lost, or its starter killed first): the unused upload goes at finalize."""
    asset_id, urls = uploads.pending(["m.bin"])
    data = os.urandom(4 * MiB)
    first = uploads.start(urls["m.bin"])
    uploads.put_parts(urls["m.bin"], first, {1: data[:MiB]})
    again = uploads.start(urls["m.bin"])
    assert again != first and uploads.status(urls["m.bin"], first) == 200  # both exist until the asset is done
    parts = {i + 1: data[i * MiB : (i + 1) * MiB] for i in range(4)}
    uploads.complete(urls["m.bin"], again, uploads.put_parts(urls["m.bin"], again, parts))
    assert multipart_bytes(server) >= MiB  # the first upload's part is still held
    files = [{"path": "m.bin", "sha256": _sha(data)}]
    assert wire.ok("PUT", f"/v1/assets/{asset_id}/finalize", {"files": files})["state"] == "ready"
    assert eventually(lambda: multipart_bytes(server) < LEFTOVER), multipart_bytes(server)
    assert uploads.status(urls["m.bin"], first) == 404


def _with_unfinished_upload(server: LocalChronicle, uploads: Uploads, components: list[str]) -> tuple[str, str, str]:
    """A pending r2 asset whose first component has an upload with two 1 MiB parts: (asset id, its URL, upload id)."""
    asset_id, urls = uploads.pending(components)
    url = urls[components[0]]
    upload_id = uploads.start(url)
    uploads.put_parts(url, upload_id, {1: os.urandom(MiB), 2: os.urandom(MiB)})
    assert multipart_bytes(server) >= 2 * MiB
    return asset_id, url, upload_id


def test_the_uploads_of_an_asset_abandoned_by_a_failed_run_are_aborted(
    server: LocalChronicle, wire: Wire, uploads: Uploads
) -> None:
    asset_id, url, upload_id = _with_unfinished_upload(server, uploads, ["a.bin"])
    experiment_id = wire.ok("GET", f"/v1/assets/{asset_id}")["experiment_id"]
    wire.ok("POST", f"/v1/experiments/{experiment_id}/variations/0/runs/0/fail", {"reason": "crash: OOM"})
    assert wire.ok("GET", f"/v1/assets/{asset_id}")["state"] == "abandoned"
    # at once (well before the watchdog's first pass, 30 s by default), not after the idle timeout
    assert eventually(lambda: multipart_bytes(server) < LEFTOVER), multipart_bytes(server)
    assert uploads.status(url, upload_id) == 404


def test_an_upload_the_finalized_asset_did_not_use_is_aborted(
    server: LocalChronicle, wire: Wire, uploads: Uploads
) -> None:
    """A process killed between start and its tracker learning the upload id; the resume sent the file again."""
    asset_id, url, _ = _with_unfinished_upload(server, uploads, ["a.bin"])
    assert uploads.http.put(url, content=b"weights").status_code == 200
    files = [{"path": "a.bin", "sha256": _sha(b"weights")}]
    assert wire.ok("PUT", f"/v1/assets/{asset_id}/finalize", {"files": files})["state"] == "ready"
    assert eventually(lambda: multipart_bytes(server) < LEFTOVER), multipart_bytes(server)


@pytest.mark.parametrize("how", ["deleted", "expired"])
def test_the_uploads_of_a_deleted_or_expired_asset_are_aborted(
    server: LocalChronicle, wire: Wire, uploads: Uploads, how: str
) -> None:
    asset_id, _, _ = _with_unfinished_upload(server, uploads, ["a.bin"])
    if how == "deleted":
        wire.ok("DELETE", f"/v1/assets/{asset_id}")
    else:
        server.expire_asset(asset_id)
    assert eventually(lambda: multipart_bytes(server) < LEFTOVER), multipart_bytes(server)


def test_an_upload_idle_past_the_limit_is_aborted_by_the_watchdog() -> None:
    with LocalChronicle(validate_contract=True, gateway_upload_idle_timeout=1.0, watchdog_interval=0.1) as server:
        wire = Wire(server)
        uploads = Uploads(server, wire)
        try:
            asset_id, idle_url, idle = _with_unfinished_upload(server, uploads, ["idle.bin", "busy.bin"])
            busy_url = idle_url.replace("idle.bin", "busy.bin")
            busy = uploads.start(busy_url)
            # an upload that keeps receiving parts is not idle, however old it is
            for number in range(1, 6):
                uploads.put_parts(busy_url, busy, {number: os.urandom(MiB)})
                time.sleep(0.4)
            assert uploads.status(busy_url, busy) == 200
            assert uploads.status(idle_url, idle) == 404
            assert eventually(lambda: uploads.status(busy_url, busy) == 404)
            assert eventually(lambda: multipart_bytes(server) < LEFTOVER), multipart_bytes(server)
            assert wire.ok("GET", f"/v1/assets/{asset_id}")["state"] == "pending"  # the asset itself stays
        finally:
            uploads.close()
            wire.close()
        assert server.contract_violations == []


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


def _read_back_while_heartbeating(server: LocalChronicle, size: int) -> None:
    """Upload ``size`` bytes as one component, then finalize it while another client heartbeats."""
    wire = Wire(server)
    try:
        exp_id = wire.committed()
        wire.start(exp_id)
        created = wire.presigned(exp_id, ["big.bin"], upload_targets=["r2", "gcs"])
        assert created["upload"]["via"] == "gcs"  # a bucket has no gateway in front of it
        asset_id = created["asset"]["id"]
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
            files = [{"path": "big.bin", "sha256": digest}]
            assert wire.ok("PUT", f"/v1/assets/{asset_id}/finalize", {"files": files})["state"] == "ready"
            took = time.monotonic() - started
            time.sleep(0.2)
        assert took > 0.8, f"the read-back took {took:.2f} s: too short to show anything"
        assert beats.beats >= 5
        assert beats.slowest < 0.5, f"a heartbeat took {beats.slowest:.2f} s while the object was read back"
    finally:
        wire.close()


def test_reading_an_object_back_from_s3_does_not_freeze_the_api(s3_server: LocalChronicle) -> None:
    """192 MiB read back from moto, through a bucket that answers each read-back a second late."""
    s3_server.faults.delay_storage(1.0)
    _read_back_while_heartbeating(s3_server, 192 * MiB)


# -- 3. idle keep-alive connections ---------------------------------------------------------------------
@pytest.mark.parametrize("route", ["gcs", "r2"])
def test_fifty_keep_alive_clients_are_never_refused(server: LocalChronicle, wire: Wire, route: str) -> None:
    """Each client keeps two storage connections alive (two components in parallel), as an SDK's pool does.

    On gcs each component is one presigned PUT; on r2 a gateway multipart upload (start, one part,
    complete: three requests on one keep-alive connection), with the API key.
    """
    clients, rounds = 50, 3
    exp_id = wire.committed()
    wire.start(exp_id)
    assets = [wire.presigned(exp_id, ["a.bin", "b.bin"], upload_targets=[route]) for _ in range(clients * rounds)]
    assert {a["upload"]["via"] for a in assets} == {route}
    headers = {"Authorization": f"Bearer {server.api_key}"} if route == "r2" else {}
    statuses: list[int] = []
    failures: list[str] = []
    barrier = threading.Barrier(clients)

    def upload(http: httpx.Client, url: str) -> None:
        data = os.urandom(64 * 1024)
        try:
            if route == "gcs":
                statuses.append(http.put(url, content=data).status_code)
                return
            started = http.post(url, params={"uploads": ""})
            statuses.append(started.status_code)
            if started.status_code != 200:
                return
            upload_id = started.json()["upload_id"]
            part = http.put(url, params={"upload_id": upload_id, "part_number": 1}, content=data)
            statuses.append(part.status_code)
            listed = [{"part_number": 1, "etag": _sha(data)}]
            statuses.append(http.post(url, params={"upload_id": upload_id}, json={"parts": listed}).status_code)
        except httpx.HTTPError as exc:
            failures.append(repr(exc))

    def client(index: int) -> None:
        with httpx.Client(timeout=60, headers=headers, limits=httpx.Limits(max_keepalive_connections=4)) as http:
            barrier.wait()
            for round_ in range(rounds):
                urls = assets[index * rounds + round_]["upload_urls"]
                pair = [threading.Thread(target=upload, args=(http, u["url"])) for u in urls]
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
    assert statuses.count(503) == 0, f"{statuses.count(503)} of {len(statuses)} requests refused with 503"
    per_component = 1 if route == "gcs" else 3
    assert statuses == [200] * clients * rounds * 2 * per_component


# -- 4. ENOSPC --------------------------------------------------------------------------------------------
def _temporaries(root: Path) -> list[Path]:
    """Upload temporaries: a PUT's (``.upload-*``, beside its object) and a gateway part's (``.recv-*``)."""
    return [p for p in root.rglob("*") if p.name.startswith((".upload-", ".recv-"))]


def _assert_insufficient_storage(response: httpx.Response | tuple[int, dict[str, Any]]) -> None:
    if isinstance(response, httpx.Response):
        assert response.status_code == 507, response.text
        response = (response.status_code, response.json())
    status, body = response
    assert status == 507, body
    assert body["code"] == "insufficient_storage"
    assert "space" in body["message"]


def _put_whole_body_first(url: str, data: bytes, headers: dict[str, str] | None = None) -> tuple[int, dict[str, Any]]:
    """A PUT the way urllib3 (requests) sends one: the whole body, and only then the answer is read.

    Such a client hears a refusal only if storage reads the rest of the body: a connection closed with
    unread bytes is reset, and the client's send fails (broken pipe) before it reads anything.
    """
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
    try:
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        connection.request("PUT", target, body=data, headers=headers or {})
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


def test_a_write_that_hits_enospc_is_answered_507(server: LocalChronicle, wire: Wire, uploads: Uploads) -> None:
    storage = server._server.storage
    storage.faults.no_space_after = 3 * MiB
    key = {"Authorization": f"Bearer {server.api_key}"}
    try:
        _, presigned = uploads.pending(["single.bin"], route="gcs")
        _assert_insufficient_storage(httpx.put(presigned["single.bin"], content=os.urandom(8 * MiB), timeout=30))
        _assert_insufficient_storage(_put_whole_body_first(presigned["single.bin"], os.urandom(32 * MiB)))
        assert _temporaries(server.data_dir) == []
        _, urls = uploads.pending(["whole.bin", "parts.bin"])
        _assert_insufficient_storage(uploads.http.put(urls["whole.bin"], content=os.urandom(8 * MiB)))
        _assert_insufficient_storage(_put_whole_body_first(urls["whole.bin"], os.urandom(32 * MiB), key))
        upload_id = uploads.start(urls["parts.bin"])
        _assert_insufficient_storage(uploads.part(urls["parts.bin"], upload_id, 1, os.urandom(8 * MiB)))
        part_url = f"{urls['parts.bin']}?upload_id={upload_id}&part_number=1"
        _assert_insufficient_storage(_put_whole_body_first(part_url, os.urandom(32 * MiB), key))
        assert uploads.http.get(urls["parts.bin"], params={"upload_id": upload_id}).json()["parts"] == []
        assert _temporaries(server.data_dir) == []
    finally:
        storage.faults.reset()
    # room again: the same URLs and the same upload take their bytes
    assert httpx.put(presigned["single.bin"], content=b"room again", timeout=30).status_code == 200
    assert uploads.http.put(urls["whole.bin"], content=b"room again").status_code == 200
    assert uploads.put_parts(urls["parts.bin"], upload_id, {1: b"room again"})


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
        uploads = Uploads(server, wire)
        try:
            _, presigned = uploads.pending(["single.bin"], route="gcs")
            _assert_insufficient_storage(httpx.put(presigned["single.bin"], content=os.urandom(32 * MiB), timeout=30))
            assert _temporaries(server.data_dir) == []
            _, urls = uploads.pending(["whole.bin", "parts.bin"])
            _assert_insufficient_storage(uploads.http.put(urls["whole.bin"], content=os.urandom(32 * MiB)))
            upload_id = uploads.start(urls["parts.bin"])
            _assert_insufficient_storage(uploads.part(urls["parts.bin"], upload_id, 1, os.urandom(32 * MiB)))
            assert _temporaries(server.data_dir) == []
            assert httpx.put(presigned["single.bin"], content=b"small", timeout=30).status_code == 200
            assert uploads.put_parts(urls["parts.bin"], upload_id, {1: b"small"})
        finally:
            uploads.close()
            wire.close()
        assert server.contract_violations == []
