"""Big files through the storage gateway (the hosted ``r2`` route), over real HTTP to the local Chronicle.

A component above the gateway's ``max_part_bytes`` goes up in parallel parts on its upload URL itself
(``POST ?uploads=``, ``PUT ?upload_id&part_number``, ``POST ?upload_id {parts}``), with the API key and
never anything else's; it is read once, and finalize names it by its whole sha256. A crash between a
part's PUT and its tracker row, parts storage lost or altered, a file rewritten mid-upload and a kill -9
halfway are each survived (resending only what storage cannot vouch for) or refused without ever
finalizing a torn component.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from methodic import Chronicle, UploadTracker
from methodic.errors import ChronicleError, FileChangedError, PartLayoutError, StorageError, UploadError
from methodic.transfer.config import RetryPolicy
from methodic.transfer.gateway_parts import GatewayParts
from methodic_contract import part_count
from methodic_server import LocalChronicle
from tests.helpers import chronicle_env, contract_checked, sha256_file, write_random
from tests.transfer.parts import CrashAfterParts, experiment, small_parts
from tests.transfer.progress import CountingProgress

MiB = 1 << 20
CHILD = Path(__file__).with_name("multipart_child.py")


@pytest.fixture
def local() -> Iterator[LocalChronicle]:
    with contract_checked(max_part_bytes=MiB) as srv:
        yield srv


class RequestLog(httpx.HTTPTransport):
    """The real HTTP transport, recording method, path, query and whether the API key went along."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, str, str, bool]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        auth = request.headers.get("Authorization", "")
        self.seen.append((request.method, request.url.path, request.url.query.decode(), auth.startswith("Bearer ")))
        return super().handle_request(request)


def test_a_big_file_goes_up_in_gateway_parts_with_the_key_and_comes_down_byte_identical(
    local: LocalChronicle, tmp_path: Path
) -> None:
    ckpt = tmp_path / "ckpt"
    big = write_random(ckpt / "optimizer.pt", 6 * MiB + 12345)  # over the gateway's 1 MiB parts
    (ckpt / "config.json").write_text("{}")
    log = RequestLog()
    with small_parts(local, transport=log) as client:
        asset = client.assets._transfers().upload_directory(ckpt, asset_type="checkpoint", output_of=experiment(client))
        ready = asset.wait(60)
        by_name = {c["name"]: c for c in ready.components}
        assert by_name["optimizer.pt"]["sha256"] == sha256_file(big)  # finalize took the whole file's sha256
        paths = client.assets.download(ready.id, tmp_path / "out")
    assert sorted(p.name for p in paths) == ["config.json", "optimizer.pt"]
    assert sha256_file(tmp_path / "out" / "optimizer.pt") == sha256_file(big)
    uploads = [s for s in log.seen if "/uploads/" in s[1]]
    big_requests = [(m, q.split("&")[0].split("=")[0]) for m, p, q, _ in uploads if p.endswith("/optimizer.pt")]
    assert big_requests[0] == ("POST", "uploads")
    assert [m for m, q in big_requests if q == "upload_id"].count("PUT") == part_count(big.stat().st_size, MiB) == 7
    assert big_requests[-1] == ("POST", "upload_id")
    assert [(m, q) for m, p, q, _ in uploads if p.endswith("/config.json")] == [("PUT", "")]  # small: one PUT
    assert all(with_key for *_, with_key in uploads)  # the gateway's URLs take the key...
    reads = [s for s in log.seen if "/gateway/v1/data/" in s[1]]  # ...so do its R2 reads (the download)...
    assert reads and all(with_key for *_, with_key in reads) and reads[0][1].endswith(f"/manifests/{ready.id}.json")
    gateway = ("/uploads/", "/gateway/v1/data/")
    assert not any(with_key for m, p, q, with_key in log.seen if not any(g in p for g in gateway))  # ...nothing else


def test_a_part_that_landed_after_the_last_tracker_write_is_not_sent_again(
    local: LocalChronicle, tmp_path: Path
) -> None:
    big = write_random(tmp_path / "ckpt" / "model.bin", 8 * MiB, seed=3)
    db = tmp_path / "uploads.sqlite"
    with small_parts(local, part_workers=1) as client:  # one part worker: the crash lands right after part 3
        handle = client.assets._transfers().upload_directory(
            tmp_path / "ckpt", asset_type="checkpoint", output_of=experiment(client), tracker=CrashAfterParts(db)
        )
        with pytest.raises((UploadError, KeyboardInterrupt)):
            handle.wait(60)
            client.wait_for_uploads()
    with UploadTracker(db) as tracker:
        (pending,) = tracker.get_pending_uploads()
        (component,) = pending.components
        assert component.upload_id is not None and pending.route == "r2"
        assert sorted(tracker.get_parts(pending.asset_id, "model.bin", component.upload_id)) == [1, 2]
        before = local.storage_bytes_received
        progress = CountingProgress()
        with small_parts(local) as client:
            (asset,) = client.resume_uploads(tracker, progress=progress)
            sent = local.storage_bytes_received - before
            client.assets.download(asset.id, tmp_path / "out")
    # Parts 1-2 were recorded and part 3 landed unrecorded: its ETag is the sha256 just read, so only 4-8 go again.
    assert sent == 5 * MiB
    assert progress.total == progress.counted == 8 * MiB  # the resume's bar ends at 100%, not at 5/8
    assert sha256_file(tmp_path / "out" / "model.bin") == sha256_file(big)


def test_parts_storage_lost_or_altered_are_sent_again(local: LocalChronicle, tmp_path: Path) -> None:
    big = write_random(tmp_path / "ckpt" / "model.bin", 6 * MiB, seed=4)
    db = tmp_path / "uploads.sqlite"
    with small_parts(local, part_workers=1) as client:
        handle = client.assets._transfers().upload_directory(
            tmp_path / "ckpt", asset_type="checkpoint", output_of=experiment(client), tracker=CrashAfterParts(db)
        )
        with pytest.raises((UploadError, KeyboardInterrupt)):
            handle.wait(60)
            client.wait_for_uploads()
    with UploadTracker(db) as tracker:
        (pending,) = tracker.get_pending_uploads()
        upload_id = pending.components[0].upload_id
        assert upload_id is not None
        # Storage now answers differently from what the tracker recorded: part 1 gone, part 2 another ETag.
        (parts_dir,) = (local.data_dir / "objects-multipart" / pending.asset_id).glob(f"gateway-{upload_id}")
        (parts_dir / "part-00001").unlink()
        (parts_dir / "part-00001.rec").unlink()
        (parts_dir / "part-00002.rec").write_text(f"{MiB} {'0' * 64}")
        before = local.storage_bytes_received
        with small_parts(local) as client:
            (asset,) = client.resume_uploads(tracker)
            sent = local.storage_bytes_received - before
            client.assets.download(asset.id, tmp_path / "out")
    assert sent == 5 * MiB  # parts 1 and 2 again (3 landed and matches the file), and 4-6
    assert sha256_file(tmp_path / "out" / "model.bin") == sha256_file(big)


def test_a_file_rewritten_mid_upload_is_never_finalized(tmp_path: Path) -> None:
    with (
        LocalChronicle(per_connection_bytes_per_second=2 * MiB, max_part_bytes=MiB) as srv,
        small_parts(srv, part_workers=2) as client,
    ):
        big = write_random(tmp_path / "ckpt" / "model.bin", 12 * MiB, seed=5)
        db = tmp_path / "uploads.sqlite"
        with UploadTracker(db) as tracker:
            handle = client.assets._transfers().upload_directory(
                tmp_path / "ckpt", asset_type="checkpoint", output_of=experiment(client), tracker=tracker
            )
            time.sleep(1.0)  # a few parts are in flight or done
            with big.open("r+b") as f:  # the trainer rewrites its checkpoint in place
                f.seek(9 * MiB)
                f.write(b"\xff" * 4096)
            with pytest.raises(UploadError) as caught:
                handle.wait(60)
            assert any(isinstance(e, FileChangedError) for _, _, e in caught.value.failures)
            assert client.assets.get(handle.asset_id).state == "pending"
            (recorded,) = [a for a in tracker.get_assets() if a.asset_id == handle.asset_id]
            assert recorded.state == "unrecoverable"
        client.wait_for_uploads()  # reported once, by wait(): not again here


@pytest.mark.slow
def test_kill_nine_mid_upload_then_cli_resume_sends_only_missing_parts(tmp_path: Path) -> None:
    size, part = 24 * MiB, MiB
    with LocalChronicle(per_connection_bytes_per_second=3 * MiB, max_part_bytes=MiB) as srv:
        big = write_random(tmp_path / "ckpt" / "optimizer.pt", size, seed=8)
        db = tmp_path / "uploads.sqlite"
        with Chronicle(srv.url, srv.api_key) as client:
            exp = client.experiments.create(title="t", hypothesis_summary="h", config_yaml="lr: 1")
            exp.commit()
            client.variation(exp.id, 0).commit(commit_without_hypothesis=True)
            client.run(exp.id, 0, 0).start()
        args = [srv.url, srv.api_key, exp.id, "0", "0", str(tmp_path / "ckpt"), str(db), str(2 * MiB), str(part), "2"]
        child = subprocess.Popen([sys.executable, str(CHILD), *args], stdout=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + 60
            recorded = 0
            while time.monotonic() < deadline and recorded < part_count(size, part) // 2:
                time.sleep(0.05)
                if db.exists():
                    with UploadTracker(db) as peek:
                        pending = peek.get_pending_uploads()
                        if pending and pending[0].components[0].upload_id:
                            c = pending[0].components[0]
                            recorded = len(peek.get_parts(pending[0].asset_id, c.name, c.upload_id or ""))
            os.kill(child.pid, signal.SIGKILL)  # about half way, parts in flight
        finally:
            child.kill()
            child.wait()
        with UploadTracker(db) as tracker:
            (pending,) = tracker.get_pending_uploads()
            c = pending.components[0]
            recorded = len(tracker.get_parts(pending.asset_id, c.name, c.upload_id or ""))
            assert part_count(size, part) // 2 <= recorded < part_count(size, part)
        before = srv.storage_bytes_received
        resumed = subprocess.run(
            [sys.executable, "-m", "methodic", "uploads", "resume", "--tracker", str(db), "--no-progress"],
            env=chronicle_env(srv),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert resumed.returncode == 0, resumed.stderr[-2000:]
        sent = srv.storage_bytes_received - before
        with Chronicle(srv.url, srv.api_key) as client:
            (asset,) = [a for a in client.run(exp.id, 0, 0).list_outputs() if a.asset_type == "checkpoint"]
            assert asset.state == "ready"
            client.assets.download(asset.id, tmp_path / "out")
    # Only parts the tracker lacks go again, and of those only the ones storage does not vouch for.
    assert sent <= size - recorded * part
    assert sha256_file(tmp_path / "out" / "optimizer.pt") == sha256_file(big)


def test_the_gateway_wire_refuses_a_wrong_part_list_and_completes_idempotently(
    local: LocalChronicle, tmp_path: Path
) -> None:
    with Chronicle(local.url, local.api_key) as client:
        target = experiment(client)
        created = client.assets.create_with_presigned(
            asset_type="checkpoint",
            components=["x.bin", "y.bin"],
            output_of={"experiment_id": target.experiment_id},
            upload_targets=["r2", "gcs"],
        )
        assert created.via == "r2" and created.max_part_bytes == MiB
        url = created.upload_urls["x.bin"]
        retry = RetryPolicy(max_attempts=2, sleep=lambda s: None)
        with httpx.Client() as http:
            wire = GatewayParts(http, url, client.assets.gateway_headers(url), retry, component="x.bin")
            upload_id = wire.start()
            one, two = os.urandom(MiB), os.urandom(MiB)
            etags = [wire.put(upload_id, 1, [one], MiB), wire.put(upload_id, 2, [two], MiB)]
            listed = wire.list(upload_id)
            assert listed is not None and sorted(listed) == [1, 2]
            assert etags == [hashlib.sha256(one).hexdigest(), hashlib.sha256(two).hexdigest()]
            with pytest.raises(StorageError) as wrong:
                wire.complete(upload_id, [(1, etags[1]), (2, etags[0])])
            assert wrong.value.status_code == 400
            done = wire.complete(upload_id, [(1, etags[0]), (2, etags[1])])
            assert done["sha256"] == hashlib.sha256(one + two).hexdigest()
            assert wire.complete(upload_id, [(1, etags[0]), (2, etags[1])])["sha256"] == done["sha256"]
            # Without the key, the gateway refuses; the key never goes to a URL it may not go to.
            anonymous = GatewayParts(http, url, {}, retry, component="x.bin")
            with pytest.raises(StorageError) as refused:
                anonymous.start()
            assert refused.value.status_code == 401
            aborted = wire.start()
            wire.abort(aborted)
            wire.abort(aborted)  # an upload already gone counts as aborted
            from methodic.errors import NotFoundError

            with pytest.raises(NotFoundError):
                wire.list(aborted)
        with pytest.raises(ChronicleError, match="refusing to send the API key"):
            client.assets.gateway_headers("http://storage.example.com/gateway/v1/uploads/a/b")


def test_a_hostile_parts_listing_fails_the_resume_before_any_part_moves(local: LocalChronicle, tmp_path: Path) -> None:
    write_random(tmp_path / "ckpt" / "model.bin", 4 * MiB, seed=9)
    db = tmp_path / "uploads.sqlite"
    with small_parts(local, part_workers=1) as client:
        handle = client.assets._transfers().upload_directory(
            tmp_path / "ckpt", asset_type="checkpoint", output_of=experiment(client), tracker=CrashAfterParts(db)
        )
        with pytest.raises((UploadError, KeyboardInterrupt)):
            handle.wait(60)
            client.wait_for_uploads()
    with UploadTracker(db) as tracker:
        (pending,) = tracker.get_pending_uploads()
        upload_id = pending.components[0].upload_id
        (parts_dir,) = (local.data_dir / "objects-multipart" / pending.asset_id).glob(f"gateway-{upload_id}")
        (parts_dir / "part-09999").write_bytes(b"x")  # storage claims a part the 4-part layout cannot have
        (parts_dir / "part-09999.rec").write_text(f"1 {'a' * 64}")
        before = local.storage_bytes_received
        with small_parts(local) as client:
            (outcome,) = client.assets._transfers().resume_each(tracker)
        assert local.storage_bytes_received == before
    assert outcome.asset is None and outcome.status == "failed"
    assert any(isinstance(error, PartLayoutError) for _, error in outcome.errors), outcome.errors


def test_forgetting_an_asset_aborts_its_unfinished_gateway_upload_and_frees_its_parts(
    local: LocalChronicle, tmp_path: Path
) -> None:
    write_random(tmp_path / "ckpt" / "model.bin", 4 * MiB, seed=10)
    db = tmp_path / "uploads.sqlite"
    with small_parts(local, part_workers=1) as client:
        handle = client.assets._transfers().upload_directory(
            tmp_path / "ckpt", asset_type="checkpoint", output_of=experiment(client), tracker=CrashAfterParts(db)
        )
        with pytest.raises((UploadError, KeyboardInterrupt)):
            handle.wait(60)
            client.wait_for_uploads()
    with UploadTracker(db) as tracker:
        (pending,) = tracker.get_pending_uploads()
        upload_id = pending.components[0].upload_id
    (parts_dir,) = (local.data_dir / "objects-multipart" / pending.asset_id).glob(f"gateway-{upload_id}")
    assert list(parts_dir.glob("part-*"))  # parts 1-3 are in storage
    forgot = subprocess.run(
        [sys.executable, "-m", "methodic", "uploads", "forget", pending.asset_id, "--tracker", str(db)],
        env=chronicle_env(local),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert forgot.returncode == 0, forgot.stderr
    assert "aborted 1 unfinished upload(s)" in forgot.stdout
    assert not parts_dir.exists()  # the bytes are freed now, not at the idle sweep
