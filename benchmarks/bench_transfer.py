"""Upload and download throughput and peak memory: the SDK vs curl, against the same local storage service.

Each SDK measurement runs in a child process that reports its transfer time and its peak RSS growth
(VmHWM after, minus VmRSS before, with imports and connections already warm). curl uploads with
`-T` to a presigned PUT URL and downloads with `-o` from a presigned GET URL issued by the same
server in the same run, so both sides hit the same storage code and the same disk.

Each case runs several rounds, alternating which side goes first. The table compares the best
round of each side (like ``timeit``: slower rounds are interference from the rest of the machine,
which on a 2-core VM is large); the notes give the medians too. Dirty pages are flushed (``sync``)
before every timed transfer: a transfer that starts with a previous round's gigabytes still
unwritten gets throttled to the disk's speed by the kernel, which is what made back-to-back curl
runs differ 2x; then the benchmark pauses 3 s so the VM's background memory work settles (see
``_settle``). One untimed warm-up round per case absorbs first-touch costs of guest memory. Files
live in the system temp directory (a real disk, as checkpoints do); set METHODIC_BENCH_DIR to
measure elsewhere. Every asset is deleted after its round.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from benchmarks._common import Row, median, started_run
from methodic import Chronicle, Run
from methodic_server import LocalChronicle

MiB = 1 << 20
GiB = 1 << 30

CHILD = textwrap.dedent(
    """
    import json, os, sys, time
    from pathlib import Path
    from methodic import Chronicle

    def rss(field):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1]) * 1024

    def settle():
        # the same as _settle() in bench_transfer.py
        os.sync()
        time.sleep(3)

    url, key, exp, mode, src, dest = sys.argv[1:7]
    with Chronicle(url, key, max_upload_workers=2) as c:
        run = c.run(exp, 0, 0)
        c.me.scopes()
        base = rss("VmRSS:")
        if mode == "file":
            info = run.create_asset_presigned(asset_type="bench", components=["big.bin"])
            settle()
            start = time.perf_counter()
            run.upload_component(info.upload_urls["big.bin"], local_path=src, progress=False)
            upload_s = time.perf_counter() - start
            asset_id = run.finalize_asset(info.asset_id).id
        else:
            settle()
            start = time.perf_counter()  # the whole SDK call: presign, parallel PUTs, finalize
            asset_id = run.upload_directory_async(src, asset_type="bench", progress=False).wait().id
            upload_s = time.perf_counter() - start
        settle()
        start = time.perf_counter()
        c.assets.download(asset_id, local_dir=dest, progress=False)
        download_s = time.perf_counter() - start
        growth = rss("VmHWM:") - base
        c.assets.delete(asset_id)
        print(json.dumps({"upload_s": upload_s, "download_s": download_s, "rss_growth": growth}))
    """
)


def _write(path: Path, size: int) -> None:
    with path.open("wb") as f:
        block = os.urandom(64 * MiB)
        for _ in range(size // len(block)):
            f.write(block)
        f.write(block[: size % len(block)])


def _curl(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(["curl", "-sS", "--fail", *args], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def _curl_round(chronicle: Chronicle, run: Run, files: list[Path], out: Path) -> dict[str, float]:
    info = run.create_asset_presigned(asset_type="bench", components=[f.name for f in files])
    _settle()
    up = sum(_curl(["-T", str(f), info.upload_urls[f.name]]) for f in files)
    chronicle.assets.finalize(info.asset_id)
    urls = chronicle.assets.get(info.asset_id, include_presigned=True).download_urls
    out.mkdir(parents=True, exist_ok=True)
    _settle()
    down = sum(_curl(["-o", str(out / f.name), urls[f.name]]) for f in files)
    # What the SDK guarantees on top: every byte checked against the recorded sha256.
    start = time.perf_counter()
    subprocess.run(["sha256sum", *[str(out / f.name) for f in files]], check=True, stdout=subprocess.DEVNULL)
    verify = time.perf_counter() - start
    chronicle.assets.delete(info.asset_id)
    shutil.rmtree(out)
    return {"upload_s": up, "download_s": down, "verified_download_s": down + verify}


def _sdk_round(server: LocalChronicle, exp_id: str, mode: str, src: Path, out: Path) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, server.url, server.api_key, exp_id, mode, str(src), str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    shutil.rmtree(out)
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def _case(
    server: LocalChronicle, chronicle: Chronicle, run: Run, work: Path, size: int, parts: int, rounds: int
) -> list[Row]:
    src = work / f"src-{size}-{parts}"
    src.mkdir()
    files = [src / (f"part{i}.bin" if parts > 1 else "big.bin") for i in range(parts)]
    for f in files:
        _write(f, size // parts)
    label = f"{size / GiB:g} GiB {'file' if parts == 1 else f'in {parts} files'}"
    curl_rounds: list[dict[str, float]] = []
    sdk_rounds: list[dict[str, float]] = []

    def curl_side() -> None:
        curl_rounds.append(_curl_round(chronicle, run, files, work / "curl-out"))

    def sdk_side() -> None:
        mode, source = ("file", files[0]) if parts == 1 else ("dir", src)
        sdk_rounds.append(_sdk_round(server, run.experiment_id, mode, source, work / "sdk-out"))

    curl_side()  # warm-up round, not counted
    sdk_side()
    curl_rounds.clear()
    sdk_rounds.clear()
    for r in range(rounds):
        for side in (curl_side, sdk_side) if r % 2 == 0 else (sdk_side, curl_side):
            side()
    shutil.rmtree(src)
    mb = size / 1e6

    def rates(samples: list[dict[str, float]], key: str) -> list[float]:
        return [mb / s[key] for s in samples]

    rss = max(s["rss_growth"] for s in sdk_rounds) / MiB
    rows = []
    for direction, key, tool in (("upload", "upload_s", "curl -T"), ("download", "download_s", "curl -o")):
        sdk, curl = rates(sdk_rounds, key), rates(curl_rounds, key)
        best = max(sdk) / max(curl)
        typical = median(sdk) / median(curl)
        rows.append(
            Row(
                f"{direction} {label}",
                f"{max(sdk):,.0f} MB/s",
                f"{max(curl):,.0f} MB/s ({tool})",
                best,
                "≥ 0.90×",
                best >= 0.9,
                f"median {median(sdk):,.0f} vs {median(curl):,.0f} MB/s = {typical:.2f}×",
            )
        )
    if all("verified_download_s" in c for c in curl_rounds):
        sdk, verified = rates(sdk_rounds, "download_s"), rates(curl_rounds, "verified_download_s")
        rows.append(
            Row(
                f"download {label}, both verified",
                f"{max(sdk):,.0f} MB/s",
                f"{max(verified):,.0f} MB/s (curl -o; sha256sum)",
                max(sdk) / max(verified),
                "—",
                None,
                "the SDK checks size and sha256 of every byte; curl alone does not",
            )
        )
    rows.append(Row(f"peak RSS growth, {label}", f"{rss:.1f} MiB", "—", None, "< 64 MiB", rss < 64, "max over rounds"))
    return rows


def _settle() -> None:
    """Get the machine into the same quiet state before every timed transfer.

    Flush dirty pages (``sync``): a transfer that starts with a previous round's gigabytes still
    unwritten gets throttled to the disk's speed. Then wait 3 s: on a VM with free page reporting
    (virtio-balloon), memory freed by the previous round (deleted files, exited processes) is
    handed back to the host about 2 s later, and that work, run during a transfer, competes with
    its page-cache allocations. Measured on a 2-core VM, writing 1 GiB to a new file: 0.4-0.5 GB/s
    right after a large free, 0.9-1.4 GB/s after the pause.
    """
    os.sync()
    time.sleep(3)


def _work_parent() -> tuple[str | None, str]:
    """Where to put the work directory, and how to describe it in the table."""
    chosen = os.environ.get("METHODIC_BENCH_DIR")
    if chosen:
        return chosen, f"in {chosen}"
    return None, f"in {tempfile.gettempdir()}"


def run(quick: bool = False) -> list[Row]:
    if shutil.which("curl") is None or shutil.which("sha256sum") is None:
        return [Row("upload/download", "—", "—", None, "≥ 0.90×", None, "curl or sha256sum is not installed; skipped")]
    base = 128 * MiB if quick else GiB
    big = 512 * MiB if quick else 4 * GiB
    rounds = 2 if quick else 5
    parent, where = _work_parent()
    with (
        tempfile.TemporaryDirectory(prefix="methodic-bench-", dir=parent) as tmp,
        LocalChronicle(data_dir=Path(tmp) / "srv") as server,
        Chronicle(server.url, server.api_key) as chronicle,
    ):
        work = Path(tmp)
        run_handle = started_run(chronicle)
        rows: list[Row] = []
        rows += _case(server, chronicle, run_handle, work, base, 1, rounds)
        rows += _case(server, chronicle, run_handle, work, base, 4, rounds)
        if shutil.disk_usage(tmp).free < 3 * big + GiB:
            rows.append(
                Row(f"{big / GiB:g} GiB file", "—", "—", None, "< 64 MiB", None, "not enough free disk; skipped")
            )
        else:
            rows += _case(server, chronicle, run_handle, work, big, 1, max(1, rounds - 2))
        rows[0].note += f"; best of {rounds} alternating rounds per side, files {where}"
        return rows
