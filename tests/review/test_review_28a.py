"""Issue 28 (hostile input, round 3), findings 1, 2, 8, 9 and 10: each test reproduces one finding with real
processes and real HTTP (a local Chronicle, or a small dripping server where storage must be slow) and failed
before its fix.
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from methodic import Chronicle, UploadError, UploadTracker
from methodic.errors import StorageError, TrackerError
from methodic.transfer import claims, staging
from methodic.transfer.config import RetryPolicy, StallPolicy
from methodic.transfer.directget import DirectGetter
from methodic.transfer.files import scan_directory
from methodic.transfer.get import download_file
from methodic.transfer.tracker import TrackedComponent
from methodic_server import LocalChronicle
from tests.helpers import chronicle_env
from tests.reliability.hostile_api import HostileServer, steady


def _cli(*args: str, env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "methodic", *args], capture_output=True, text=True, timeout=timeout, env=env
    )


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


# -- finding 1: the tracker touches only an SQLite file (or a new path); looking changes nothing ------------------
def test_a_folder_given_as_the_tracker_is_refused_and_keeps_its_mode(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "weights.bin").write_bytes(b"w" * 10)
    folder.chmod(0o755)
    with pytest.raises(TrackerError, match="is a folder"):
        UploadTracker(db_path=folder)
    assert _mode(folder) == 0o755
    assert sorted(p.name for p in folder.iterdir()) == ["weights.bin"]


def test_a_text_file_given_as_the_tracker_is_refused_untouched(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n" * 100)
    notes.chmod(0o644)
    with pytest.raises(TrackerError, match="not an SQLite file"):
        UploadTracker(db_path=notes)
    assert _mode(notes) == 0o644 and notes.read_text() == "my notes\n" * 100
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]  # no -wal, no -shm


def test_uploads_status_on_a_text_file_changes_no_mode(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n")
    notes.chmod(0o644)
    done = _cli("uploads", "status", "--tracker", str(notes))
    assert done.returncode == 1 and "notes.txt" in done.stderr and "Traceback" not in done.stderr
    assert _mode(notes) == 0o644 and notes.read_text() == "my notes\n"


def test_uploads_status_on_a_real_tracker_writes_nothing_and_changes_no_mode(
    client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    run = client.run(*committed_run).start()
    folder = tmp_path / "ckpt"
    folder.mkdir()
    (folder / "w.bin").write_bytes(b"x" * 1000)
    db = tmp_path / "uploads.sqlite"
    with UploadTracker(db) as tracker:
        run.upload_directory_async(folder, asset_type="checkpoint", upload_tracker=tracker, progress=False).wait()
    db.chmod(0o640)  # the owner chose to share it with the group: looking at it must not undo that
    before = (db.read_bytes(), db.stat().st_mtime_ns)
    done = _cli("uploads", "status", "--tracker", str(db), "--json")
    assert done.returncode == 0, done.stderr
    assert '"finalized_assets": 1' in done.stdout
    assert _mode(db) == 0o640 and (db.read_bytes(), db.stat().st_mtime_ns) == before


def test_uploads_status_reads_an_older_tracker_without_upgrading_the_file(tmp_path: Path) -> None:
    db = tmp_path / "v1.sqlite"
    conn = sqlite3.connect(db)
    conn.executescript(
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        INSERT INTO meta VALUES ('marker', 'methodic-upload-tracker'), ('schema_version', '1');
        CREATE TABLE assets (asset_id TEXT PRIMARY KEY, asset_type TEXT NOT NULL, experiment_id TEXT,
            variation INTEGER, run INTEGER, registered_at REAL NOT NULL, finalized_at REAL);
        CREATE TABLE components (asset_id TEXT NOT NULL, name TEXT NOT NULL, local_path TEXT NOT NULL,
            size INTEGER NOT NULL, content_type TEXT NOT NULL, state TEXT NOT NULL, sha256 TEXT, upload_url TEXT,
            url_expires_at TEXT, attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT, updated_at REAL NOT NULL,
            PRIMARY KEY (asset_id, name));
        INSERT INTO assets VALUES ('old-asset', 'checkpoint', 'e', 0, 0, 1.0, NULL);
        INSERT INTO components VALUES ('old-asset', 'a.bin', '/x/a.bin', 3, 'application/octet-stream',
            'uploading', NULL, NULL, NULL, 1, NULL, 1.0);
        """
    )
    conn.commit()
    conn.close()
    db.chmod(0o644)
    before = db.read_bytes()
    done = _cli("uploads", "status", "--tracker", str(db))
    assert done.returncode == 0, done.stderr
    assert "old-asset" in done.stdout and "uploading" in done.stdout
    assert db.read_bytes() == before and _mode(db) == 0o644
    with UploadTracker(db, read_only=True) as tracker, pytest.raises(TrackerError, match="read-only"):
        tracker.mark_finalized("old-asset")


# -- finding 2: many small files through a tracker cost time linear in the file count ------------------------------
class CountingTracker(UploadTracker):
    """An UploadTracker that counts its passes over an asset's component rows and its write transactions."""

    def __init__(self, db_path: Path) -> None:
        self.passes = 0
        self.writes = 0
        super().__init__(db_path)

    def _components(self, asset_id: str) -> tuple[TrackedComponent, ...]:
        self.passes += 1
        return super()._components(asset_id)

    @contextmanager
    def _write(self, *, durable: bool = True) -> Iterator[sqlite3.Connection]:
        self.writes += 1
        with super()._write(durable=durable) as conn:
            yield conn


def _many_files(folder: Path, n: int) -> Path:
    folder.mkdir()
    for i in range(n):
        (folder / f"part-{i:05d}.bin").write_bytes(i.to_bytes(4, "big") * 64)
    return folder


def test_a_tracked_upload_of_many_files_reads_the_asset_rows_a_constant_number_of_times(
    client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    n = 400
    folder = _many_files(tmp_path / "shards", n)
    run = client.run(*committed_run).start()
    with CountingTracker(tmp_path / "uploads.sqlite") as tracker:
        asset = run.upload_directory_async(folder, asset_type="dataset", upload_tracker=tracker, progress=False).wait()
        assert asset.state == "ready" and len(asset.components) == n
        # One pass at dispatch and one at finalize; before the fix, at least four per component (1,600 here).
        assert tracker.passes <= 3, tracker.passes
        # Two state changes per component (uploading, completed), plus registration and finalization.
        assert tracker.writes <= 2 * n + 4, tracker.writes
        assert tracker.summary()["completed"] == n


def test_cancelling_thousands_of_queued_components_is_one_tracker_write(
    server: LocalChronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    n = 2000
    folder = _many_files(tmp_path / "shards", n)
    with CountingTracker(tmp_path / "uploads.sqlite") as tracker:
        chronicle = Chronicle(server.url, server.api_key, max_upload_workers=1)
        run = chronicle.run(*committed_run).start()
        upload = run.upload_directory_async(folder, asset_type="dataset", upload_tracker=tracker, progress=False)
        before = tracker.writes
        started = time.monotonic()
        chronicle.close(cancel_uploads=True)
        took = time.monotonic() - started
        during = tracker.writes - before
        summary = tracker.summary()
        # The one worker may finish a few components while close() runs (2 writes each); the dropped ones are
        # written once, together (before the fix: one write per dropped component, 2,000 here).
        assert during <= 1 + 2 * summary["completed"] + 4, (during, summary)
        assert summary["failed"] + summary["completed"] == n and summary["failed"] > n // 2
        assert took < 10
        with pytest.raises(UploadError, match="cancel_uploads=True"):
            upload.wait(5)
        (pending,) = tracker.get_pending_uploads()
        assert all(c.last_error and "cancel_uploads" in c.last_error for c in pending.incomplete)


# -- finding 9: non-ASCII file names under an ASCII file-system encoding name the file -----------------------------
def _ascii_child(server: LocalChronicle, experiment: str, *args: str) -> str:
    env = {**os.environ, "PYTHONUTF8": "0", "LC_ALL": "C", "PYTHONIOENCODING": "ascii:backslashreplace"}
    env.pop("LANG", None)
    child = Path(__file__).with_name("enc_child.py")
    done = subprocess.run(
        [sys.executable, str(child), server.url, server.api_key, experiment, *args],
        capture_output=True,
        timeout=120,
        env=env,
        cwd=Path(__file__).parents[2],
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    return done.stdout.decode("ascii").strip()


def test_a_non_ascii_file_name_under_an_ascii_encoding_is_refused_naming_the_file(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    experiment = committed_run[0]
    client.run(*committed_run).start()
    folder = tmp_path / "ckpt"
    folder.mkdir()
    (folder / "mod\u00e8le.bin").write_bytes(b"w" * 100)
    (folder / "ok.bin").write_bytes(b"o")
    said = _ascii_child(server, experiment, "upload", str(folder))
    assert said.startswith("UnsafePathError: ") and "mod\\xe8le.bin" in said and "PYTHONUTF8=1" in said, said
    assert "UnicodeEncodeError" not in said
    assert list(client.assets.list(experiment_id=experiment)) == []  # refused before the server heard of it


def test_a_non_ascii_folder_under_an_ascii_encoding_uploads_untracked_and_is_refused_by_a_tracker(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    experiment = committed_run[0]
    client.run(*committed_run).start()
    folder = tmp_path / "r\u00e9sultats"
    folder.mkdir()
    (folder / "w.bin").write_bytes(b"w" * 100)
    assert _ascii_child(server, experiment, "upload", str(folder)) == "ok"
    (asset,) = list(client.assets.list(experiment_id=experiment))
    assert asset.name == "r\u00e9sultats" and asset.state == "ready"
    said = _ascii_child(server, experiment, "upload-tracked", str(folder), str(tmp_path / "t.sqlite"))
    assert said.startswith("TrackerError: ") and "r\\xe9sultats" in said and "PYTHONUTF8=1" in said, said
    assert len(list(client.assets.list(experiment_id=experiment))) == 1  # nothing more was created


def test_a_non_ascii_component_downloaded_under_an_ascii_encoding_is_refused_naming_it(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    experiment = committed_run[0]
    run = client.run(*committed_run).start()
    folder = tmp_path / "ckpt"
    folder.mkdir()
    (folder / "mod\u00e8le.bin").write_bytes(b"w" * 100)
    asset = run.upload_directory_async(folder, asset_type="checkpoint", progress=False).wait()
    said = _ascii_child(server, experiment, asset.id, str(tmp_path / "out"))
    assert said.startswith("UnsafePathError: ") and "mod\\xe8le.bin" in said, said
    assert not any((tmp_path / "out").rglob("*.partial")) if (tmp_path / "out").exists() else True


# -- finding 10: a storage GET that drips bytes has a deadline proportional to its size -----------------------------
def _drip_forty_bytes(conn: socket.socket) -> None:
    """A 40-byte body, one byte a second: above no floor of bytes per minute, yet it never ends in time."""
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 40\r\nContent-Type: application/octet-stream\r\n\r\n")
    for _ in range(40):
        conn.sendall(b"x")
        time.sleep(1.0)


@pytest.mark.parametrize("direct", [True, False], ids=["http.client", "httpx"])
def test_a_dripping_get_of_a_small_body_ends_after_about_the_timeout(tmp_path: Path, direct: bool) -> None:
    getter = DirectGetter(timeout=3, user_agent="test") if direct else None
    started = time.monotonic()
    with (
        HostileServer(_drip_forty_bytes) as hostile,
        httpx.Client(timeout=3) as client,
        pytest.raises(StorageError, match="deadline"),
    ):
        download_file(
            client,
            f"{hostile.url}/o?sig=x",
            tmp_path / "f",
            expected_size=40,
            retry=RetryPolicy(max_attempts=1),
            stall=StallPolicy(),  # the default floor: 128 KiB per 60 s
            direct=getter,
        )
    took = time.monotonic() - started
    assert took < 8, took  # 3 s of timeout + 40 bytes at the floor (~0.02 s); before: 39 s
    assert list(tmp_path.iterdir()) == []


def test_a_slow_download_above_the_floor_still_finishes(tmp_path: Path) -> None:
    # 300 KB at ~100 KB/s: three times the floor set here, so it must finish whatever the deadline.
    floor = StallPolicy(window=1.0, min_bytes=30_000)
    with HostileServer(steady(300_000, 10_000, 0.1)) as slow, httpx.Client(timeout=1) as client:
        result = download_file(
            client, f"{slow.url}/o?sig=x", tmp_path / "f", expected_size=300_000, retry=RetryPolicy(1), stall=floor
        )
    assert result.size == 300_000


def test_the_floor_is_set_on_the_client_and_held_through_a_real_download(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    run = client.run(*committed_run).start()
    folder = tmp_path / "ckpt"
    folder.mkdir()
    (folder / "w.bin").write_bytes(os.urandom(300_000))
    asset = run.upload_directory_async(folder, asset_type="checkpoint", progress=False).wait()
    # A floor of 1 GB/s on a 300 KB file leaves ~1 s past the timeout: local storage meets it easily.
    fast = StallPolicy(window=1.0, min_bytes=1_000_000_000)
    with Chronicle(server.url, server.api_key, timeout=5, download_stall=fast) as strict:
        assert strict.transfers.config.stall == fast
        (path,) = strict.assets.download(asset.id, tmp_path / "out", progress=False)
    assert path.read_bytes() == (folder / "w.bin").read_bytes()
    with pytest.raises(ValueError, match="StallPolicy"):
        StallPolicy(window=0.0)


# -- finding 8: a kill -9 between the asset's creation and its tracker row leaves no staging behind -----------------
def _paused_registration(
    server: LocalChronicle, run: tuple[str, int, int], folder: Path, db: Path
) -> tuple[subprocess.Popen[str], Path]:
    child = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("register_child.py")), str(folder), str(db)],
        env=chronicle_env(server, run),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parents[2],
    )
    assert child.stdout is not None
    line = child.stdout.readline()
    if not line.startswith("REGISTERING "):
        child.kill()
        raise AssertionError(child.stderr.read() if child.stderr else line)
    return child, Path(line.split(" ", 1)[1].strip())


@pytest.mark.parametrize("command", ["resume", "prune"])
def test_staging_of_a_registration_killed_before_its_tracker_row_is_swept_by_the_next_resume_or_prune(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path, command: str
) -> None:
    client.run(*committed_run).start()
    db = tmp_path / "uploads.sqlite"
    folders = []
    for name in ("killed", "alive"):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "weights.bin").write_bytes(os.urandom(10_000))
        folders.append(folder)
    killed, killed_staging = _paused_registration(server, committed_run, folders[0], db)
    alive, alive_staging = _paused_registration(server, committed_run, folders[1], db)
    try:
        killed.send_signal(signal.SIGKILL)
        killed.wait(30)
        # The hard links are there, and no tracker row names them.
        assert (killed_staging / "weights.bin").stat().st_nlink == 2
        with UploadTracker(db) as tracker:
            assert tracker.get_assets() == []
        argv = ["uploads", command, "--tracker", str(db)] + (["--no-progress"] if command == "resume" else [])
        done = subprocess.run(
            [sys.executable, "-m", "methodic", *argv],
            env=chronicle_env(server),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        assert not killed_staging.exists()
        assert not killed_staging.with_name(killed_staging.name + ".claim").exists()
        assert (folders[0] / "weights.bin").stat().st_nlink == 1  # the checkpoint itself is untouched
        # A registration still under way (its process alive, its lock held) is left alone.
        assert (alive_staging / "weights.bin").is_file()
    finally:
        for child in (killed, alive):
            child.kill()
            child.wait(30)
    # Once that one dies too, the next sweep takes it.
    with UploadTracker(db) as tracker:
        assert tracker.sweep_staging() == [alive_staging]
    assert not alive_staging.exists()


def test_a_claim_for_another_tracker_or_a_recorded_folder_is_not_removed(tmp_path: Path) -> None:
    folder = tmp_path / "ckpt"
    folder.mkdir()
    (folder / "w.bin").write_bytes(b"w")
    ours, theirs = tmp_path / "ours.sqlite", tmp_path / "theirs.sqlite"
    # Claims whose process "died": released from this process's table without unlinking, so unlocked on disk.
    other = staging.stage(folder, scan_directory(folder), tracker=theirs)
    recorded = staging.stage(folder, scan_directory(folder), tracker=ours)
    for staged in (other, recorded):
        os.close(claims._claims.pop(str(staged.directory)))
    with UploadTracker(ours) as tracker:
        tracker.register_components("a1", "checkpoint", recorded.components, staging_dir=recorded.directory)
        assert tracker.sweep_staging() == []
    assert other.directory.is_dir() and recorded.directory.is_dir()
    assert not recorded.directory.with_name(recorded.directory.name + ".claim").exists()  # the row owns it now
    with UploadTracker(theirs) as tracker:
        assert tracker.sweep_staging() == [other.directory]
    staging.remove(recorded.directory)
