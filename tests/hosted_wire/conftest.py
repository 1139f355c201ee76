"""Fixtures for the hosted-wire tests: the published client's venv (built once, cached outside the checkout).

The published client (``methodic-research==0.55.0``) imports as ``methodic``, like ours, so it lives in
a venv of its own and runs only as a subprocess. ``METHODIC_HOSTED_VENV`` overrides where that venv is
cached (default ``~/.cache/methodic-tests/hosted-0.55.0``).
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.hosted_wire._venv import IndexUnreachable, clean_env, ensure_hosted_venv

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark this directory's tests ``hosted_wire`` (deselect with ``-m "not hosted_wire"``)."""
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.hosted_wire)


@dataclass
class HostedClient:
    """Runs this directory's driver scripts with the published client's interpreter."""

    python: Path

    def run(self, script: str, *args: str, env: dict[str, str] | None = None, timeout: float = 120) -> list[Any]:
        """Run ``script`` (isolated: -I, no PYTHONPATH) and return its stdout's JSON lines."""
        done = subprocess.run(
            [str(self.python), "-I", str(HERE / script), *args],
            capture_output=True,
            text=True,
            env=clean_env(**(env or {})),
            timeout=timeout,
            cwd=HERE,
        )
        lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
        if done.returncode != 0:
            raise AssertionError(
                f"{script} {' '.join(args)} exited {done.returncode}: harness error\n"
                f"stderr:\n{done.stderr[-4000:]}\nlast lines: {lines[-3:]}"
            )
        return lines


@pytest.fixture(scope="session")
def hosted() -> HostedClient:
    """The published client, installed by the test setup itself (CI machines start empty)."""
    try:
        python = ensure_hosted_venv()
    except IndexUnreachable as exc:
        pytest.skip(f"cannot install the published hosted client: {exc}")
    return HostedClient(python)
