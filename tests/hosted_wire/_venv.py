"""The published hosted client (``methodic-research==0.55.0``) in a venv of its own, outside the checkout.

It imports as ``methodic`` too, so it never goes into our venv: the tests drive it as a subprocess.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: This directory: the driver scripts the published client runs live here.
HERE = Path(__file__).resolve().parent
HOSTED_PACKAGE = "methodic-research"
HOSTED_VERSION = "0.55.0"
VENV_ENV_VAR = "METHODIC_HOSTED_VENV"

# pip's words for "could not reach the package index" (urllib3/requests errors it logs while retrying).
_UNREACHABLE_MARKERS = (
    "NewConnectionError",
    "ConnectTimeoutError",
    "ReadTimeoutError",
    "Max retries exceeded",
    "Temporary failure in name resolution",
    "Name or service not known",
    "nodename nor servname",
    "Network is unreachable",
    "Connection refused",
    "ProxyError",
    "No route to host",
)


class IndexUnreachable(Exception):
    """The package index could not be reached: the only reason the hosted-wire tests may skip."""


def default_venv_path() -> Path:
    override = os.environ.get(VENV_ENV_VAR)
    if override:
        return Path(override).expanduser()
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "methodic-tests" / f"hosted-{HOSTED_VERSION}"


def clean_env(**extra: str) -> dict[str, str]:
    """The environment for a hosted-venv process: nothing of our checkout or venv leaks in."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env.update(extra)
    return env


def venv_python(venv: Path) -> Path:
    return venv / "bin" / "python"


def _installed_version(venv: Path) -> str | None:
    python = venv_python(venv)
    if not python.exists():
        return None
    probe = (
        f"import importlib.metadata as m, methodic, requests; print(m.version({HOSTED_PACKAGE!r}), methodic.__file__)"
    )
    done = subprocess.run([str(python), "-I", "-c", probe], capture_output=True, text=True, env=clean_env(), timeout=60)
    if done.returncode != 0:
        return None
    version, _, location = done.stdout.strip().partition(" ")
    # It must import from the venv itself, never from a checkout on the path.
    return version if location.startswith(str(venv)) else None


def _base_interpreter() -> list[str]:
    """A Python >= 3.11 (the published client needs it)."""
    if sys.version_info >= (3, 11):
        return [sys.executable]
    for name in ("python3.13", "python3.12", "python3.11"):
        found = shutil.which(name)
        if found:
            check = subprocess.run(
                [found, "-c", "import sys; print(sys.version_info >= (3, 11))"], capture_output=True, text=True
            )
            if check.stdout.strip() == "True":
                return [found]
    if shutil.which("pyenv"):
        return ["env", "PYENV_VERSION=3.11.7", "python"]
    raise RuntimeError("the hosted client needs Python >= 3.11 and none was found (python3.11, pyenv 3.11.7)")


def _run_checked(cmd: list[str], what: str, log: Path | None = None) -> None:
    """Run ``cmd``; a failure is IndexUnreachable only when pip's own log shows connection errors."""
    done = subprocess.run(cmd, capture_output=True, text=True, env=clean_env(), timeout=900)
    if done.returncode == 0:
        return
    output = done.stdout + done.stderr
    # pip --log keeps the debug lines (-q hides them): "Could not fetch URL ...: connection error: ...".
    pip_log = log.read_text(errors="replace") if log is not None and log.exists() else ""
    if log is not None and any(marker in output + pip_log for marker in _UNREACHABLE_MARKERS):
        raise IndexUnreachable(f"{what}: the package index is unreachable:\n{output[-2000:]}")
    raise RuntimeError(f"{what} failed (exit {done.returncode}):\n{output[-4000:]}")


def ensure_hosted_venv(venv: Path | None = None) -> Path:
    """The venv's python, creating the venv and installing the pinned client on first use.

    A file lock next to the venv keeps parallel test processes from building it twice at once; a
    venv that already imports the right version is reused.
    """
    venv = venv or default_venv_path()
    venv.parent.mkdir(parents=True, exist_ok=True)
    lock_path = venv.parent / f".{venv.name}.lock"
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _installed_version(venv) == HOSTED_VERSION:
            return venv_python(venv)
        if venv.exists():
            shutil.rmtree(venv)
        _run_checked([*_base_interpreter(), "-m", "venv", str(venv)], f"creating the venv {venv}")
        pip_log = venv / "pip-install.log"
        _run_checked(
            [
                str(venv_python(venv)),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--log",
                str(pip_log),
                f"{HOSTED_PACKAGE}=={HOSTED_VERSION}",
            ],
            f"pip install {HOSTED_PACKAGE}=={HOSTED_VERSION} into {venv}",
            log=pip_log,
        )
        installed = _installed_version(venv)
        if installed != HOSTED_VERSION:
            raise RuntimeError(f"{venv} has {HOSTED_PACKAGE} {installed!r} after installing {HOSTED_VERSION}")
        return venv_python(venv)


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
