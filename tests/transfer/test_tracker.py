"""UploadTracker: one-transaction registration, states, crash leftovers, threads, processes, bad files."""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
import stat
import threading
from pathlib import Path
from typing import Any

import pytest

from methodic import TrackerError, UploadTracker
from methodic.transfer.files import ComponentSpec


def specs(n: int, root: Path = Path("/data")) -> list[ComponentSpec]:
    return [ComponentSpec(name=f"part{i}.bin", local_path=str(root / f"part{i}.bin"), size=i + 1) for i in range(n)]


def register(tracker: UploadTracker, asset_id: str, components: list[ComponentSpec]) -> None:
    tracker.register_components(
        asset_id,
        components=components,
        asset_type="checkpoint",
        experiment_id="e",
        variation=0,
        run=0,
        upload_urls={c.name: f"http://storage/{c.name}?signature=secret" for c in components},
        urls_expire_at="2030-01-01T00:00:00Z",
    )


def test_states_and_completion(tmp_path: Path) -> None:
    with UploadTracker(tmp_path / "t.sqlite") as tracker:
        assert not tracker.has_registered_assets()
        register(tracker, "a1", specs(3))
        assert tracker.has_registered_assets()
        assert not tracker.all_components_completed("a1")
        assert not tracker.all_components_completed("unknown")
        tracker.mark_uploading("a1", "part0.bin")
        tracker.mark_completed("a1", "part0.bin", sha256="0" * 64, size=1)
        tracker.mark_failed("a1", "part1.bin", "boom")
        (pending,) = tracker.get_pending_uploads()
        assert pending.asset_id == "a1" and pending.asset_type == "checkpoint" and pending.run == 0
        states = {c.name: c.state for c in pending.components}
        assert states == {"part0.bin": "completed", "part1.bin": "failed", "part2.bin": "registered"}
        assert [c.name for c in pending.incomplete] == ["part1.bin", "part2.bin"]
        assert pending.components[1].last_error == "boom"
        for name in ("part1.bin", "part2.bin"):
            tracker.mark_completed("a1", name, sha256="1" * 64, size=2)
        assert tracker.all_components_completed("a1")
        tracker.mark_finalized("a1")
        assert tracker.get_pending_uploads() == []
        recorded = tracker.get_asset("a1")
        assert recorded is not None and recorded.state == "finalized"
        assert tracker.summary() == {
            "registered": 0,
            "uploading": 0,
            "completed": 3,
            "failed": 0,
            "finalized_assets": 1,
            "pending_assets": 0,
            "abandoned_assets": 0,
            "unrecoverable_assets": 0,
        }
        asset = tracker.get_asset("a1")
        assert asset is not None and asset.state == "finalized" and asset.incomplete == ()
        assert tracker.get_asset("unknown") is None
        tracker.mark_finalized("a1")  # idempotent


def test_registration_is_one_transaction(tmp_path: Path) -> None:
    with UploadTracker(tmp_path / "t.sqlite") as tracker:
        batch = [*specs(2), specs(1)[0]]  # a duplicate name: the whole batch must be refused
        with pytest.raises(TrackerError, match="duplicate"):
            register(tracker, "a1", batch)
        assert tracker.get_pending_uploads() == [] and not tracker.has_registered_assets()
        assert tracker.get_asset("a1") is None  # the asset row, inserted first, was rolled back too
        register(tracker, "a1", specs(2))
        register(tracker, "a1", specs(2))  # the same registration again is fine
        with pytest.raises(TrackerError, match="one call"):
            register(tracker, "a1", specs(3))  # a split registration would race finalize
        with pytest.raises(TrackerError, match="one call"):
            register(tracker, "a1", specs(2, root=Path("/elsewhere")))  # same names, other files
        assert len(tracker.get_pending_uploads()[0].components) == 2


def test_component_left_uploading_by_a_crash_is_pending(tmp_path: Path) -> None:
    db = tmp_path / "t.sqlite"
    tracker = UploadTracker(db)
    register(tracker, "a1", specs(2))
    tracker.mark_uploading("a1", "part0.bin")
    # the process dies here; a new one opens the same file
    fresh = UploadTracker(db)
    (pending,) = fresh.get_pending_uploads()
    assert {c.name: c.state for c in pending.incomplete} == {"part0.bin": "uploading", "part1.bin": "registered"}
    assert pending.components[0].attempts == 1


def test_unknown_component_is_an_error(tmp_path: Path) -> None:
    with UploadTracker(tmp_path / "t.sqlite") as tracker, pytest.raises(TrackerError, match="not registered"):
        tracker.mark_completed("nope", "x", sha256="0" * 64, size=1)


def test_urls_are_never_in_reprs(tmp_path: Path) -> None:
    with UploadTracker(tmp_path / "t.sqlite") as tracker:
        register(tracker, "a1", specs(1))
        pending = tracker.get_pending_uploads()[0]
        assert pending.components[0].upload_url is not None
        assert "signature" not in repr(pending) and "signature" not in repr(tracker)


def test_database_file_is_private(tmp_path: Path) -> None:
    db = tmp_path / "t.sqlite"
    with UploadTracker(db) as tracker:
        register(tracker, "a1", specs(1))
        for path in [db, *tmp_path.glob("t.sqlite-*")]:
            assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path


def test_threads_marking_concurrently(tmp_path: Path) -> None:
    with UploadTracker(tmp_path / "t.sqlite") as tracker:
        components = specs(2000)
        register(tracker, "a1", components)

        barrier = threading.Barrier(4)
        errors: list[BaseException] = []

        def worker(part: list[ComponentSpec]) -> None:
            barrier.wait()
            try:
                for c in part:
                    tracker.mark_completed("a1", c.name, sha256="0" * 64, size=c.size)
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=worker, args=(components[i::4],)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        assert tracker.all_components_completed("a1")
        assert tracker.summary()["completed"] == 2000


def _process_worker(db: str, asset_id: str, start: Any) -> None:
    start.wait(30)
    tracker = UploadTracker(db)
    register(tracker, asset_id, specs(50))
    for c in specs(50):
        tracker.mark_completed(asset_id, c.name, sha256="0" * 64, size=c.size)
    tracker.close()


def test_two_processes_writing_at_once(tmp_path: Path) -> None:
    db = str(tmp_path / "t.sqlite")
    UploadTracker(db).close()
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Event()
    procs = [ctx.Process(target=_process_worker, args=(db, f"asset{i}", start)) for i in range(2)]
    for p in procs:
        p.start()
    start.set()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    with UploadTracker(db) as tracker:
        assert tracker.all_components_completed("asset0") and tracker.all_components_completed("asset1")


def test_foreign_sqlite_database_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "other.sqlite"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE customers (id INTEGER)")
    conn.commit()
    conn.close()
    with pytest.raises(TrackerError, match="other program"):
        UploadTracker(db)


def test_garbage_file_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "garbage.sqlite"
    db.write_bytes(os.urandom(4096))
    with pytest.raises(TrackerError, match=r"garbage\.sqlite"):
        UploadTracker(db)


def test_garbage_file_leaves_the_file_alone(tmp_path: Path) -> None:
    db = tmp_path / "garbage.sqlite"
    data = b"not a database at all" * 300
    db.write_bytes(data)
    with pytest.raises(TrackerError, match="not an upload tracker database"):
        UploadTracker(db)
    assert db.read_bytes() == data


def test_sqlite_file_with_a_foreign_meta_table_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "other.sqlite"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    conn.execute("INSERT INTO meta VALUES ('app', 'someone else')")
    conn.commit()
    conn.close()
    with pytest.raises(TrackerError, match="another program"):
        UploadTracker(db)


def test_newer_schema_is_refused_and_version_1_is_migrated(tmp_path: Path) -> None:
    db = tmp_path / "t.sqlite"
    UploadTracker(db).close()
    conn = sqlite3.connect(db)
    conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    with pytest.raises(TrackerError, match="newer methodic"):
        UploadTracker(db)

    old = tmp_path / "v1.sqlite"
    conn = sqlite3.connect(old)
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
        INSERT INTO assets VALUES ('old', 'checkpoint', 'e', 0, 0, 1.0, NULL);
        INSERT INTO components VALUES ('old', 'a.bin', '/x/a.bin', 3, 'application/octet-stream', 'uploading',
            NULL, NULL, NULL, 1, NULL, 1.0);
        """
    )
    conn.commit()
    conn.close()
    with UploadTracker(old) as tracker:
        (pending,) = tracker.get_pending_uploads()
        assert pending.asset_id == "old" and pending.state == "pending" and pending.local_dir is None
        assert [c.state for c in pending.incomplete] == ["uploading"]


def test_mapping_components_local_dir_and_url_updates(tmp_path: Path) -> None:
    with UploadTracker(tmp_path / "t.sqlite") as tracker:
        tracker.register_components(
            "a1",
            components=[{"name": "w.bin", "local_path": "/d/w.bin", "size": 5}],
            asset_type="snapshot",
            experiment_id="e",
            variation=1,
            run=2,
            local_dir=tmp_path,
        )
        tracker.update_upload_urls("a1", {"w.bin": "http://s/w.bin?sig=fresh"}, "2031-01-01T00:00:00Z")
        (pending,) = tracker.get_pending_uploads()
        (component,) = pending.components
        assert pending.local_dir == str(tmp_path) and component.content_type == "application/octet-stream"
        assert component.upload_url == "http://s/w.bin?sig=fresh" and component.url_expires_at == "2031-01-01T00:00:00Z"
        assert "sig=fresh" not in repr(pending)
        with pytest.raises(TrackerError, match="not registered"):
            tracker.update_upload_urls("a1", {"nope.bin": "http://s/x"}, None)
        with pytest.raises(TrackerError, match="local_path"):
            tracker.register_components("a2", components=[{"name": "x"}], asset_type="t")
        with pytest.raises(TrackerError, match="at least one"):
            tracker.register_components("a3", components=[], asset_type="t")


def test_closed_tracker_raises(tmp_path: Path) -> None:
    tracker = UploadTracker(tmp_path / "t.sqlite")
    tracker.close()
    with pytest.raises(TrackerError, match="closed"):
        tracker.get_pending_uploads()


def test_hosted_signatures_register_by_position_and_hand_finalize_the_sha256s(tmp_path: Path) -> None:
    with UploadTracker(tmp_path / "t.sqlite") as tracker:
        # the hosted SDK's call: register_components(asset_id, asset_type, components) with (name, path, size)
        tracker.register_components(
            "a1",
            "checkpoint",
            [("model.bin", "/d/model.bin", 10), {"name": "cfg.json", "local_path": "/d/c", "size": 2}],
        )
        assert tracker.completed_sha256s("a1") == {}
        tracker.mark_completed("a1", "model.bin", "a" * 64)  # sha256 by position; the size stays the registered one
        assert tracker.completed_sha256s("a1") == {"model.bin": "a" * 64}
        assert not tracker.all_components_completed("a1")
        tracker.mark_completed("a1", "cfg.json")  # no sha256: completed, but nothing for finalize to check
        assert tracker.all_components_completed("a1")
        assert tracker.completed_sha256s("a1") == {"model.bin": "a" * 64}
        (pending,) = tracker.get_incomplete()
        assert {c.name: c.size for c in pending.components} == {"model.bin": 10, "cfg.json": 2}
        assert tracker.completed_sha256s("unknown") == {}
        with pytest.raises(TrackerError, match="name, local_path, size"):
            tracker.register_components("a2", "checkpoint", [("only-a-name",)])  # type: ignore[list-item]
        with pytest.raises(TrackerError, match="name, local_path and size"):
            tracker.register_components("a3", "checkpoint", [{"name": "x"}])


def test_a_completion_is_synced_only_for_a_shared_asset(tmp_path: Path) -> None:
    """A plain asset's staged files go only after its durable finalize; a shared one's go when this part is done."""
    synced: list[bool] = []  # per write: committed with an fsync or not
    tracker = UploadTracker(tmp_path / "t.sqlite")
    write = tracker._write

    def watched(*, durable: bool = True) -> Any:
        synced.append(durable)
        return write(durable=durable)

    tracker._write = watched  # type: ignore[method-assign]
    with tracker:
        register(tracker, "plain", specs(1))
        tracker.register_components(
            "shared",
            components=specs(1, tmp_path),
            asset_type="checkpoint",
            experiment_id="e",
            variation=0,
            run=0,
            shared=True,
        )
        synced.clear()
        tracker.mark_completed("plain", "part0.bin", sha256="0" * 64)
        tracker.mark_completed("shared", "part0.bin", sha256="1" * 64)
        assert synced == [False, True]
        assert tracker.all_components_completed("plain") and tracker.all_components_completed("shared")
