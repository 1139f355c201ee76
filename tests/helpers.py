"""Constants and small helpers shared by tests: the one place for what more than one test folder needs.

Fixtures live in ``tests/conftest.py`` (or a folder's ``conftest.py`` when only that folder uses them); plain
functions and constants live here, so that no test module imports another test module or a ``conftest``.
"""

from __future__ import annotations

import glob
import hashlib
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from methodic import Chronicle
    from methodic_server import LocalChronicle

CONFIG = "lr: 0.01\nsteps: 20\nmodel:\n  hidden: 8\n"
#: The repository's root, and its ``examples/`` folder (the runners the trainer tests import).
ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"

MiB = 1 << 20


def chronicle_env(server: LocalChronicle, run: tuple[str, int, int] | None = None, **extra: str) -> dict[str, str]:
    """The environment of a child process that reaches ``server`` (and binds to ``run``, as runners do)."""
    env = dict(os.environ, CHRONICLE_SERVER_URL=server.url, CHRONICLE_API_KEY=server.api_key, **extra)
    if run is not None:
        exp_id, v, r = run
        env.update(CHRONICLE_EXPERIMENT_ID=exp_id, CHRONICLE_VARIATION=str(v), CHRONICLE_RUN=str(r))
    return env


@contextmanager
def contract_checked(**options: Any) -> Iterator[LocalChronicle]:
    """A LocalChronicle with contract validation on; any request or response off the contract fails at exit.

    ``options`` go to ``LocalChronicle`` (``max_part_bytes``, ``upload_route``, ...), so a test asks for the
    server it needs and still gets the same check as the shared ``server`` fixture.
    """
    from methodic_server import LocalChronicle

    with LocalChronicle(validate_contract=True, **options) as srv:
        yield srv
        assert srv.contract_violations == [], srv.contract_violations


def module_server(**options: Any) -> Any:
    """A module-scoped ``server`` fixture (contract-checked, as :func:`contract_checked`): ``server = module_server()``.

    For a test module whose tests share one server of their own (the wire tests of one area), instead of the
    suite-wide ``server`` fixture; written once here rather than in every such module.
    """
    import pytest

    @pytest.fixture(scope="module", name="server")
    def server() -> Iterator[Any]:
        with contract_checked(**options) as running:
            yield running

    return server


def staged_leftovers(folder: Path) -> list[Path]:
    """The staging folders still holding links of ``folder``'s registrations, where staging puts them now."""
    from methodic.transfer.staging_roots import staging_root

    root = staging_root(folder)
    return sorted(root.glob(f"{glob.escape(folder.name)}-*")) if root.is_dir() else []


def sha256_file(path: Path) -> str:
    """The hex sha256 of a file, read in 1 MiB blocks (the huge-file tests hash GiBs with it)."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(MiB), b""):
            h.update(block)
    return h.hexdigest()


def write_random(path: Path, size: int, seed: int = 0) -> Path:
    """Deterministic bytes of ``size`` at ``path``, every MiB different (misplaced parts show), different per seed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    block = hashlib.sha256(str(seed).encode()).digest() * 32768  # 1 MiB that differs per seed
    with path.open("wb") as f:
        written = 0
        while written < size:
            chunk = block[: size - written]
            f.write(hashlib.sha256(written.to_bytes(8, "big")).digest() + chunk[32:])  # every MiB different
            written += len(chunk)
    return path


def write_checkpoint(folder: Path, files: dict[str, int]) -> dict[str, str]:
    """Write random files (name -> size) into ``folder``; return name -> sha256."""
    folder.mkdir(parents=True, exist_ok=True)
    hashes = {}
    for name, size in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        data = os.urandom(size)
        path.write_bytes(data)
        hashes[name] = hashlib.sha256(data).hexdigest()
    return hashes


def downloaded_hashes(chronicle: Chronicle, asset_id: str, dest: Path) -> dict[str, str]:
    """Download a ready asset and hash every file it holds (relative name -> sha256)."""
    chronicle.assets.download(asset_id, dest, progress=False)
    return {p.relative_to(dest).as_posix(): sha256_file(p) for p in dest.rglob("*") if p.is_file()}


def wait_until(predicate: Callable[[], bool], timeout: float = 10.0, interval: float = 0.05) -> None:
    """Poll ``predicate`` until it holds; fail the test (AssertionError) after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out after {timeout}s"
        time.sleep(interval)


def checkpoints_by_step(chronicle: Chronicle, exp_id: str, v: int) -> dict[int, Any]:
    """A variation's checkpoint outputs by the training step in their ``asset_config``."""
    return {
        a.asset_config["step"]: a for a in chronicle.variation(exp_id, v).list_outputs() if a.asset_type == "checkpoint"
    }
