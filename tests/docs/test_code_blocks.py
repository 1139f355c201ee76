"""Every code block of the docs and the README runs, against a local Chronicle server.

One server serves the whole module; each unit (a block and its ``continue`` blocks) runs in a working
folder of its own with ``CHRONICLE_SERVER_URL`` and ``CHRONICLE_API_KEY`` set, as a reader's shell would
have them after ``methodic dev-server``. A block that prints ``export NAME=value`` lines hands them to
the blocks after it, as ``eval`` would. See ``tests/docs/blocks.py`` for the markers.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from methodic_server import LocalChronicle
from tests.docs.blocks import ROOT, SHELL, Block, blocks_of, doc_files, groups
from tests.docs.preludes import PRELUDES

UNITS = groups()
_EXPORT = re.compile(r"^export (\w+)=(\S+)$", re.MULTILINE)


@pytest.fixture(scope="module")
def docs_server() -> Iterator[LocalChronicle]:
    with LocalChronicle() as server:
        yield server


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _run_python(block: Block, namespace: dict[str, object], env: dict[str, str]) -> str:
    out = io.StringIO()
    code = compile(block.code, block.where, "exec")
    with contextlib.redirect_stdout(out):
        exec(code, namespace)  # the block as a reader would paste it into `python`
    return out.getvalue()


def _run_shell(block: Block, env: dict[str, str], cwd: Path) -> str:
    bin_dir = str(Path(sys.executable).parent)
    shell_env = {**env, "PATH": f"{bin_dir}{os.pathsep}{env['PATH']}", "PORT": str(_free_port())}
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", block.code],
        cwd=cwd,
        env=shell_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, f"{block.where} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _run_pytest(block: Block, cwd: Path) -> str:
    """A block that is a test module: written to a file and run by pytest, as its reader would."""
    (cwd / "test_from_docs.py").write_text(block.code)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_from_docs.py"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, f"{block.where}: pytest exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    assert re.search(r"\b[1-9]\d* passed\b", done.stdout), done.stdout
    return done.stdout


@pytest.mark.parametrize("unit", UNITS, ids=[unit[0].where for unit in UNITS])
def test_block_runs(
    unit: list[Block], docs_server: LocalChronicle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = unit[0]
    if "skip" in first.marker:
        reason, equivalent = first.marker.get("reason", ""), first.marker.get("equivalent", "")
        assert reason, f"{first.where}: a skipped block says why (reason: ...)"
        path, _, name = equivalent.partition("::")
        assert path and name, f"{first.where}: a skipped block names its equivalent test (equivalent: path::name)"
        source = (ROOT / path).read_text()
        assert re.search(rf"^\s*(async )?def {re.escape(name)}\(", source, re.MULTILINE), (
            f"{first.where}: {equivalent} does not exist"
        )
        pytest.skip(f"{reason} (equivalent: {equivalent})")
    if first.lang in SHELL:
        assert "bash" in first.marker, f"{first.where}: a shell block runs (bash) or says why not (skip | reason)"

    monkeypatch.chdir(tmp_path)
    for name in ("CHRONICLE_EXPERIMENT_ID", "CHRONICLE_VARIATION", "CHRONICLE_RUN"):
        monkeypatch.setenv(name, "")  # recorded, so the teardown restores it whatever a block or prelude sets
        monkeypatch.delenv(name)
    monkeypatch.setenv("CHRONICLE_SERVER_URL", docs_server.url)
    monkeypatch.setenv("CHRONICLE_API_KEY", docs_server.api_key)
    monkeypatch.setenv("METHODIC_PROGRESS", "0")
    namespace: dict[str, object] = {"__name__": "__main__"}
    prelude = first.marker.get("prelude")
    if prelude:
        exec(compile(PRELUDES[prelude], f"<prelude {prelude}>", "exec"), namespace)
    for block in unit:
        if "pytest" in block.marker:
            output = _run_pytest(block, tmp_path)
        elif block.lang in SHELL:
            output = _run_shell(block, dict(os.environ), tmp_path)
        else:
            output = _run_python(block, namespace, dict(os.environ))
        for name, value in _EXPORT.findall(output):
            monkeypatch.setenv(name, value)
    closer = namespace.get("chronicle")
    if closer is not None and hasattr(closer, "close"):
        closer.close()


def test_every_page_is_scanned() -> None:
    """The block finder sees the README and every docs page, and finds Python in them."""
    files = doc_files()
    assert ROOT / "README.md" in files
    assert len(files) > 10
    assert sum(block.lang == "python" for path in files for block in blocks_of(path)) >= 10
