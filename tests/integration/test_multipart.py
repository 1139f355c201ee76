"""Multipart uploads and ranged downloads over real HTTP to the local Chronicle (API and storage on 127.0.0.1).

Large components go up in parallel parts and come down in parallel ranges, byte-identical; a PUT
over ``max_single_put_bytes`` is refused as S3 refuses it; a crash between a part's PUT and its
tracker row, a part storage lost or altered, a file changed mid-upload and expired part URLs are each
survived or refused without ever finalizing a torn component.
"""

from __future__ import annotations

import hashlib
import json
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
from methodic.errors import (
    DownloadError,
    FileChangedError,
    IntegrityError,
    StorageError,
    UploadError,
)
from methodic.transfer.tracker import PartRecord
from methodic.transfer.upload import OutputTarget
from methodic_contract import part_count
from methodic_server import LocalChronicle

MiB = 1 << 20
CHILD = Path(__file__).with_name("multipart_child.py")


def digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(MiB), b""):
            h.update(block)
    return h.hexdigest()


def write_random(path: Path, size: int, seed: int = 0) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    block = hashlib.sha256(str(seed).encode()).digest() * 32768  # 1 MiB that differs per seed
    with path.open("wb") as f:
        written = 0
        while written < size:
            chunk = block[: size - written]
            f.write(hashlib.sha256(written.to_bytes(8, "big")).digest() + chunk[32:])  # every MiB different
            written += len(chunk)
    return path


@pytest.fixture
def local() -> Iterator[LocalChronicle]:
    with LocalChronicle(validate_contract=True, max_single_put_bytes=5 * MiB) as srv:
        yield srv
        assert srv.contract_violations == [], srv.contract_violations


def small_parts(server: LocalChronicle, workers: int = 4) -> Chronicle:
    return Chronicle(
        server.url, server.api_key, max_upload_workers=workers, multipart_threshold=2 * MiB, min_part_size=MiB
    )


class CountingProgress:
    """A progress callback that adds up what it is told."""

    def __init__(self) -> None:
        self.total = 0
        self.counted = 0

    def on_start(self, total_bytes: int, description: str) -> None:
        self.total += total_bytes

    def on_bytes(self, n: int) -> None:
        self.counted += n

    def on_done(self) -> None:
        pass


def experiment(client: Chronicle) -> OutputTarget:
    exp = client.experiments.create(title="t", hypothesis_summary="h", config_yaml="lr: 1")
    return OutputTarget(exp.id)


def test_a_file_over_max_single_put_goes_up_in_parts_and_down_in_ranges_byte_identical(
    local: LocalChronicle, tmp_path: Path
) -> None:
    ckpt = tmp_path / "ckpt"
    big = write_random(ckpt / "optimizer.pt", 6 * MiB + 12345)  # over the storage's 5 MiB single-PUT limit
    (ckpt / "config.json").write_text("{}")
    with small_parts(local) as client:
        asset = client.assets._transfers().upload_directory(ckpt, asset_type="checkpoint", output_of=experiment(client))
        ready = asset.wait(60)
        by_name = {c["name"]: c for c in ready.components}
        assert by_name["optimizer.pt"]["part_size"] == MiB and by_name["config.json"]["part_size"] is None
        assert by_name["optimizer.pt"]["size_bytes"] == big.stat().st_size
        paths = client.assets.download(ready.id, tmp_path / "out")
    assert sorted(p.name for p in paths) == ["config.json", "optimizer.pt"]
    assert digest(tmp_path / "out" / "optimizer.pt") == digest(big)
    assert not list((tmp_path / "out").glob(".methodic-*"))  # no temporary left behind


class RangeLog(httpx.HTTPTransport):
    """The real HTTP transport, recording the Range header of every GET (how a download was split)."""

    def __init__(self) -> None:
        super().__init__()
        self.ranges: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "GET":
            self.ranges.append(request.headers.get("Range", ""))
        return super().handle_request(request)


@pytest.mark.parametrize(
    ("range_size", "ranges"),
    [
        (None, [f"bytes={n * MiB}-{min(7 * MiB - 1, (n + 1) * MiB - 1)}" for n in range(7)]),
        (2 * MiB + 1, ["bytes=0-3145727", "bytes=3145728-6291455", "bytes=6291456-7340031"]),  # 3 whole parts each
        (64 * MiB, ["bytes=0-7340031"]),  # larger than the component: one GET
    ],
)
def test_download_range_size_asks_for_whole_parts_per_get_and_still_verifies_each_part(
    local: LocalChronicle, tmp_path: Path, range_size: int | None, ranges: list[str]
) -> None:
    """Ranges group whole parts, so the part-wise checksum is still computed in the one read that downloads.

    Checked on both download paths: ``http.client`` (no transport given) and httpx (a recording transport).
    """
    big = write_random(tmp_path / "ckpt" / "model.bin", 7 * MiB, seed=5)  # 7 parts of 1 MiB
    with small_parts(local) as client:
        asset = (
            client.assets._transfers()
            .upload_directory(tmp_path / "ckpt", asset_type="checkpoint", output_of=experiment(client))
            .wait(60)
        )
    log = RangeLog()
    with (
        Chronicle(local.url, local.api_key, download_range_size=range_size) as direct,
        Chronicle(local.url, local.api_key, download_range_size=range_size, storage_transport=log) as logged,
    ):
        direct.assets.download(asset.id, tmp_path / "direct")
        logged.assets.download(asset.id, tmp_path / "logged")
    assert sorted(log.ranges) == sorted(ranges)
    assert digest(tmp_path / "direct" / "model.bin") == digest(tmp_path / "logged" / "model.bin") == digest(big)


def test_a_one_get_download_of_a_component_in_parts_refuses_a_rotten_part(
    local: LocalChronicle, tmp_path: Path
) -> None:
    """One GET for the whole component still hashes it part by part: a rotten byte in part 3 is refused."""
    write_random(tmp_path / "ckpt" / "model.bin", 5 * MiB, seed=8)
    with small_parts(local) as client:
        asset = (
            client.assets._transfers()
            .upload_directory(tmp_path / "ckpt", asset_type="checkpoint", output_of=experiment(client))
            .wait(60)
        )
    stored = local.data_dir / "objects" / asset.id / "model.bin"
    with stored.open("r+b") as f:
        f.seek(2 * MiB + 5)
        f.write(b"\x00" if f.read(1) != b"\x00" else b"\x01")
    with (
        Chronicle(local.url, local.api_key, download_range_size=64 * MiB) as client,
        pytest.raises(DownloadError) as caught,
    ):
        client.assets.download(asset.id, tmp_path / "rotten")
    ((_, _, error),) = caught.value.failures
    assert isinstance(error, IntegrityError)
    assert not (tmp_path / "rotten" / "model.bin").exists()
    assert not list((tmp_path / "rotten").glob(".methodic-*"))


def test_a_single_put_over_the_limit_is_refused_with_entity_too_large(local: LocalChronicle, tmp_path: Path) -> None:
    big = write_random(tmp_path / "big.bin", 5 * MiB + 1)
    with Chronicle(local.url, local.api_key) as client:
        target = experiment(client)
        created = client.assets.create_with_presigned(
            asset_type="checkpoint", components=["big.bin"], output_of={"experiment_id": target.experiment_id}
        )
        with pytest.raises(StorageError) as caught:
            client.assets.upload_component(created.upload_urls["big.bin"], big)
    assert caught.value.status_code == 400 and caught.value.code == "EntityTooLarge"
    assert "signature=" not in str(caught.value)


class CrashAfterParts(UploadTracker):
    """A tracker whose process 'dies' right after storage acknowledged part ``crash_at`` (before recording it)."""

    crash_at = 3

    def mark_part_completed(self, asset_id: str, name: str, upload_id: str, part: PartRecord) -> None:
        if part.part_number >= self.crash_at:
            raise KeyboardInterrupt("killed between the part's PUT and its tracker row")
        super().mark_part_completed(asset_id, name, upload_id, part)


def test_a_part_that_landed_after_the_last_tracker_write_is_not_sent_again(
    local: LocalChronicle, tmp_path: Path
) -> None:
    big = write_random(tmp_path / "ckpt" / "model.bin", 8 * MiB, seed=3)
    db = tmp_path / "uploads.sqlite"
    with small_parts(local, workers=1) as client:  # one worker: parts go in order, the crash lands after part 3
        handle = client.assets._transfers().upload_directory(
            tmp_path / "ckpt", asset_type="checkpoint", output_of=experiment(client), tracker=CrashAfterParts(db)
        )
        with pytest.raises((UploadError, KeyboardInterrupt)):
            handle.wait(60)
            client.wait_for_uploads()
    with UploadTracker(db) as tracker:
        (pending,) = tracker.get_pending_uploads()
        (component,) = pending.components
        assert component.upload_id is not None
        assert sorted(tracker.get_parts(pending.asset_id, "model.bin", component.upload_id)) == [1, 2]
        before = local.storage_bytes_received
        progress = CountingProgress()
        with small_parts(local) as client:
            (asset,) = client.resume_uploads(tracker, progress=progress)
            sent = local.storage_bytes_received - before
            client.assets.download(asset.id, tmp_path / "out")
    # Parts 1-2 were recorded and part 3 landed unrecorded: storage vouches for it, so only 4-8 go again.
    assert sent == 5 * MiB
    assert progress.total == progress.counted == 8 * MiB  # the resume's bar ends at 100%, not at 5/8
    assert digest(tmp_path / "out" / "model.bin") == digest(big)


def test_parts_storage_lost_or_altered_are_sent_again(local: LocalChronicle, tmp_path: Path) -> None:
    big = write_random(tmp_path / "ckpt" / "model.bin", 6 * MiB, seed=4)
    db = tmp_path / "uploads.sqlite"
    with small_parts(local, workers=1) as client:
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
        parts_dir = local.data_dir / "objects-multipart" / pending.asset_id / upload_id
        (parts_dir / "part-00001").unlink()
        (parts_dir / "part-00002").write_text(f"{MiB} {'0' * 64}")
        before = local.storage_bytes_received
        with small_parts(local) as client:
            (asset,) = client.resume_uploads(tracker)
            sent = local.storage_bytes_received - before
            client.assets.download(asset.id, tmp_path / "out")
    assert sent == 5 * MiB  # parts 1 and 2 again (3 landed and matches the file), and 4-6
    assert digest(tmp_path / "out" / "model.bin") == digest(big)


def test_a_file_rewritten_mid_upload_is_never_finalized(tmp_path: Path) -> None:
    with LocalChronicle(per_connection_bytes_per_second=2 * MiB) as srv, small_parts(srv, workers=2) as client:
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


def test_expired_part_urls_fail_typed_and_a_later_resume_finishes(local: LocalChronicle, tmp_path: Path) -> None:
    big = write_random(tmp_path / "ckpt" / "model.bin", 3 * MiB, seed=6)
    db = tmp_path / "uploads.sqlite"
    local.faults.expire_presigned_urls(True)
    with small_parts(local) as client, UploadTracker(db) as tracker:
        handle = client.assets._transfers().upload_directory(
            tmp_path / "ckpt", asset_type="checkpoint", output_of=experiment(client), tracker=tracker
        )
        with pytest.raises(UploadError) as caught:
            handle.wait(60)
        ((_, _, error),) = caught.value.failures
        assert isinstance(error, StorageError) and error.status_code == 403 and error.code == "signature_expired"
        assert "signature=" not in str(error) and "signature=" not in repr(error)
        local.faults.expire_presigned_urls(False)
        (asset,) = client.resume_uploads(tracker)
        client.assets.download(asset.id, tmp_path / "out")
    assert digest(tmp_path / "out" / "model.bin") == digest(big)


def test_ranged_download_retries_a_dropped_range_and_refuses_altered_bytes(
    local: LocalChronicle, tmp_path: Path
) -> None:
    big = write_random(tmp_path / "ckpt" / "model.bin", 5 * MiB, seed=7)
    with small_parts(local) as client:
        asset = (
            client.assets._transfers()
            .upload_directory(tmp_path / "ckpt", asset_type="checkpoint", output_of=experiment(client))
            .wait(60)
        )
        local.faults.fail_storage(2, None)  # two ranges lose their connection: each is retried alone
        client.assets.download(asset.id, tmp_path / "out")
        assert digest(tmp_path / "out" / "model.bin") == digest(big)
        stored = local.data_dir / "objects" / asset.id / "model.bin"
        with stored.open("r+b") as f:  # storage rots one byte of part 4
            f.seek(3 * MiB + 17)
            f.write(b"\x00" if f.read(1) != b"\x00" else b"\x01")
        with pytest.raises(DownloadError) as caught:
            client.assets.download(asset.id, tmp_path / "rotten")
    ((_, _, error),) = caught.value.failures
    assert isinstance(error, IntegrityError)
    assert not (tmp_path / "rotten" / "model.bin").exists()
    assert not list((tmp_path / "rotten").glob(".methodic-*"))


def test_complete_refuses_a_part_list_that_does_not_match_storage(local: LocalChronicle, tmp_path: Path) -> None:
    with Chronicle(local.url, local.api_key) as client:
        target = experiment(client)
        created = client.assets.create_with_presigned(
            asset_type="checkpoint", components=["x.bin"], output_of={"experiment_id": target.experiment_id}
        )
        started = client.assets.start_multipart(created.asset_id, "x.bin", size=2 * MiB, part_size=MiB)
        urls, _ = client.assets.presign_parts(created.asset_id, "x.bin", started.upload_id, [1, 2])
        etags = [httpx.put(urls[n], content=os.urandom(MiB)).headers["ETag"] for n in (1, 2)]
        assert [p.part_number for p in client.assets.list_parts(created.asset_id, "x.bin", started.upload_id)] == [1, 2]
        from methodic.errors import BadRequestError, NotFoundError

        with pytest.raises(BadRequestError) as wrong:
            client.assets.complete_multipart(
                created.asset_id, "x.bin", started.upload_id, [(1, etags[1]), (2, etags[0])]
            )
        assert wrong.value.code == "invalid_part"
        done = client.assets.complete_multipart(
            created.asset_id, "x.bin", started.upload_id, [(1, etags[0]), (2, etags[1])]
        )
        again = client.assets.complete_multipart(
            created.asset_id, "x.bin", started.upload_id, [(1, etags[0]), (2, etags[1])]
        )
        assert done == again and done.size == 2 * MiB and done.part_size == MiB
        with pytest.raises(NotFoundError) as gone:
            client.assets.list_parts(created.asset_id, "x.bin", started.upload_id)
        assert gone.value.code == "no_such_upload"


@pytest.mark.slow
def test_kill_nine_mid_multipart_then_resume_sends_only_missing_parts(tmp_path: Path) -> None:
    size, part = 24 * MiB, MiB
    with LocalChronicle(per_connection_bytes_per_second=3 * MiB) as srv:
        big = write_random(tmp_path / "ckpt" / "optimizer.pt", size, seed=8)
        db = tmp_path / "uploads.sqlite"
        with Chronicle(srv.url, srv.api_key) as client:
            exp = client.experiments.create(title="t", hypothesis_summary="h", config_yaml="lr: 1")
            exp.commit()
            client.variation(exp.id, 0).commit(commit_without_hypothesis=True)
            client.run(exp.id, 0, 0).start()
        args = [srv.url, srv.api_key, exp.id, "0", "0", str(tmp_path / "ckpt"), str(db), str(2 * MiB), str(part), "4"]
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
            with Chronicle(srv.url, srv.api_key, max_upload_workers=4, multipart_threshold=2 * MiB) as client:
                (asset,) = client.resume_uploads(tracker)
                sent = srv.storage_bytes_received - before
                client.assets.download(asset.id, tmp_path / "out")
    # Only parts the tracker lacks go again, and of those only the ones storage does not vouch for.
    assert sent <= size - recorded * part
    assert digest(tmp_path / "out" / "optimizer.pt") == digest(big)
    assert json.dumps(asset.components[0]["part_size"]) == str(part)
