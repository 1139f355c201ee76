"""Issue 28 (hostile input, round 3), findings 1, 2, 8, 9 and 10: each test reproduces one finding with real
processes and real HTTP (a local Chronicle, or a small dripping server where storage must be slow) and failed
before its fix.
"""

from __future__ import annotations

import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from methodic import Chronicle, UploadTracker
from methodic.errors import TrackerError


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
