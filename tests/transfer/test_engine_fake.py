"""The upload engine with no server: a fake of the asset operations, storage as an in-memory transport.

Each test drives a real :class:`~methodic.transfer.TransferManager` (pool, ledger, staging, retries,
finalize) through :class:`tests.fakes.FakeAssets` and :class:`tests.fakes.FakeStorage`, and asserts what
went over the wire: which calls, which bytes, which digests, in which order.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from methodic.errors import FileChangedError, StorageError, UploadError
from methodic.transfer import OutputTarget, TransferConfig, TransferManager, UploadTracker
from methodic.transfer.config import RetryPolicy
from tests.fakes import SIGNATURE, FakeAssets, FakeStorage

TARGET = OutputTarget("exp-1", 0, 0)


class Engine:
    """One manager over one fake server and its storage; ``sleeps`` holds the retry waits it asked for."""

    def __init__(
        self, *, max_workers: int = 2, storage: FakeStorage | None = None, fake: FakeAssets | None = None
    ) -> None:
        self.storage = storage or FakeStorage()
        self.fake = fake or FakeAssets(self.storage)
        self.sleeps: list[float] = []
        config = TransferConfig(max_workers=max_workers, retry=RetryPolicy(max_attempts=4, sleep=self.sleeps.append))
        self.manager = TransferManager(self.fake, config, storage_transport=self.storage.transport)

    def again(self) -> Engine:
        """A new manager (a new process) against the same server and storage."""
        return Engine(storage=self.storage, fake=self.fake)


@pytest.fixture
def engine() -> Iterator[Engine]:
    made = Engine()
    yield made
    made.manager.close(interrupt=True)


def checkpoint(tmp_path: Path) -> dict[str, bytes]:
    """A small checkpoint folder (a nested file, an odd size); returns component -> bytes."""
    files = {"model.bin": os.urandom(70_001), "optimizer.bin": os.urandom(4096), "meta/config.json": b'{"lr": 0.1}'}
    for name, data in files.items():
        path = tmp_path / "ckpt" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return files


def digests(files: dict[str, bytes]) -> dict[str, tuple[int, str]]:
    return {name: (len(data), hashlib.sha256(data).hexdigest()) for name, data in files.items()}


class Progress:
    """A progress callback that keeps everything it is told."""

    def __init__(self) -> None:
        self.started: list[int] = []
        self.bytes: list[int] = []
        self.done = 0
        self.lock = threading.Lock()

    def on_start(self, total_bytes: int, description: str) -> None:
        self.started.append(total_bytes)

    def on_bytes(self, n: int) -> None:
        with self.lock:
            self.bytes.append(n)

    def on_done(self) -> None:
        self.done += 1


def test_a_folder_goes_up_as_one_create_one_put_per_file_and_a_finalize_with_each_sha256(
    engine: Engine, tmp_path: Path
) -> None:
    files = checkpoint(tmp_path)
    handle = engine.manager.upload_directory(
        tmp_path / "ckpt", asset_type="checkpoint", output_of=TARGET, progress=False
    )
    asset = handle.wait(timeout=10)

    assert asset.state == "ready" and asset.id == handle == handle.asset_id
    (create,) = engine.fake.named("create_with_presigned")
    assert sorted(create.args["components"]) == sorted(files) and create.args["output_of"] == TARGET.as_dict()
    for name, data in files.items():
        (put,) = engine.storage.puts(name)
        assert (put.size, put.sha256) == digests(files)[name]
        assert "authorization" not in put.headers  # the bearer key never goes to a presigned URL
        assert engine.storage.objects[engine.fake.object_path(handle, name)] == data
    (finalize,) = engine.fake.named("finalize")
    sent = {name: (d.size, str(d)) for name, d in finalize.args["components"].items()}
    assert sent == digests(files)
    assert engine.fake.calls[0].name == "create_with_presigned" and engine.fake.calls[-1].name == "finalize"
    assert engine.sleeps == []


def test_a_put_answered_503_is_retried_with_backoff_and_the_asset_still_finalizes(
    engine: Engine, tmp_path: Path
) -> None:
    files = checkpoint(tmp_path)
    engine.storage.fail("model.bin", 503, 503)
    handle = engine.manager.upload_directory(
        tmp_path / "ckpt", asset_type="checkpoint", output_of=TARGET, progress=False
    )
    assert handle.wait(timeout=10).state == "ready"

    tries = engine.storage.puts("model.bin")
    assert len(tries) == 3 and all(
        t.sha256 == digests(files)["model.bin"][1] for t in tries
    )  # the whole file each time
    assert len(engine.storage.puts("optimizer.bin")) == 1 and len(engine.storage.puts("meta/config.json")) == 1
    assert len(engine.sleeps) == 2
    (finalize,) = engine.fake.named("finalize")
    assert {n: (d.size, str(d)) for n, d in finalize.args["components"].items()} == digests(files)


def test_progress_counts_each_byte_once_even_when_a_put_is_sent_twice(tmp_path: Path) -> None:
    engine = Engine(max_workers=1)  # one file at a time, in sorted order: meta/config.json, model.bin, optimizer.bin
    files = checkpoint(tmp_path)
    engine.storage.fail("model.bin", 500)
    entered, release = engine.storage.hold("optimizer.bin")
    progress = Progress()
    try:
        handle = engine.manager.upload_directory(
            tmp_path / "ckpt", asset_type="checkpoint", output_of=TARGET, progress=progress
        )
        assert entered.wait(5)
        sent_so_far = len(files["meta/config.json"]) + len(files["model.bin"])
        with progress.lock:
            assert sum(progress.bytes) == sent_so_far  # model.bin went over the wire twice, and is counted once
        release.set()
        handle.wait(timeout=10)
    finally:
        release.set()
        engine.manager.close()

    total = sum(len(d) for d in files.values())
    assert len(engine.storage.puts("model.bin")) == 2
    assert progress.started == [total] and sum(progress.bytes) == total and progress.done == 1


def test_a_component_refused_for_good_fails_the_asset_with_its_storage_error_and_nothing_is_finalized(
    engine: Engine, tmp_path: Path
) -> None:
    checkpoint(tmp_path)
    engine.storage.fail_always("optimizer.bin", 400)
    handle = engine.manager.upload_directory(
        tmp_path / "ckpt", asset_type="checkpoint", output_of=TARGET, progress=False
    )
    with pytest.raises(UploadError) as failed:
        handle.wait(timeout=10)

    ((asset_id, label, error),) = failed.value.failures
    assert (asset_id, label) == (handle.asset_id, "optimizer.bin")
    assert isinstance(error, StorageError) and error.status_code == 400
    assert SIGNATURE not in str(failed.value)
    assert len(engine.storage.puts("optimizer.bin")) == 1  # a 400 is not retried
    assert engine.fake.named("finalize") == [] and engine.fake.assets[handle]["state"] == "pending"
    assert handle.failed() and handle.done()
    engine.manager.wait()  # reported once: the client's wait does not raise it again ...
    with pytest.raises(UploadError, match=r"optimizer\.bin"):  # ... but its run never succeeds
        engine.manager.session(TARGET).wait(every_failure=True)


def test_a_refused_url_is_renewed_through_presign_and_the_put_goes_to_the_fresh_one(
    engine: Engine, tmp_path: Path
) -> None:
    checkpoint(tmp_path)
    engine.storage.fail("model.bin", 403)
    handle = engine.manager.upload_directory(
        tmp_path / "ckpt", asset_type="checkpoint", output_of=TARGET, progress=False
    )
    assert handle.wait(timeout=10).state == "ready"

    (presign,) = engine.fake.named("presign")
    assert presign.args == {"asset_id": handle.asset_id, "operation": "upload", "components": ["model.bin"]}
    assert len(engine.storage.puts("model.bin")) == 2 and engine.sleeps == []  # a fresh URL needs no backoff


def test_close_with_cancel_drops_the_queued_components_and_the_asset_is_never_finalized(tmp_path: Path) -> None:
    engine = Engine(max_workers=1)
    files = checkpoint(tmp_path)
    entered, release = engine.storage.hold("meta/config.json")  # sorted first: the one task that starts
    handle = engine.manager.upload_directory(
        tmp_path / "ckpt", asset_type="checkpoint", output_of=TARGET, progress=False
    )
    assert entered.wait(5)
    raised: list[BaseException] = []

    def close() -> None:
        try:
            engine.manager.close(cancel=True)
        except BaseException as exc:
            raised.append(exc)

    closer = threading.Thread(target=close)
    closer.start()
    deadline = time.monotonic() + 5
    while engine.manager.pool.pending > 1 and time.monotonic() < deadline:  # the two queued tasks are dropped
        time.sleep(0.005)
    assert engine.manager.pool.pending == 1  # dropped while the first PUT was still in flight
    release.set()
    closer.join(5)

    assert not closer.is_alive() and raised == []  # the caller asked for the cancel: close does not raise it
    with pytest.raises(UploadError) as failed:
        handle.wait(timeout=5)
    assert sorted(label for _, label, _ in failed.value.failures) == ["model.bin", "optimizer.bin"]
    assert all("cancel_uploads=True" in str(e) for _, _, e in failed.value.failures)
    assert [p.sha256 for p in engine.storage.puts()] == [digests(files)["meta/config.json"][1]]
    assert engine.fake.named("finalize") == [] and engine.fake.assets[handle]["state"] == "pending"


def test_resume_sends_only_what_the_tracker_does_not_hold_as_completed_then_finalizes(tmp_path: Path) -> None:
    first = Engine()
    files = checkpoint(tmp_path)
    tracker = UploadTracker(tmp_path / "uploads.db")
    first.storage.fail_always("optimizer.bin", 400)
    handle = first.manager.upload_directory(
        tmp_path / "ckpt", asset_type="checkpoint", output_of=TARGET, tracker=tracker, progress=False
    )
    with pytest.raises(UploadError):
        handle.wait(timeout=10)
    first.manager.close()
    (pending,) = tracker.get_pending_uploads()
    assert [c.name for c in pending.incomplete] == ["optimizer.bin"]

    first.storage.heal("optimizer.bin")
    sent_before = len(first.storage.puts())
    second = first.again()
    try:
        (outcome,) = second.manager.resume_each(tracker, progress=False)
        assert (outcome.asset_id, outcome.status) == (handle.asset_id, "finalized")
        resent = first.storage.puts()[sent_before:]
        assert [(p.size, p.sha256) for p in resent] == [digests(files)["optimizer.bin"]]  # nothing else again
        get, finalize = [c for c in first.fake.calls if c.args.get("asset_id") == handle][-2:]
        assert (get.name, finalize.name) == ("get", "finalize")  # asked the server first, finalized last
        assert {n: (d.size, str(d)) for n, d in finalize.args["components"].items()} == digests(files)
        assert first.fake.assets[handle]["state"] == "ready" and tracker.get_pending_uploads() == []
        assert second.manager.resume_each(tracker, progress=False) == []  # nothing left: a second resume is a no-op
        assert len(first.storage.puts()) == sent_before + 1
    finally:
        second.manager.close()
        tracker.close()


def test_resume_of_an_asset_the_server_abandoned_sends_nothing_and_drops_it(tmp_path: Path) -> None:
    first = Engine()
    checkpoint(tmp_path)
    tracker = UploadTracker(tmp_path / "uploads.db")
    first.storage.fail_always("model.bin", 400)
    handle = first.manager.upload_directory(
        tmp_path / "ckpt", asset_type="checkpoint", output_of=TARGET, tracker=tracker, progress=False
    )
    with pytest.raises(UploadError):
        handle.wait(timeout=10)
    first.manager.close()
    first.storage.heal("model.bin")
    first.fake.set_state(handle, "failed")  # its run failed before the upload finished
    sent_before = len(first.storage.puts())

    second = first.again()
    try:
        (outcome,) = second.manager.resume_each(tracker, progress=False)
        assert outcome.status == "abandoned" and "failed" in (outcome.detail or "")
        assert len(first.storage.puts()) == sent_before and first.fake.named("finalize") == []
        assert tracker.get_pending_uploads() == []  # marked dead: later resumes skip it
        recorded = tracker.get_asset(handle.asset_id)
        assert recorded is not None and recorded.state == "abandoned"
    finally:
        second.manager.close()
        tracker.close()


def test_a_file_rewritten_while_its_put_is_in_flight_kills_the_asset_and_nothing_is_finalized(tmp_path: Path) -> None:
    engine = Engine(max_workers=1)
    checkpoint(tmp_path)
    tracker = UploadTracker(tmp_path / "uploads.db")
    entered, release = engine.storage.hold("model.bin")
    try:
        handle = engine.manager.upload_directory(
            tmp_path / "ckpt", asset_type="checkpoint", output_of=TARGET, tracker=tracker, progress=False
        )
        assert entered.wait(5)
        with open(tmp_path / "ckpt" / "model.bin", "ab") as rewritten:  # the trainer writes on, in place
            rewritten.write(b"the next step")
        release.set()
        with pytest.raises(UploadError) as failed:
            handle.wait(timeout=10)
    finally:
        release.set()
        engine.manager.close()

    assert [label for _, label, _ in failed.value.failures] == ["model.bin"]
    assert isinstance(failed.value.failures[0][2], FileChangedError)
    assert engine.storage.puts("optimizer.bin") == []  # the dead asset's other components are not sent
    assert engine.fake.named("finalize") == [] and engine.fake.assets[handle]["state"] == "pending"
    recorded = tracker.get_asset(handle.asset_id)
    assert recorded is not None and recorded.state == "unrecoverable" and tracker.get_pending_uploads() == []
    tracker.close()


def test_resume_of_an_asset_whose_file_changed_since_registration_sends_nothing(tmp_path: Path) -> None:
    first = Engine()
    checkpoint(tmp_path)
    tracker = UploadTracker(tmp_path / "uploads.db")
    first.storage.fail_always("model.bin", 400)
    handle = first.manager.upload_directory(
        tmp_path / "ckpt", asset_type="checkpoint", output_of=TARGET, tracker=tracker, progress=False
    )
    with pytest.raises(UploadError):
        handle.wait(timeout=10)
    first.manager.close()
    first.storage.heal("model.bin")
    with open(tmp_path / "ckpt" / "model.bin", "ab") as rewritten:  # what was registered is gone
        rewritten.write(b"later bytes")
    sent_before = len(first.storage.puts())

    second = first.again()
    try:
        (outcome,) = second.manager.resume_each(tracker, progress=False)
        assert outcome.status == "unrecoverable" and "model.bin" in (outcome.detail or "")
        assert len(first.storage.puts()) == sent_before and first.fake.named("finalize") == []
        assert tracker.get_pending_uploads() == []
    finally:
        second.manager.close()
        tracker.close()


def test_a_rewritten_file_without_a_tracker_fails_the_asset_without_an_error_about_its_own_bookkeeping(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A memory ledger forgets a dead asset at once: the component's failure has no row left, and that is no error."""
    engine = Engine(max_workers=1)
    checkpoint(tmp_path)
    entered, release = engine.storage.hold("model.bin")
    try:
        with caplog.at_level(logging.DEBUG, logger="methodic"):
            handle = engine.manager.upload_directory(
                tmp_path / "ckpt", asset_type="checkpoint", output_of=TARGET, progress=False
            )
            assert entered.wait(5)
            with open(tmp_path / "ckpt" / "model.bin", "ab") as rewritten:
                rewritten.write(b"the next step")
            release.set()
            with pytest.raises(UploadError) as failed:
                handle.wait(timeout=10)
    finally:
        release.set()
        engine.manager.close()

    assert isinstance(failed.value.failures[0][2], FileChangedError)
    assert engine.fake.named("finalize") == []
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR and "could not record" in r.getMessage()]
    assert [r for r in caplog.records if "has no row left" in r.getMessage()]
