"""`methodic uploads status`: an aligned table for people, `--json` for scripts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from methodic import Chronicle, UploadError, UploadTracker
from methodic_server import LocalChronicle


def _status(db: Path, *extra: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "methodic", "uploads", "status", "--tracker", str(db), *extra],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout


def test_status_table_and_json(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    run = client.run(*committed_run).start()
    db = tmp_path / "uploads.sqlite"
    tracker = UploadTracker(db_path=db)
    good, bad = tmp_path / "good", tmp_path / "bad"
    for folder in (good, bad):
        folder.mkdir()
        (folder / "weights.bin").write_bytes(b"w" * 3000)
        (folder / "meta.json").write_text("{}")
    ready = run.upload_directory_async(good, asset_type="checkpoint", upload_tracker=tracker).wait()
    server.faults.fail_storage(1000, 500)
    failed = run.upload_directory_async(bad, asset_type="checkpoint", upload_tracker=tracker)
    with pytest.raises(UploadError):
        failed.wait()
    server.faults.reset()
    tracker.close()

    table = _status(db).splitlines()
    header = next(i for i, line in enumerate(table) if line.startswith("ASSET"))
    rows = table[header + 1 : header + 3]
    columns = [table[header].index(name) for name in ("TYPE", "RUN", "DONE", "SIZE", "STATE")]
    for row in rows:  # every cell starts under its heading
        assert all(row[c - 1] == " " and row[c] != " " for c in columns), row
    by_id = {row.split()[0]: row.split() for row in rows}
    assert by_id[ready.id][-1] == "finalized" and by_id[ready.id][3] == "2/2"
    assert by_id[failed.asset_id][-1] == "pending" and by_id[failed.asset_id][3] == "0/2"
    assert by_id[ready.id][2] == f"{committed_run[0]}/{committed_run[1]}/{committed_run[2]}"

    document = json.loads(_status(db, "--json"))
    assets = {a["asset_id"]: a for a in document["assets"]}
    assert assets[ready.id]["state"] == "finalized" and assets[ready.id]["components_done"] == 2
    pending = assets[failed.asset_id]
    assert (pending["components_done"], pending["components_total"]) == (0, 2)
    assert {c["name"] for c in pending["incomplete"]} == {"weights.bin", "meta.json"}
    assert all(c["last_error"] for c in pending["incomplete"])
    assert document["components"]["completed"] == 2


def test_a_hand_over_is_listed_with_its_folder_fit_for_an_ascii_terminal(tmp_path: Path) -> None:
    from methodic.transfer.handover import HandOver, _record

    db = tmp_path / "uploads.sqlite"
    folder = tmp_path / "prüfung" / "checkpoint-4"
    with UploadTracker(db_path=db) as tracker:
        handed = HandOver("h1", "checkpoint", "checkpoint-4", "e", 0, 0, None, str(folder), str(tmp_path / "s"), ())
        _record(tracker, handed)
    done = subprocess.run(
        [sys.executable, "-m", "methodic", "uploads", "status", "--tracker", str(db)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "PYTHONIOENCODING": "ascii:strict"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "handed_over" in done.stdout and "pr\\xfcfung" in done.stdout
