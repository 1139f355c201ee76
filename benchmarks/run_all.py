"""`make bench`: every benchmark, one table, each row against a baseline measured in the same run.

    python benchmarks/run_all.py [--quick] [--only api,concurrency,distributed,download,import,integrations,many_files,r2,staging,tracker,transfer]

Writes the table to stdout and, as Markdown, to benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import (
    bench_api,
    bench_concurrency,
    bench_distributed,
    bench_download,
    bench_import,
    bench_integrations,
    bench_many_files,
    bench_r2,
    bench_staging,
    bench_tracker,
    bench_transfer,
)
from benchmarks._common import Row, render

BENCHMARKS = {
    "api": bench_api.run,
    "concurrency": bench_concurrency.run,
    "distributed": bench_distributed.run,
    "download": bench_download.run,
    "import": bench_import.run,
    "integrations": bench_integrations.run,
    "many_files": bench_many_files.run,
    "r2": bench_r2.run,
    "staging": bench_staging.run,
    "tracker": bench_tracker.run,
    "transfer": bench_transfer.run,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes and short durations (a smoke run)")
    parser.add_argument("--only", default="", help="comma-separated subset of: " + ", ".join(BENCHMARKS))
    args = parser.parse_args()
    chosen = [n.strip() for n in args.only.split(",") if n.strip()] or list(BENCHMARKS)
    rows: list[Row] = []
    for name in chosen:
        started = time.monotonic()
        print(f"running {name} ...", file=sys.stderr, flush=True)
        try:
            rows += BENCHMARKS[name](quick=args.quick)
        except Exception as exc:  # a broken benchmark is a row, not a crash of the whole table
            rows.append(Row(name, "—", "—", None, "—", None, f"failed: {type(exc).__name__}: {exc}"))
        print(f"  {name} took {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
    machine = f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}"
    title = f"methodic benchmarks ({'quick' if args.quick else 'full'}; {machine}; {time.strftime('%Y-%m-%d')})"
    print(f"\n{title}\n")
    print(render(rows, markdown=False))
    results = Path(__file__).with_name("RESULTS.md")
    results.write_text(f"# {title}\n\n{render(rows, markdown=True)}\n")
    print(f"\nwritten to {results}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
