"""Constants and small helpers shared by tests."""

from __future__ import annotations

import glob
import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from methodic_server import LocalChronicle

CONFIG = "lr: 0.01\nsteps: 20\nmodel:\n  hidden: 8\n"


def chronicle_env(server: LocalChronicle, run: tuple[str, int, int] | None = None, **extra: str) -> dict[str, str]:
    """The environment of a child process that reaches ``server`` (and binds to ``run``, as runners do)."""
    env = dict(os.environ, CHRONICLE_SERVER_URL=server.url, CHRONICLE_API_KEY=server.api_key, **extra)
    if run is not None:
        exp_id, v, r = run
        env.update(CHRONICLE_EXPERIMENT_ID=exp_id, CHRONICLE_VARIATION=str(v), CHRONICLE_RUN=str(r))
    return env


def staged_leftovers(folder: Path) -> list[Path]:
    """The staging folders still holding links of ``folder``'s registrations, where staging puts them now."""
    from methodic.transfer.staging_roots import staging_root

    root = staging_root(folder)
    return sorted(root.glob(f"{glob.escape(folder.name)}-*")) if root.is_dir() else []
