"""Collective uploads on the hosted routes: ranks exchange their files' digests, one finalize carries them all.

Ranks are threads here (tests/distributed/threads.py), each with its own Chronicle client and tracker
as on its own node, against the real local server; the torchrun tests (test_distributed_uploads.py)
do the same with real processes, and kill -9 a node.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest

from methodic import Chronicle, FileChangedError, UploadError, UploadTracker
from methodic.transfer.distributed import DistributedUpload
from methodic.transfer.futures import OutputTarget
from methodic.transfer.tracker import SCHEMA_VERSION
from methodic.types import ComponentDigest
from methodic_server import LocalChronicle
from tests.distributed.threads import ThreadGroup, run_ranks
from tests.helpers import sha256_file


class Recording(httpx.HTTPTransport):
    """The API requests a client sends (method, path, JSON body), as they go out."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[tuple[str, str, Any]] = []
        self._lock = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content) if request.content else None
        with self._lock:
            self.sent.append((request.method, request.url.path, body))
        return super().handle_request(request)


class CutOff(httpx.HTTPTransport):
    """Storage as seen from a node whose network to it is down: every request refused (400), nothing sent."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(400, text="this node cannot reach storage", request=request)


class HeldBack(httpx.HTTPTransport):
    """Storage that holds the first request until ``release`` is set (``held`` says it arrived)."""

    def __init__(self) -> None:
        super().__init__()
        self.held = threading.Event()
        self.release = threading.Event()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.held.set()
        assert self.release.wait(60)
        return super().handle_request(request)


def _folders(base: Path, layout: dict[int, dict[str, int]]) -> dict[int, Path]:
    """Each contributing rank's folder with files of the given sizes (random bytes)."""
    folders = {}
    for rank, files in layout.items():
        folder = base / f"node{rank}"
        folder.mkdir(parents=True)
        for name, size in files.items():
            (folder / name).write_bytes(os.urandom(size))
        folders[rank] = folder
    return folders


@pytest.fixture
def target(client: Chronicle, committed_run: tuple[str, int, int]) -> OutputTarget:
    client.run(*committed_run).start()
    return OutputTarget(*committed_run)


@pytest.fixture
def stack() -> Iterator[ExitStack]:
    with ExitStack() as opened:
        yield opened


def _register(
    clients: list[Chronicle],
    folders: dict[int, Path],
    trackers: dict[int, UploadTracker],
    target: OutputTarget,
) -> list[DistributedUpload]:
    groups = ThreadGroup.of(len(clients))
    return run_ranks(
        [
            lambda r=rank: clients[r].transfers.upload_directory_collective(  # type: ignore[misc]
                folders.get(r),
                group=groups[r],
                asset_type="checkpoint",
                output_of=target,
                tracker=trackers.get(r),
                name="step-10",
            )
            for rank in range(len(clients))
        ]
    )


def test_every_rank_keeps_every_files_digest_and_one_finalize_lists_them_all_without_a_verify_route(
    server: LocalChronicle, target: OutputTarget, tmp_path: Path, stack: ExitStack
) -> None:
    """Four ranks, three with files (rank 3 adds none): the same ready asset everywhere, finalized with all files."""
    layout = {0: {".metadata": 2_000, "__0_0.distcp": 300_000}, 1: {"__1_0.distcp": 250_000}, 2: {"__2_0.distcp": 1}}
    folders = _folders(tmp_path, layout)
    trackers = {r: stack.enter_context(UploadTracker(tmp_path / f"tracker{r}.sqlite")) for r in layout}
    wires = [Recording() for _ in range(4)]
    clients = [stack.enter_context(Chronicle(server.url, server.api_key, transport=w)) for w in wires]

    uploads = _register(clients, folders, trackers, target)
    assets = run_ranks([lambda u=u: u.wait() for u in uploads])  # type: ignore[misc]

    expected = {name: sha256_file(folders[r] / name) for r, files in layout.items() for name in files}
    assert {a.id for a in assets} == {uploads[0].asset_id} and all(a.state == "ready" for a in assets)
    stored = {c["name"]: c["sha256"] for c in assets[0].components}
    assert stored == expected  # the server checked every file against storage with these hashes
    for rank, tracker in trackers.items():
        recorded = tracker.asset_files(uploads[0].asset_id)
        assert {name: d.sha256 for name, d in recorded.items()} == expected, rank  # every rank's, on every node
        assert tracker.get_pending_uploads() == []  # wait() recorded the asset as finalized on every node
    requests = [r for w in wires for r in w.sent]
    assert not [path for _, path, _ in requests if path.endswith("/components/verify")]
    finalizes = [body for method, path, body in requests if method == "PUT" and path.endswith("/finalize")]
    assert finalizes  # each contributing rank's job tries, rank 0 in wait(): every one lists every file
    for body in finalizes:
        assert {f["path"]: f["sha256"] for f in body["files"]} == expected


def test_a_node_that_could_not_send_resumes_later_and_the_last_node_to_finish_finalizes(
    server: LocalChronicle, client: Chronicle, target: OutputTarget, tmp_path: Path, stack: ExitStack
) -> None:
    """Node 2 cannot reach storage; nodes 0 and 1 send theirs and their processes end without wait().

    Resuming node 0 first cannot finalize (node 2's file is not in storage: ``partial``); node 2's resume,
    the last, finalizes with the digests node 0 and 1 gave at registration, which its tracker holds.
    """
    layout = {0: {".metadata": 1_000, "__0_0.distcp": 200_000}, 1: {"__1_0.distcp": 200_000}, 2: {"__2_0.distcp": 5}}
    folders = _folders(tmp_path, layout)
    trackers = {r: stack.enter_context(UploadTracker(tmp_path / f"tracker{r}.sqlite")) for r in layout}
    clients = [
        stack.enter_context(Chronicle(server.url, server.api_key, storage_transport=CutOff() if r == 2 else None))
        for r in layout
    ]
    uploads = _register(clients, folders, trackers, target)
    asset_id = uploads[0].asset_id
    for rank, upload in enumerate(uploads):
        assert upload.local is not None
        if rank == 2:
            with pytest.raises(UploadError, match="cannot reach storage"):
                upload.local.wait(60)
        else:
            assert upload.local.wait(60).state == "pending"  # in storage; the asset waits for node 2
    assert client.assets.get(asset_id).state == "pending"

    def resume(rank: int) -> str:
        with Chronicle(server.url, server.api_key) as fresh:
            (outcome,) = fresh.transfers.resume_each(trackers[rank])
        assert outcome.asset_id == asset_id and outcome.rescued, outcome
        return outcome.status

    assert resume(0) == "partial"
    assert resume(2) == "finalized"
    assert client.assets.get(asset_id).state == "ready"
    assert resume(1) == "already_ready"
    assert resume(0) == "already_ready"
    assert all(t.get_pending_uploads() == [] for t in trackers.values())
    restored = client.assets.download(asset_id, tmp_path / "restored")
    assert sorted(p.name for p in restored) == sorted(name for files in layout.values() for name in files)
    for rank, files in layout.items():
        for name in files:
            assert (tmp_path / "restored" / name).read_bytes() == (folders[rank] / name).read_bytes()


def test_a_file_rewritten_in_place_keeping_its_size_mtime_and_inode_fails_by_its_registered_digest(
    server: LocalChronicle, client: Chronicle, target: OutputTarget, tmp_path: Path, stack: ExitStack
) -> None:
    """Rank 1's shard is rewritten after the hand-over, its size, mtime and inode restored, before it is sent.

    Nothing about the file says it changed; its bytes hash differently from what every rank recorded,
    so the upload fails with FileChangedError on every rank, and the asset is never ready.
    """
    layout = {0: {".metadata": 1_000}, 1: {"__1_0.distcp": 100_000}}
    folders = _folders(tmp_path, layout)
    trackers = {r: stack.enter_context(UploadTracker(tmp_path / f"tracker{r}.sqlite")) for r in layout}
    gate = HeldBack()
    clients = [
        stack.enter_context(Chronicle(server.url, server.api_key, storage_transport=gate if r == 1 else None))
        for r in layout
    ]
    uploads = _register(clients, folders, trackers, target)
    shard = folders[1] / "__1_0.distcp"
    assert gate.held.wait(30)
    assert uploads[0].local is not None and uploads[0].local.wait_done(30)  # rank 0's part is in, waiting for 1's
    before = shard.stat()
    staged = Path(trackers[1].get_pending_uploads()[0].components[0].local_path)
    if staged.stat().st_ino != before.st_ino:
        pytest.skip("staging copied the file (another filesystem): a rewrite of the original cannot reach it")
    with shard.open("r+b") as f:  # in place: the same inode, the same size
        f.write(b"\xff" * 4096)
    os.utime(shard, ns=(before.st_atime_ns, before.st_mtime_ns))
    gate.release.set()

    def failed_components(upload: DistributedUpload) -> list[str]:
        with pytest.raises(UploadError) as failed:
            upload.wait()
        return [component for _, component, _ in failed.value.failures]

    assert run_ranks([lambda u=u: failed_components(u) for u in uploads]) == [["rank 1: __1_0.distcp"]] * 2  # type: ignore[misc]
    assert uploads[1].local is not None
    with pytest.raises(UploadError) as mine:
        uploads[1].local.wait(0)
    assert any(isinstance(e, FileChangedError) for _, _, e in mine.value.failures)
    assert client.assets.get(uploads[0].asset_id).state == "pending"
    assert trackers[1].get_assets()[0].state == "unrecoverable"


def test_the_tracker_keeps_a_shared_assets_files_and_older_trackers_gain_the_table(tmp_path: Path) -> None:
    db = tmp_path / "t.sqlite"
    spec = {"name": "__1_0.distcp", "local_path": str(tmp_path / "x"), "size": 3}
    files = {"__1_0.distcp": ComponentDigest(size=3, sha256="a" * 64), ".metadata": ComponentDigest(9, "b" * 64)}
    with UploadTracker(db) as tracker:
        tracker.register_components("shared", "checkpoint", [spec], shared=True, files=files)
        tracker.register_components("alone", "checkpoint", [{**spec, "name": "model.pt"}])
        assert tracker.asset_files("shared") == files
        assert tracker.asset_files("alone") == {}
        tracker.forget("shared")
        assert tracker.asset_files("shared") == {}
    import sqlite3

    conn = sqlite3.connect(db)  # what the tracker of the version before looks like: no asset_files
    conn.executescript(
        f"DROP TABLE asset_files; UPDATE meta SET value = '{SCHEMA_VERSION - 1}' WHERE key = 'schema_version';"
    )
    conn.close()
    with UploadTracker(db) as reopened:
        assert reopened.asset_files("alone") == {}
        reopened.register_components("again", "checkpoint", [spec], shared=True, files=files)
        assert reopened.asset_files("again") == files
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (str(SCHEMA_VERSION),)
    conn.close()
