"""Disks that fill, trackers that are locked or shared: clear errors and nothing lost."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

from methodic import Chronicle, UploadTracker
from methodic_server import LocalChronicle
from tests.helpers import chronicle_env


def test_disk_full_during_download_leaves_no_partial_file(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    run = client.run(*committed_run).start()
    src = tmp_path / "src"
    src.mkdir()
    (src / "big.bin").write_bytes(os.urandom(4 << 20))
    asset = run.upload_directory_async(src, asset_type="checkpoint", progress=False).wait()
    dest = tmp_path / "dest"
    # A child whose files may not exceed 1 MiB: writes past that fail with EFBIG, like a full disk.
    code = textwrap.dedent(
        f"""
        import resource, signal, sys
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, 1 << 20))
        from methodic import Chronicle
        from methodic.errors import DownloadError
        with Chronicle({server.url!r}, {server.api_key!r}) as c:
            try:
                c.assets.download({asset.id!r}, local_dir={str(dest)!r}, progress=False)
            except DownloadError as exc:
                print("DOWNLOAD_ERROR", exc)
                sys.exit(3)
        """
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 3, result.stdout + result.stderr
    assert "big.bin" in result.stdout and ("File too large" in result.stdout or "EFBIG" in result.stdout)
    leftovers = [p for p in dest.rglob("*") if p.is_file()] if dest.exists() else []
    assert leftovers == []
    # nothing lost: with room again the same download succeeds
    client.assets.download(asset.id, local_dir=dest, progress=False)
    assert (dest / "big.bin").read_bytes() == (src / "big.bin").read_bytes()


def test_tracker_locked_by_another_process_waits_then_works(tmp_path: Path) -> None:
    db = tmp_path / "uploads.sqlite"
    UploadTracker(db).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys, time\n"
            f"c = sqlite3.connect({str(db)!r}, isolation_level=None)\n"
            "c.execute('BEGIN EXCLUSIVE')\n"
            "print('LOCKED', flush=True)\n"
            "time.sleep(1.0)\n"
            "c.execute('COMMIT')\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "LOCKED"
    started = time.monotonic()
    from methodic.transfer.files import ComponentSpec

    with UploadTracker(db) as tracker:
        tracker.register_components(
            "asset-1",
            components=[ComponentSpec(name="a.bin", local_path=str(tmp_path / "a.bin"), size=1)],
            asset_type="checkpoint",
            experiment_id="e",
            variation=0,
            run=0,
        )
        assert [p.asset_id for p in tracker.get_pending_uploads()] == ["asset-1"]
    assert time.monotonic() - started >= 0.5  # it waited for the lock instead of failing or losing the write
    holder.wait(timeout=10)


def test_two_processes_resuming_the_same_tracker(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    """Both resumes succeed; the asset is finalized once with every component; nothing is lost."""
    exp_id, v, r = committed_run
    run = client.run(exp_id, v, r).start()
    src = tmp_path / "ckpt"
    src.mkdir()
    for i in range(4):
        (src / f"part{i}.bin").write_bytes(os.urandom(2 << 20))
    db = tmp_path / "uploads.sqlite"
    # Simulate a crash right after registration: register with the server and tracker, upload nothing.
    from methodic.transfer.files import scan_directory

    specs = scan_directory(src)
    info = run.create_asset_presigned(asset_type="checkpoint", components=[s.name for s in specs])
    with UploadTracker(db) as tracker:
        tracker.register_components(
            info.asset_id,
            components=specs,
            asset_type="checkpoint",
            experiment_id=exp_id,
            variation=v,
            run=r,
            upload_urls=info.upload_urls,
            urls_expire_at=info.expires_at,
        )
    env = chronicle_env(server)
    cmd = [sys.executable, "-m", "methodic", "uploads", "resume", "--tracker", str(db), "--no-progress"]
    results: list[subprocess.CompletedProcess[str]] = []

    def resume() -> None:
        results.append(subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120))

    threads = [threading.Thread(target=resume) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [res.returncode for res in results] == [0, 0], [res.stdout + res.stderr for res in results]
    asset = client.assets.get(info.asset_id)
    assert asset.state == "ready"
    assert sorted(c["name"] for c in asset.components) == [f"part{i}.bin" for i in range(4)]
    dest = tmp_path / "verify"
    client.assets.download(info.asset_id, local_dir=dest, progress=False)
    for i in range(4):
        assert (dest / f"part{i}.bin").read_bytes() == (src / f"part{i}.bin").read_bytes()
    with UploadTracker(db) as tracker:
        assert tracker.get_pending_uploads() == []
    assert sqlite3.connect(db).execute("PRAGMA integrity_check").fetchone() == ("ok",)
