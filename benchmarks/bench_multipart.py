"""Huge components: parallel parts and ranges against storage that caps each connection, and kill -9 resume.

Storage is the local storage service with ``per_connection_bytes_per_second`` at 64 MiB/s (one TCP
stream to cloud storage is capped far below a node's network). In the same run:

- curl's single PUT (``-T``) and single GET (``-o``) of a 4 GiB file against it, and the SDK with 8
  workers uploading the same file as an asset (parts in parallel) and downloading it (ranges in
  parallel, verified): ratio = curl's time / the SDK's time, target at least 5x (the limit is 8x).
- The SDK upload killed (SIGKILL) once storage has received about half the bytes, then resumed by a
  new process: the bytes storage received during the resume, against the file's size (target at
  most 55%).
- Unthrottled: the SDK's multipart upload and ranged download of the same file against curl's
  single streams, and the SDK process's peak RSS growth (target under 64 MiB).

Each SDK side runs in a child process (``max_upload_workers=8``) that reports its transfer times and
peak RSS growth (VmHWM after minus VmRSS before). One round per row: at 64 MiB/s per stream the
curl rows alone take two minutes. Files (the source, the storage's objects, the downloads) live in
the system temp directory, or in METHODIC_BENCH_DIR: storage and client share one machine here, so
on a disk that writes ~300 MB/s both directions are bound by the disk, not the network (measure with
METHODIC_BENCH_DIR=/dev/shm to see the transfer itself; it needs ~13 GiB there). The tracker always
lives on the system temp directory's disk, as a trainer's would: every part is one durable commit.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from benchmarks._common import Row, started_run
from methodic import Chronicle, UploadTracker
from methodic_server import LocalChronicle

MiB = 1 << 20
GiB = 1 << 30
RATE = 64 * MiB

CHILD = textwrap.dedent(
    """
    import json, os, sys, time
    from pathlib import Path
    from methodic import Chronicle, UploadTracker

    def rss(field):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1]) * 1024

    url, key, exp, src, dest, db, mode = sys.argv[1:8]
    with Chronicle(url, key, max_upload_workers=8) as c:
        run = c.run(exp, 0, 0)
        c.me.scopes()
        base = rss("VmRSS:")
        tracker = UploadTracker(db)
        if mode == "resume":
            start = time.perf_counter()
            (asset,) = c.resume_uploads(tracker)
            print(json.dumps({"upload_s": time.perf_counter() - start, "asset_id": asset.id}), flush=True)
            sys.exit(0)
        os.sync()
        start = time.perf_counter()
        upload = run.register_and_upload_async(local_dir=src, asset_type="bench", upload_tracker=tracker, progress=False)
        print(json.dumps({"registered": upload.asset_id}), flush=True)
        asset_id = upload.wait().id
        upload_s = time.perf_counter() - start
        download_s = None
        if mode == "both":
            os.sync()
            start = time.perf_counter()
            c.assets.download(asset_id, local_dir=dest, progress=False)
            download_s = time.perf_counter() - start
        growth = rss("VmHWM:") - base
        print(json.dumps({"upload_s": upload_s, "download_s": download_s, "rss_growth": growth, "asset_id": asset_id}))
    """
)


def _write(path: Path, size: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        block = os.urandom(64 * MiB)
        for _ in range(size // len(block)):
            f.write(block)
        f.write(block[: size % len(block)])


def _curl(args: list[str]) -> float:
    os.sync()
    start = time.perf_counter()
    subprocess.run(["curl", "-sS", "--fail", *args], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def _curl_times(chronicle: Chronicle, exp_id: str, src: Path, out: Path) -> tuple[float, float]:
    run = chronicle.run(exp_id, 0, 0)
    info = run.create_asset_presigned(asset_type="bench", components=[src.name])
    up = _curl(["-T", str(src), info.upload_urls[src.name]])
    chronicle.assets.finalize(info.asset_id)
    url = chronicle.assets.get(info.asset_id, include_presigned=True).download_urls[src.name]
    out.mkdir(parents=True, exist_ok=True)
    down = _curl(["-o", str(out / src.name), url])
    chronicle.assets.delete(info.asset_id)
    shutil.rmtree(out)
    return up, down


def _sdk(server: LocalChronicle, exp_id: str, src: Path, out: Path, db: Path, mode: str) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, server.url, server.api_key, exp_id, str(src.parent), str(out), str(db), mode],
        capture_output=True,
        text=True,
        check=True,
    )
    shutil.rmtree(out, ignore_errors=True)
    db.unlink(missing_ok=True)
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def _resume_case(
    server: LocalChronicle, chronicle: Chronicle, exp_id: str, src: Path, work: Path, db: Path
) -> list[Row]:
    size = src.stat().st_size
    args = [server.url, server.api_key, exp_id, str(src.parent), str(work / "unused"), str(db), "upload"]
    before = server.storage_bytes_received
    child = subprocess.Popen([sys.executable, "-c", CHILD, *args], stdout=subprocess.PIPE, text=True)
    try:
        while server.storage_bytes_received - before < size // 2:
            if child.poll() is not None:
                raise RuntimeError("the upload finished before it could be killed")
            time.sleep(0.02)
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.wait()
    killed_at = server.storage_bytes_received - before
    with UploadTracker(db) as tracker:
        (pending,) = tracker.get_pending_uploads()
        component = pending.components[0]
        recorded = len(tracker.get_parts(pending.asset_id, component.name, component.upload_id or ""))
    before_resume = server.storage_bytes_received
    result = subprocess.run(
        [sys.executable, "-c", CHILD, *args[:-1], "resume"], capture_output=True, text=True, check=True
    )
    resumed = server.storage_bytes_received - before_resume
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    chronicle.assets.delete(str(outcome["asset_id"]))
    db.unlink(missing_ok=True)
    share = resumed / size
    return [
        Row(
            f"kill -9 at ~50% of {size / GiB:g} GiB, resume",
            f"{resumed / MiB:,.0f} MiB sent ({share:.1%})",
            f"{size / MiB:,.0f} MiB file",
            share,
            "≤ 55% of the bytes",
            share <= 0.55,
            f"storage had received {killed_at / MiB:,.0f} MiB when the uploader was killed, {recorded} parts"
            f" recorded; the resume took {outcome['upload_s']:.1f} s; bytes counted by the storage service",
        )
    ]


def run(quick: bool = False) -> list[Row]:
    if shutil.which("curl") is None:
        return [Row("multipart", "—", "—", None, "≥ 5×", None, "curl is not installed; skipped")]
    size = 512 * MiB if quick else 4 * GiB
    rows: list[Row] = []
    with (
        tempfile.TemporaryDirectory(prefix="methodic-bench-mp-", dir=os.environ.get("METHODIC_BENCH_DIR")) as tmp,
        tempfile.TemporaryDirectory(prefix="methodic-bench-tracker-") as trackers,
    ):
        work = Path(tmp)
        src = work / "src" / "optimizer.pt"
        _write(src, size)
        label = f"{size / GiB:g} GiB in {os.environ.get('METHODIC_BENCH_DIR') or tempfile.gettempdir()}"
        for rate in (RATE, None):
            with (
                LocalChronicle(data_dir=work / f"srv-{rate}", per_connection_bytes_per_second=rate) as server,
                Chronicle(server.url, server.api_key) as chronicle,
            ):
                exp_id = started_run(chronicle).experiment_id
                curl_up, curl_down = _curl_times(chronicle, exp_id, src, work / "curl-out")
                sdk = _sdk(server, exp_id, src, work / "sdk-out", Path(trackers) / "t.sqlite", "both")
                chronicle.assets.delete(str(sdk["asset_id"]))
                up_s, down_s = float(str(sdk["upload_s"])), float(str(sdk["download_s"]))
                growth = int(str(sdk["rss_growth"])) / MiB
                where = f"{rate // MiB} MiB/s per connection" if rate else "unthrottled"
                # Unthrottled on one 2-core box, parallel parts cannot beat one stream (both ends share the
                # CPU); those rows are informational. The single-stream rows are bench_transfer's.
                target = "≥ 5×" if rate else "informational"
                for direction, sdk_s, curl_s, tool in (
                    ("upload", up_s, curl_up, "curl -T"),
                    ("download", down_s, curl_down, "curl -o"),
                ):
                    ratio = curl_s / sdk_s
                    rows.append(
                        Row(
                            f"{direction} {label}, {where}",
                            f"{size / MiB / sdk_s:,.0f} MiB/s (8 workers)",
                            f"{size / MiB / curl_s:,.0f} MiB/s ({tool})",
                            ratio,
                            target,
                            ratio >= 5 if rate else None,
                            f"{sdk_s:.1f} s vs {curl_s:.1f} s",
                        )
                    )
                rows.append(
                    Row(
                        f"peak RSS growth, {label} multipart, {where}",
                        f"{growth:.1f} MiB",
                        "—",
                        None,
                        "< 64 MiB",
                        growth < 64,
                    )
                )
                if rate:
                    rows += _resume_case(server, chronicle, exp_id, src, work, Path(trackers) / "resume.sqlite")
    return rows


def main() -> int:
    """Run this benchmark alone; print the table and write it to benchmarks/RESULTS-multipart.md."""
    import argparse
    import platform

    from benchmarks._common import render

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="512 MiB instead of 4 GiB (a smoke run)")
    args = parser.parse_args()
    rows = run(quick=args.quick)
    machine = f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}"
    title = (
        f"methodic multipart benchmark ({'quick' if args.quick else 'full'}; {machine}; {time.strftime('%Y-%m-%d')})"
    )
    print(f"\n{title}\n\n{render(rows, markdown=False)}")
    if not args.quick:
        results = Path(__file__).with_name("RESULTS-multipart.md")
        previous = results.read_text() if results.exists() else ""
        results.write_text(f"{previous}# {title}\n\n{render(rows, markdown=True)}\n\n")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    raise SystemExit(main())
