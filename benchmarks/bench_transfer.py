"""Upload and download throughput and peak memory: the SDK vs curl, against the same local storage service.

Each SDK measurement runs in a child process that reports its transfer time and its peak RSS growth
(VmHWM after, minus VmRSS before, with imports and connections already warm). curl uploads with
`-T` to a presigned PUT URL and downloads with `-o` from a presigned GET URL issued by the same
server in the same run, so both sides hit the same storage code and the same disk.
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

from benchmarks._common import Row, started_run
from methodic import Chronicle
from methodic.testing import LocalChronicle

MiB = 1 << 20
GiB = 1 << 30

CHILD = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    from methodic import Chronicle

    def rss(field):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1]) * 1024

    url, key, exp, mode, src, dest = sys.argv[1:7]
    with Chronicle(url, key, max_upload_workers=2) as c:
        run = c.run(exp, 0, 0)
        c.me.scopes()
        base = rss("VmRSS:")
        if mode == "file":
            info = run.create_asset_presigned(asset_type="bench", components=["big.bin"])
            start = time.perf_counter()
            run.upload_component(info.upload_urls["big.bin"], local_path=src, progress=False)
            upload_s = time.perf_counter() - start
            asset_id = run.finalize_asset(info.asset_id).id
        else:
            start = time.perf_counter()  # the whole SDK call: presign, parallel PUTs, finalize
            asset_id = run.upload_directory_async(src, asset_type="bench", progress=False).wait().id
            upload_s = time.perf_counter() - start
        start = time.perf_counter()
        c.assets.download(asset_id, local_dir=dest, progress=False)
        download_s = time.perf_counter() - start
        print(json.dumps({"upload_s": upload_s, "download_s": download_s, "rss_growth": rss("VmHWM:") - base}))
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


def _curl_round(chronicle: Chronicle, run_asset: object, files: list[Path], out: Path) -> tuple[float, float]:
    run = run_asset
    info = run.create_asset_presigned(asset_type="bench", components=[f.name for f in files])  # type: ignore[attr-defined]
    up = sum(_curl(["-T", str(f), info.upload_urls[f.name]]) for f in files)
    chronicle.assets.finalize(info.asset_id)
    urls = chronicle.assets.get(info.asset_id, include_presigned=True).download_urls
    out.mkdir(parents=True, exist_ok=True)
    down = sum(_curl(["-o", str(out / f.name), urls[f.name]]) for f in files)
    return up, down


def _sdk_round(server: LocalChronicle, exp_id: str, mode: str, src: Path, out: Path) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, server.url, server.api_key, exp_id, mode, str(src), str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def _case(server: LocalChronicle, chronicle: Chronicle, run: object, work: Path, size: int, parts: int) -> list[Row]:
    src = work / f"src-{size}-{parts}"
    src.mkdir()
    files = [src / (f"part{i}.bin" if parts > 1 else "big.bin") for i in range(parts)]
    for f in files:
        _write(f, size // parts)
    label = f"{size / GiB:g} GiB {'file' if parts == 1 else f'in {parts} files'}"
    curl_up, curl_down = _curl_round(chronicle, run, files, work / "curl-out")
    shutil.rmtree(work / "curl-out")
    sdk = _sdk_round(
        server,
        run.experiment_id,
        "file" if parts == 1 else "dir",
        files[0] if parts == 1 else src,  # type: ignore[attr-defined]
        work / "sdk-out",
    )
    shutil.rmtree(work / "sdk-out")
    shutil.rmtree(src)
    mb = size / 1e6
    up, down = mb / sdk["upload_s"], mb / sdk["download_s"]
    c_up, c_down = mb / curl_up, mb / curl_down
    rss = sdk["rss_growth"] / MiB
    return [
        Row(
            f"upload {label}", f"{up:,.0f} MB/s", f"{c_up:,.0f} MB/s (curl -T)", up / c_up, "≥ 0.90×", up / c_up >= 0.9
        ),
        Row(
            f"download {label}",
            f"{down:,.0f} MB/s",
            f"{c_down:,.0f} MB/s (curl -o)",
            down / c_down,
            "≥ 0.90×",
            down / c_down >= 0.9,
        ),
        Row(f"peak RSS growth, {label}", f"{rss:.1f} MiB", "—", None, "< 64 MiB", rss < 64),
    ]


def run(quick: bool = False) -> list[Row]:
    if shutil.which("curl") is None:
        return [Row("upload/download", "—", "—", None, "≥ 0.90×", None, "curl is not installed; skipped")]
    with (
        tempfile.TemporaryDirectory(prefix="methodic-bench-") as tmp,
        LocalChronicle(data_dir=Path(tmp) / "srv") as server,
        server.client() as chronicle,
    ):
        work = Path(tmp)
        run_handle = started_run(chronicle)
        rows: list[Row] = []
        base = 128 * MiB if quick else GiB
        rows += _case(server, chronicle, run_handle, work, base, 1)
        rows += _case(server, chronicle, run_handle, work, base, 4)
        big = 512 * MiB if quick else 4 * GiB
        if shutil.disk_usage(tmp).free < 3 * big + GiB:
            rows.append(
                Row(f"{big / GiB:g} GiB file", "—", "—", None, "< 64 MiB", None, "not enough free disk; skipped")
            )
        else:
            rows += _case(server, chronicle, run_handle, work, big, 1)
        return rows
