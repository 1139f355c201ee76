"""A big file through the ``r2`` route at the client's defaults, against storage paced per connection (issue 25).

The local server (``LocalChronicle``, default ``upload_route="r2"`` and ``max_part_bytes``) paces every
storage and gateway connection to 32 and then 64 MiB/s, as cloud storage paces one TCP stream far below
a node's network. For each rate, in the same run and against the same server:

- **curl's single stream**: ``curl -T`` of the file and ``curl -o`` of it back, one connection each. The
  gateway refuses a single PUT above ``max_part_bytes`` (64 MiB by default, as the hosted one does), so
  curl PUTs to a presigned URL of the same storage service (an asset created with
  ``upload_targets=["gcs"]``): the same port, the same per-connection pace, the same receive path (hash,
  write, pace per 1 MiB), the same disk. Raising ``max_part_bytes`` so that curl could PUT to the
  gateway instead would change what the SDK does with a file in (64, 256] MiB (one PUT instead of
  parts: the quick mode's file), and measured the same: a paced stream takes size / rate either way.
- **the SDK at its defaults** (``Chronicle(url, key)``, no knob): ``run.register_and_upload_async`` of a
  folder holding the file, with an ``UploadTracker`` (the route and the part size are read back from it
  and must be ``r2`` and parts), then ``client.assets.download`` of the asset, each in a child process
  that reports its time and its peak RSS growth (VmHWM at the end minus VmRSS before, imports and
  connections warm). The download is whatever ``assets.download`` does for an asset uploaded through
  the r2 route, so this benchmark measures a new download engine without a change.
- **kill -9 at half way**: the uploading child is killed (SIGKILL) once storage has received half the
  file's bytes (``LocalChronicle.storage_bytes_received``), then ``methodic uploads resume --tracker DB``
  runs as a user would type it (the CLI in a fresh process, configured by ``CHRONICLE_SERVER_URL`` and
  ``CHRONICLE_API_KEY`` only): the bytes storage received during the resume against the file's size,
  and the CLI's wall time (interpreter start and imports included) against the full upload's time.
  The resumed asset must be ready with the file's sha256.

Ratios are curl's time / the SDK's time (targets: >= 5x both ways; resume <= 55% of the bytes and
<= 0.65 of a full upload's time; peak RSS < +64 MiB); the SDK sides run ``--rounds`` times (3 in a full
run) and the table gives the median, the notes the range. Targets are judged on the full run's 1 GiB
only (``--quick``: 256 MiB, one round, a smoke run). Files (the source, storage's objects, the
downloads) live in the system temp directory, or in METHODIC_BENCH_DIR; trackers in the system temp
directory, as a trainer's would. The machine's load average is recorded with the results: on 2 cores
shared by client, server and everyone else's work, the SDK's rows are CPU-bound long before the
storage's pace binds them.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks._common import Row, started_run
from methodic import Chronicle, UploadTracker
from methodic_server import LocalChronicle

MiB = 1 << 20
GiB = 1 << 30
#: Per-connection paces of the storage service (issue 25's "Done when").
RATES = (32 * MiB, 64 * MiB)
#: The file's size in a full run and in a quick one (quick is above the 64 MiB max_part_bytes: parts too).
FULL_SIZE, QUICK_SIZE = GiB, 256 * MiB
#: The targets of issue 25.
SPEEDUP, RESENT, RESUME_TIME, RSS = 5.0, 0.55, 0.65, 64 * MiB
#: Seconds to let the VM's background memory work settle after a sync (see bench_transfer.py).
SETTLE = 2.0

CHILD = textwrap.dedent(
    """
    import json, os, sys, time
    from pathlib import Path
    from methodic import Chronicle, UploadTracker

    def rss(field):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1]) * 1024

    url, key, exp, mode, arg, db, settle = sys.argv[1:8]
    with Chronicle(url, key) as c:  # the defaults: a user who never turns a knob
        run = c.run(exp, 0, 0)
        c.me.scopes()  # imports and the API connection warm before the baseline
        base = rss("VmRSS:")
        os.sync()
        time.sleep(float(settle))
        start = time.perf_counter()
        if mode == "upload":
            with UploadTracker(db) as tracker:
                upload = run.register_and_upload_async(local_dir=arg, asset_type="bench", upload_tracker=tracker)
                print(json.dumps({"registered": upload.asset_id}), flush=True)
                asset_id = upload.wait().id
                seconds = time.perf_counter() - start
                recorded = tracker.get_asset(asset_id)
                route = recorded.route if recorded else None
                part_size = recorded.components[0].part_size if recorded else None
        else:
            asset_id, dest = arg.split("|")
            paths = c.assets.download(asset_id, local_dir=dest)
            seconds = time.perf_counter() - start
            route, part_size = None, None
            assert len(paths) == 1
        growth = rss("VmHWM:") - base
        print(json.dumps({"seconds": seconds, "rss_growth": growth, "asset_id": asset_id, "route": route,
                          "part_size": part_size}))
    """
)


@dataclass
class Sdk:
    """One SDK child's report."""

    seconds: float
    rss_growth: int
    asset_id: str
    route: str | None
    part_size: int | None


def _write(path: Path, size: int) -> str:
    """A file of ``size`` random bytes; its sha256."""
    path.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with path.open("wb") as f:
        left = size
        while left:
            block = os.urandom(min(64 * MiB, left))
            f.write(block)
            digest.update(block)
            left -= len(block)
    return digest.hexdigest()


def _settle(seconds: float) -> None:
    os.sync()
    time.sleep(seconds)


def _curl(args: list[str], settle: float) -> float:
    _settle(settle)
    start = time.perf_counter()
    subprocess.run(["curl", "-sS", "--fail", *args], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def _curl_times(
    chronicle: Chronicle, exp_id: str, src: Path, sha256: str, out: Path, settle: float
) -> tuple[float, float]:
    """curl's single PUT and single GET of ``src`` on the server's paced storage (a gcs-route asset)."""
    info = chronicle.assets.create_with_presigned(
        asset_type="bench",
        components=[src.name],
        output_of={"experiment_id": exp_id, "variation": 0, "run": 0},
        upload_targets=["gcs"],
    )
    if info.via != "gcs":
        raise RuntimeError(f"the baseline asset went by {info.via!r}, not one presigned PUT")
    up = _curl(["-T", str(src), info.upload_urls[src.name]], settle)
    chronicle.assets.finalize(info.asset_id, {src.name: sha256})
    url = chronicle.assets.get(info.asset_id, include_presigned=True).download_urls[src.name]
    out.mkdir(parents=True, exist_ok=True)
    down = _curl(["-o", str(out / src.name), url], settle)
    if (out / src.name).stat().st_size != src.stat().st_size:
        raise RuntimeError("curl downloaded a file of the wrong size")
    chronicle.assets.delete(info.asset_id)
    shutil.rmtree(out)
    return up, down


def _child(server: LocalChronicle, exp_id: str, mode: str, arg: str, db: Path, settle: float) -> list[str]:
    return [sys.executable, "-c", CHILD, server.url, server.api_key, exp_id, mode, arg, str(db), str(settle)]


def _sdk(server: LocalChronicle, exp_id: str, mode: str, arg: str, db: Path, settle: float) -> Sdk:
    result = subprocess.run(_child(server, exp_id, mode, arg, db, settle), capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(f"the SDK's {mode} failed:\n{result.stderr[-4000:]}")
    report = json.loads(result.stdout.strip().splitlines()[-1])
    return Sdk(
        float(report["seconds"]),
        int(report["rss_growth"]),
        str(report["asset_id"]),
        report["route"],
        report["part_size"],
    )


def _check_ready(chronicle: Chronicle, asset_id: str, sha256: str) -> None:
    asset = chronicle.assets.get(asset_id)
    (component,) = asset.components
    if asset.state != "ready" or component.get("sha256") != sha256:
        raise RuntimeError(f"asset {asset_id} is {asset.state} with sha256 {component.get('sha256')}, not {sha256}")


def _cli_env(server: LocalChronicle, home: Path) -> dict[str, str]:
    """The environment of a user's shell: the server and key, nothing else of ours (no knob, no config file)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CHRONICLE_", "METHODIC_"))}
    env.update(CHRONICLE_SERVER_URL=server.url, CHRONICLE_API_KEY=server.api_key, HOME=str(home))
    return env


def _timed_cli(
    args: list[str], env: dict[str, str], server: LocalChronicle | None = None
) -> tuple[float, float, str, float | None]:
    """Run ``python -m methodic ARGS``; (wall seconds, peak RSS in MiB, output, first byte at).

    The peak is the child's own VmHWM, read from /proc while it runs (the last reading is within 10 ms of
    its exit); ``ru_maxrss`` would not do: a forked child counts its parent's pages until it execs. With a
    ``server``, "first byte at" is when its storage service first received a byte of the child's (within 10
    ms): what the CLI spent before a missing part moved (start, listing, the first reads).
    """
    with tempfile.TemporaryFile() as out:
        received = server.storage_bytes_received if server is not None else 0
        first: float | None = None
        start = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-m", "methodic", *args], env=env, stdout=out, stderr=out)
        peak = 0
        while child.poll() is None:
            peak = max(peak, _hwm(child.pid))
            if first is None and server is not None and server.storage_bytes_received > received:
                first = time.perf_counter() - start
            time.sleep(0.01)
        seconds = time.perf_counter() - start
        out.seek(0)
        output = out.read().decode(errors="replace")
    if child.returncode:
        raise RuntimeError(f"methodic {' '.join(args)} exited {child.returncode}:\n{output[-4000:]}")
    return seconds, peak / MiB, output, first


def _hwm(pid: int) -> int:
    """A live process's peak RSS so far (VmHWM, bytes); 0 once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


@dataclass
class Resume:
    """One kill -9 and ``methodic uploads resume``."""

    killed_at: int
    recorded_parts: int
    resent: int
    seconds: float
    startup: float
    peak_rss: float
    first_byte: float | None


def _resume_case(
    server: LocalChronicle,
    chronicle: Chronicle,
    exp_id: str,
    src: Path,
    sha256: str,
    db: Path,
    home: Path,
    settle: float,
) -> Resume:
    size = src.stat().st_size
    before = server.storage_bytes_received
    child = subprocess.Popen(
        _child(server, exp_id, "upload", str(src.parent), db, 0), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        while server.storage_bytes_received - before < size // 2:
            if child.poll() is not None:
                raise RuntimeError("the upload ended before it could be killed")
            time.sleep(0.005)
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.wait()
    killed_at = server.storage_bytes_received - before
    with UploadTracker(db) as tracker:
        (pending,) = tracker.get_pending_uploads()
        component = pending.components[0]
        recorded = len(tracker.get_parts(pending.asset_id, component.name, component.upload_id or ""))
    env = _cli_env(server, home)
    _settle(settle)
    before_resume = server.storage_bytes_received
    seconds, peak_rss, output, first_byte = _timed_cli(["uploads", "resume", "--tracker", str(db)], env, server)
    resent = server.storage_bytes_received - before_resume
    if "finalized" not in output:
        raise RuntimeError(f"the resume did not finalize:\n{output}")
    _check_ready(chronicle, pending.asset_id, sha256)
    # What the CLI costs before it moves a byte (interpreter, imports, the tracker, the client): a status.
    startup, _, _, _ = _timed_cli(["uploads", "status", "--tracker", str(db)], env)
    chronicle.assets.delete(pending.asset_id)
    db.unlink(missing_ok=True)
    return Resume(killed_at, recorded, resent, seconds, startup, peak_rss, first_byte)


def _spread(values: list[float], unit: str = "s") -> str:
    return f"{min(values):.2f}-{max(values):.2f} {unit}" if len(values) > 1 else f"{values[0]:.2f} {unit}"


def measure(
    size: int, rates: tuple[int, ...] = RATES, rounds: int = 1, *, judge: bool = False, settle: float = SETTLE
) -> list[Row]:
    """Every row for a file of ``size`` bytes at each of ``rates``; targets judged only when ``judge``.

    ``settle``: seconds of quiet after a sync before each timed transfer (0 in the smoke test).
    """
    if shutil.which("curl") is None:
        return [Row("r2 route", "—", "—", None, "≥ 5×", None, "curl is not installed; skipped")]
    rows: list[Row] = []
    load_before = os.getloadavg()
    where = os.environ.get("METHODIC_BENCH_DIR") or tempfile.gettempdir()
    with (
        tempfile.TemporaryDirectory(prefix="methodic-bench-r2-", dir=os.environ.get("METHODIC_BENCH_DIR")) as tmp,
        tempfile.TemporaryDirectory(prefix="methodic-bench-r2-tracker-") as trackers,
    ):
        work, home = Path(tmp), Path(trackers) / "home"
        home.mkdir()
        src = work / "src" / "weights.bin"
        sha256 = _write(src, size)
        label = f"{size / GiB:g} GiB" if size >= GiB else f"{size // MiB} MiB"
        for rate in rates:
            pace = f"{rate // MiB} MiB/s per connection"
            with (
                LocalChronicle(data_dir=work / f"srv-{rate}", per_connection_bytes_per_second=rate) as server,
                Chronicle(server.url, server.api_key) as chronicle,
            ):
                exp_id = started_run(chronicle).experiment_id
                curl_up, curl_down = _curl_times(chronicle, exp_id, src, sha256, work / "curl-out", settle)
                ups: list[Sdk] = []
                downs: list[Sdk] = []
                resumes: list[Resume] = []
                for _ in range(rounds):
                    db = Path(trackers) / "upload.sqlite"
                    up = _sdk(server, exp_id, "upload", str(src.parent), db, settle)
                    db.unlink(missing_ok=True)
                    if up.route != "r2" or not up.part_size:
                        raise RuntimeError(f"the SDK's upload went by {up.route!r} in parts of {up.part_size}")
                    _check_ready(chronicle, up.asset_id, sha256)
                    out = work / "sdk-out"
                    down = _sdk(server, exp_id, "download", f"{up.asset_id}|{out}", db, settle)
                    if (out / src.name).stat().st_size != size:
                        raise RuntimeError("the SDK downloaded a file of the wrong size")
                    shutil.rmtree(out)
                    chronicle.assets.delete(up.asset_id)
                    ups.append(up)
                    downs.append(down)
                    resume_db = Path(trackers) / "resume.sqlite"
                    resumes.append(_resume_case(server, chronicle, exp_id, src, sha256, resume_db, home, settle))
            up_times = [u.seconds for u in ups]
            down_times = [d.seconds for d in downs]
            up_s, down_s = statistics.median(up_times), statistics.median(down_times)
            for direction, sdk_s, times, curl_s, tool in (
                ("upload", up_s, up_times, curl_up, "curl -T"),
                ("download", down_s, down_times, curl_down, "curl -o"),
            ):
                ratio = curl_s / sdk_s
                rows.append(
                    Row(
                        f"{direction} {label}, {pace}",
                        f"{size / MiB / sdk_s:,.0f} MiB/s (defaults)",
                        f"{size / MiB / curl_s:,.0f} MiB/s ({tool})",
                        ratio,
                        f"≥ {SPEEDUP:g}×",
                        ratio >= SPEEDUP if judge else None,
                        f"SDK {_spread(times)} over {len(times)} round(s) (median {sdk_s:.2f} s) vs curl {curl_s:.2f} s"
                        + (
                            f"; {ups[0].part_size // MiB} MiB parts"
                            if direction == "upload" and ups[0].part_size
                            else ""
                        ),
                    )
                )
            growth = max(max(u.rss_growth for u in ups), max(d.rss_growth for d in downs))
            rows.append(
                Row(
                    f"peak RSS growth, {label} up and down, {pace}",
                    f"{growth / MiB:.1f} MiB",
                    "—",
                    None,
                    f"< {RSS // MiB} MiB",
                    growth < RSS if judge else None,
                    f"upload {_spread([u.rss_growth / MiB for u in ups], 'MiB')}, "
                    f"download {_spread([d.rss_growth / MiB for d in downs], 'MiB')} (max over rounds)",
                )
            )
            shares = [r.resent / size for r in resumes]
            share = statistics.median(shares)
            rows.append(
                Row(
                    f"kill -9 at ~50% of {label}, `methodic uploads resume`: bytes resent, {pace}",
                    f"{statistics.median([r.resent for r in resumes]) / MiB:,.0f} MiB ({share:.1%})",
                    f"{size / MiB:,.0f} MiB file",
                    share,
                    f"≤ {RESENT:.0%} of the bytes",
                    share <= RESENT if judge else None,
                    "; ".join(
                        f"killed at {r.killed_at / MiB:,.0f} MiB received, {r.recorded_parts} parts recorded,"
                        f" resent {r.resent / size:.1%}"
                        for r in resumes
                    )
                    + " (bytes counted by the storage service)",
                )
            )
            times = [r.seconds for r in resumes]
            resume_s = statistics.median(times)
            fraction = resume_s / up_s
            startup = statistics.median([r.startup for r in resumes])
            firsts = [r.first_byte for r in resumes if r.first_byte is not None]
            first_note = f"; its first resent byte reached storage at {_spread(firsts)}" if firsts else ""
            rows.append(
                Row(
                    f"kill -9 at ~50% of {label}, `methodic uploads resume`: time, {pace}",
                    f"{resume_s:.2f} s (CLI wall time)",
                    f"{up_s:.2f} s (full upload)",
                    fraction,
                    f"≤ {RESUME_TIME:g}× of a full upload",
                    fraction <= RESUME_TIME if judge else None,
                    f"resume {_spread(times)}; of which the CLI's start (a `methodic uploads status`) "
                    f"{startup:.2f} s{first_note}; the resume's peak RSS {max(r.peak_rss for r in resumes):.0f} MiB (the CLI process's"
                    " whole VmHWM, interpreter and imports included)",
                )
            )
    load_after = os.getloadavg()
    rows.append(
        Row(
            f"machine load during the r2 benchmark (files in {where})",
            f"1-min load {load_before[0]:.2f} before, {load_after[0]:.2f} after",
            f"{os.cpu_count()} cores",
            None,
            "informational",
            None,
            f"5-min load {load_before[1]:.2f} before, {load_after[1]:.2f} after; "
            f"the bench's own children used {_children_cpu():.0f} CPU-s",
        )
    )
    return rows


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(quick: bool = False) -> list[Row]:
    """The benchmark as ``run_all`` runs it: 1 GiB and 3 rounds, or 256 MiB and one round (``quick``)."""
    if quick:
        return measure(QUICK_SIZE, rounds=1, judge=False)
    return measure(FULL_SIZE, rounds=3, judge=True)


def wait_for_quiet(limit: float, timeout: float) -> float:
    """Wait (up to ``timeout`` s) until the 1-minute load average is at most ``limit``; the load then."""
    deadline = time.monotonic() + timeout
    while os.getloadavg()[0] > limit and time.monotonic() < deadline:
        time.sleep(15)
    return os.getloadavg()[0]


def main() -> int:
    """Run this benchmark alone; print the table and append it to benchmarks/RESULTS-r2.md (full runs)."""
    import argparse
    import platform

    from benchmarks._common import render

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="256 MiB, one round, targets not judged (a smoke run)")
    parser.add_argument("--rounds", type=int, default=None, help="SDK rounds per rate (default 3; quick 1)")
    parser.add_argument(
        "--wait-for-load",
        type=float,
        default=None,
        metavar="LOAD",
        help="first wait (up to 30 min) until the 1-minute load average is at most LOAD",
    )
    parser.add_argument("--note", default="", help="a line to add under the table in RESULTS-r2.md")
    args = parser.parse_args()
    if args.wait_for_load is not None:
        print(f"load {wait_for_quiet(args.wait_for_load, 1800):.2f}; starting", file=sys.stderr, flush=True)
    size = QUICK_SIZE if args.quick else FULL_SIZE
    rounds = args.rounds or (1 if args.quick else 3)
    rows = measure(size, rounds=rounds, judge=not args.quick)
    machine = f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}"
    title = f"methodic r2-route benchmark ({'quick' if args.quick else 'full'}; {machine}; {time.strftime('%Y-%m-%d %H:%M')})"
    print(f"\n{title}\n\n{render(rows, markdown=False)}")
    if not args.quick:
        results = Path(__file__).with_name("RESULTS-r2.md")
        previous = results.read_text() if results.exists() else ""
        note = f"\n{args.note}\n" if args.note else ""
        results.write_text(f"{previous}# {title}\n\n{render(rows, markdown=True)}\n{note}\n")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    raise SystemExit(main())
