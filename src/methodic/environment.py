"""The standard environment snapshot of the integrations guide, ready for ``run.upload_environment``."""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import os
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any


def _git_sha(cwd: Path) -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=cwd, capture_output=True, text=True, timeout=5, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    sha = out.stdout.strip()
    return sha if out.returncode == 0 and sha else None


def _packages() -> list[str]:
    """``name==version`` for every installed distribution, like ``pip freeze`` but without a subprocess."""
    seen: dict[str, str] = {}
    for dist in importlib.metadata.distributions():
        name, version = _name_and_version(dist)
        if name and name.lower() not in seen:
            seen[name.lower()] = f"{name}=={version}"
    return sorted(seen.values(), key=str.lower)


def _name_and_version(dist: importlib.metadata.Distribution) -> tuple[str | None, str | None]:
    """A distribution's ``Name`` and ``Version``, read from the head of its metadata file.

    ``dist.metadata`` parses the whole file as an e-mail message, long description included: about
    40 ms for a few hundred packages, paid at the start of every training run. The two headers come
    first, so only the file's first :data:`_HEAD_BYTES` are read where the file can be opened directly
    (an installed distribution's folder): 153 packages took 1.2 ms that way against 5 ms reading every
    file whole. A file where the headers are not found there is left to the full parser.
    """
    head = _metadata_head(dist)
    name = version = None
    for line in head.splitlines():
        if not line:
            break  # the end of the headers
        if name is None and line.startswith("Name:"):
            name = line[5:].strip()
        elif version is None and line.startswith("Version:"):
            version = line[8:].strip()
        if name and version:
            return name, version
    return dist.metadata["Name"], dist.version


#: How much of a metadata file's head is read for its ``Name`` and ``Version`` (they are its first headers).
_HEAD_BYTES = 2048


def _metadata_head(dist: importlib.metadata.Distribution) -> str:
    """The first lines of a distribution's ``METADATA`` (or ``PKG-INFO``); "" when there is none to read."""
    folder = getattr(dist, "_path", None)  # PathDistribution's folder (CPython 3.8+); other finders: read_text
    for filename in ("METADATA", "PKG-INFO"):
        if isinstance(folder, Path):
            try:
                with (folder / filename).open("rb") as f:
                    raw = f.read(_HEAD_BYTES)
            except OSError:
                continue
            # A line cut by the byte limit is dropped, so no header is read half.
            complete = raw if len(raw) < _HEAD_BYTES else raw[: raw.rfind(b"\n") + 1]
            return complete.decode("utf-8", "replace")
        try:
            text = dist.read_text(filename)
        except OSError:
            text = None
        if text:
            return text
    return ""


def _torch_info() -> dict[str, Any]:
    """torch, CUDA and GPU names when torch is importable; nothing otherwise (never imports it needlessly)."""
    try:
        available = sys.modules.get("torch") is not None or importlib.util.find_spec("torch") is not None
    except (ImportError, ValueError):
        available = False
    if not available:
        return {}
    try:
        torch: Any = importlib.import_module("torch")
    except Exception as exc:  # a broken torch install must not break the snapshot
        return {"torch_error": f"{type(exc).__name__}: {exc}"}
    info: dict[str, Any] = {"torch": getattr(torch, "__version__", None), "cuda": getattr(torch.version, "cuda", None)}
    try:
        count = torch.cuda.device_count() if torch.cuda.is_available() else 0
        info["gpus"] = [torch.cuda.get_device_name(i) for i in range(count)]
    except Exception:
        info["gpus"] = []
    return info


def capture(*, cwd: Path | str | None = None, include_packages: bool = True, **extra: Any) -> dict[str, Any]:
    """Snapshot what ran: python, platform, packages, git sha (when in a repo), torch/CUDA/GPUs (when available).

    Keyword arguments are merged in, so trainers can namespace their own keys::

        run.upload_environment(capture(trainer={"framework": "my-trainer"}, seed=1234))
    """
    where = Path(cwd) if cwd is not None else Path.cwd()
    snapshot: dict[str, Any] = {
        "python": platform.python_version(),
        "python_implementation": platform.python_implementation(),
        "executable": sys.executable,
        "platform": platform.platform(),
        "machine": platform.machine(),
        "hostname": platform.node(),
        "cpu_count": os.cpu_count(),
        "git_sha": _git_sha(where),
    }
    if include_packages:
        snapshot["packages"] = _packages()
    snapshot.update(_torch_info())
    snapshot.update(extra)
    return snapshot
