"""Runs ``_ops.OPS`` with the PUBLISHED client against a recording proxy (run in the client's own venv).

Usage: ``python -I _hosted_ops.py CONTEXT_JSON WORKDIR`` with CHRONICLE_SERVER_URL (the proxy) and
CHRONICLE_API_KEY set. Prints one JSON line per operation: ``{"name", "error"}``.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _ops import OPS


def main() -> int:
    ctx = json.loads(Path(sys.argv[1]).read_text())
    work = Path(sys.argv[2])
    from methodic import Chronicle

    proxy = os.environ["CHRONICLE_SERVER_URL"]
    with Chronicle.from_env() as chronicle:
        for op in OPS:
            urllib.request.urlopen(f"{proxy}/__mark__/{urllib.request.quote(op.name)}").close()
            error = None
            try:
                op.call(chronicle, ctx, work)
            except BaseException as exc:
                error = f"{type(exc).__name__}: {exc}"[:300]
            urllib.request.urlopen(f"{proxy}/__mark__/-").close()
            print(json.dumps({"name": op.name, "error": error}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
