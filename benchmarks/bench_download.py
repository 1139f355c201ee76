"""Downloads of a 1 GiB file from an R2 copy (the storage gateway) against storage paced per connection.

Cloud storage caps each connection far below a node's network, so one stream (curl) is bound by the
cap and parallel ranges are not. In the same run, for each pace (32 and 64 MiB/s per connection, and
unpaced):

- curl's single GET of the file from the gateway (``-H Authorization``, as an R2 read that requires the
  key), to disk; and curl's single GET of its presigned URL;
- the SDK at its defaults (``Chronicle(url, key)``: no knob turned) downloading the asset, which reads
  the R2 copy through its manifest in parallel ranges and verifies the whole file's sha256; and the same
  with ``download_range_size`` 8 MiB, to compare range sizes;
- the SDK process's peak RSS growth (VmHWM after minus VmRSS before), target under 64 MiB.

Ratio = curl's time / the SDK's time; target at least 5x at 32 and 64 MiB/s. The SDK runs in a child
process; the server in this one (the pace is changed between rows on the running storage service). Files
live in the system temp directory, or METHODIC_BENCH_DIR.

    .venv/bin/python -m benchmarks.bench_download [--quick]
"""

from __future__ import annotations

import hashlib
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
from methodic_server import LocalChronicle

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

    url, key, asset_id, dest, range_size = sys.argv[1:6]
    knobs = {} if range_size == "default" else {"download_range_size": int(range_size)}
    with Chronicle(url, key, **knobs) as c:
        c.assets.get(asset_id)
        base = rss("VmRSS:")
        start = time.perf_counter()
        c.assets.download(asset_id, dest, progress=False)
        elapsed = time.perf_counter() - start
        print(json.dumps({"download_s": elapsed, "rss_growth": rss("VmHWM:") - base}))
    """
)


def _write(path: Path, size: int) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with path.open("wb") as f:
        block = os.urandom(64 * MiB)
        for _ in range(size // len(block)):
            f.write(block)
            digest.update(block)
        f.write(block[: size % len(block)])
        digest.update(block[: size % len(block)])
    return digest.hexdigest()


def _curl(args: list[str], out: Path) -> float:
    out.parent.mkdir(parents=True, exist_ok=True)
    os.sync()
    start = time.perf_counter()
    subprocess.run(["curl", "-sS", "--fail", "-o", str(out), *args], check=True)
    elapsed = time.perf_counter() - start
    shutil.rmtree(out.parent)
    return elapsed


def _sdk(server: LocalChronicle, asset_id: str, dest: Path, range_size: str, digest: str) -> dict[str, float]:
    os.sync()
    result = subprocess.run(
        [sys.executable, "-c", CHILD, server.url, server.api_key, asset_id, str(dest), range_size],
        capture_output=True,
        text=True,
        check=True,
    )
    (got,) = list(dest.iterdir())
    check = subprocess.run(["sha256sum", str(got)], capture_output=True, text=True, check=True).stdout.split()[0]
    if check != digest:
        raise AssertionError("the SDK's download is not byte-identical")
    shutil.rmtree(dest)
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def _pace(server: LocalChronicle, rate: int | None) -> None:
    """Change the pace of every new storage connection (the running service reads it per request)."""
    server._server.storage.per_connection_bytes_per_second = rate


def run(quick: bool = False) -> list[Row]:
    size = 256 * MiB if quick else GiB
    rows: list[Row] = []
    root = Path(os.environ.get("METHODIC_BENCH_DIR") or tempfile.gettempdir())
    work = Path(tempfile.mkdtemp(prefix="methodic-bench-dl-", dir=root))
    try:
        src = work / "src" / "model.bin"
        digest = _write(src, size)
        with (
            LocalChronicle(data_dir=work / "server", max_part_bytes=2 * GiB) as server,
            Chronicle(server.url, server.api_key) as chronicle,
        ):
            exp_id = started_run(chronicle).experiment_id
            up = chronicle.assets.create_with_presigned(
                asset_type="bench",
                components=["model.bin"],
                name="bench",
                output_of={"experiment_id": exp_id, "variation": 0, "run": 0},
                upload_targets=["r2", "gcs"],
            )
            auth = f"Authorization: Bearer {server.api_key}"
            subprocess.run(
                ["curl", "-sS", "--fail", "-T", str(src), "-H", auth, up.upload_urls["model.bin"]],
                check=True,
                stdout=subprocess.DEVNULL,
            )
            chronicle.assets.finalize(up.asset_id, {"model.bin": digest})
            record = chronicle.assets.get(up.asset_id, include_presigned=True)
            r2_url = f"{record['r2']['base_url']}{up.asset_id}/model.bin"
            presigned = record.download_urls["model.bin"]
            label = f"{size // MiB} MiB"
            for rate in (32 * MiB, 64 * MiB, None):
                _pace(server, rate)
                pace = f"{rate // MiB} MiB/s per connection" if rate else "unpaced"
                curl_r2 = _curl(["-H", auth, r2_url], work / "curl" / "model.bin")
                curl_presigned = _curl([presigned], work / "curl" / "model.bin")
                sdk = _sdk(server, up.asset_id, work / "sdk", "default", digest)
                sdk8 = _sdk(server, up.asset_id, work / "sdk", str(8 * MiB), digest)
                down = float(sdk["download_s"])
                target, ok = ("≥ 5×", curl_r2 / down >= 5) if rate else ("—", None)
                rows += [
                    Row(
                        f"download {label} from the R2 copy, {pace}, defaults",
                        f"{size / down / 1e6:.0f} MB/s",
                        f"{size / curl_r2 / 1e6:.0f} MB/s (curl, one GET)",
                        curl_r2 / down,
                        target,
                        ok,
                    ),
                    Row(
                        f"  same, download_range_size 8 MiB, {pace}",
                        f"{size / float(sdk8['download_s']) / 1e6:.0f} MB/s",
                        f"{size / curl_r2 / 1e6:.0f} MB/s (curl, one GET)",
                        curl_r2 / float(sdk8["download_s"]),
                        "—",
                        None,
                    ),
                    Row(
                        f"  curl of the presigned URL, {pace}",
                        "—",
                        f"{size / curl_presigned / 1e6:.0f} MB/s",
                        None,
                        "—",
                        None,
                    ),
                    Row(
                        f"  peak RSS growth of the SDK download, {pace}",
                        f"{max(float(sdk['rss_growth']), float(sdk8['rss_growth'])) / MiB:.1f} MiB",
                        "—",
                        None,
                        "< 64 MiB",
                        max(float(sdk["rss_growth"]), float(sdk8["rss_growth"])) < 64 * MiB,
                    ),
                ]
                for row in rows[-4:]:
                    print(row, flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return rows


def main() -> int:
    rows = run(quick="--quick" in sys.argv)
    print()
    print("| benchmark | SDK | baseline | ratio | target | ok |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        ratio = f"{r.ratio:.2f}×" if r.ratio is not None else "—"
        ok = "—" if r.ok is None else ("yes" if r.ok else "NO")
        print(f"| {r.name} | {r.sdk} | {r.baseline} | {ratio} | {r.target} | {ok} |")
    return 0 if all(r.ok is not False for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
