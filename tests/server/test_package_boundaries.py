"""The client runs without the local server: its CLI loads none of the server's code or dependencies.

Static imports in either direction are checked by import-linter (``make lint``); this checks what
actually loads.
"""

from __future__ import annotations

import json
import subprocess
import sys


def test_the_client_and_its_cli_load_without_the_server() -> None:
    code = "import methodic, methodic.cli, sys, json; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    loaded = set(json.loads(out.splitlines()[-1]))
    assert not {m for m in loaded if m.split(".")[0] == "methodic_server"}
    assert not {"starlette", "uvicorn", "openapi_core"} & loaded
