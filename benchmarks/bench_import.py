"""`import methodic` vs `import httpx`, each cold in a fresh interpreter (median of several).

Samples alternate between the two so that a burst of background load on the machine hits both
sides alike. A second, informational row shows the cost a script pays before its first API call:
import plus a client with every namespace (and the generated endpoints and models behind them)
loaded, since those load on first use rather than at import.
"""

from __future__ import annotations

import subprocess
import sys
import time

from benchmarks._common import Row, median

_READY = (
    "import methodic\n"
    "c = methodic.Chronicle('http://127.0.0.1:9', 'sk_bench')\n"
    "[c.experiments, c.variations, c.runs, c.assets, c.search, c.me]\n"
)


def _once(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - start


def _interleaved(codes: list[str], repeat: int) -> list[float]:
    """Median wall time in ms of each snippet, sampled round-robin."""
    samples: list[list[float]] = [[] for _ in codes]
    for _ in range(repeat):
        for i, code in enumerate(codes):
            samples[i].append(_once(code))
    return [median(s) * 1000 for s in samples]


def run(quick: bool = False) -> list[Row]:
    repeat = 7 if quick else 21
    for code in ("import methodic", "import httpx", _READY):  # warm the page cache and bytecode
        _once(code)
    methodic, httpx, ready = _interleaved(["import methodic", "import httpx", _READY], repeat)
    extra = methodic - httpx
    return [
        Row(
            "import time (cold process)",
            f"{methodic:.0f} ms",
            f"{httpx:.0f} ms (import httpx)",
            methodic / httpx,
            "≤ +150 ms",
            extra <= 150,
            f"methodic adds {extra:.0f} ms (median of {repeat}, interleaved)",
        ),
        Row(
            "import + client with all namespaces",
            f"{ready:.0f} ms",
            f"{httpx:.0f} ms (import httpx)",
            ready / httpx,
            "—",
            None,
            f"adds {ready - httpx:.0f} ms: namespaces, endpoints and models load on first use",
        ),
    ]
