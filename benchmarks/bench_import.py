"""`import methodic` vs `import httpx`, each cold in a fresh interpreter (median of several)."""

from __future__ import annotations

import subprocess
import sys
import time

from benchmarks._common import Row, median


def _time(code: str, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        samples.append(time.perf_counter() - start)
    return median(samples)


def run(quick: bool = False) -> list[Row]:
    repeat = 5 if quick else 11
    _time("import methodic", 2)  # warm the page cache and bytecode
    methodic = _time("import methodic", repeat) * 1000
    httpx = _time("import httpx", repeat) * 1000
    extra = methodic - httpx
    return [
        Row(
            "import time (cold process)",
            f"{methodic:.0f} ms",
            f"{httpx:.0f} ms (import httpx)",
            methodic / httpx,
            "≤ +150 ms",
            extra <= 150,
            f"methodic adds {extra:.0f} ms",
        )
    ]
