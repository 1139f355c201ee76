"""Helpers for the "checkpoints are never lost" tests: checkpoints with known bytes, and their verification."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from methodic import Chronicle


def write_checkpoint(folder: Path, files: dict[str, int]) -> dict[str, str]:
    """Write random files into ``folder``; return name → sha256."""
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
    """Download a ready asset and hash every file it holds."""
    chronicle.assets.download(asset_id, dest, progress=False)
    return {
        p.relative_to(dest).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in dest.rglob("*")
        if p.is_file()
    }
