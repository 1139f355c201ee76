"""Child processes the never-lost tests start and kill: a runner killed with SIGKILL mid-upload."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

from methodic_server import LocalChronicle

#: Registers a multi-component checkpoint and uploads it through a tracker (shared with tests/transfer).
UPLOAD_CHILD = Path(__file__).parents[1] / "transfer" / "upload_child.py"


def register_then_kill(server: LocalChronicle, run: tuple[str, int, int], folder: Path, db: Path) -> str:
    """A runner registers ``folder`` and is killed with SIGKILL while its uploads are still in flight."""
    child = subprocess.Popen(
        [sys.executable, str(UPLOAD_CHILD), server.url, server.api_key, *map(str, run), str(folder), str(db)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    for line in child.stdout:
        if line.startswith("REGISTERED"):
            child.send_signal(signal.SIGKILL)
            child.wait(30)
            return line.split()[1]
    raise AssertionError(f"the runner exited with {child.wait()} before registering")
