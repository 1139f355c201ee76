"""methodic.environment.capture() without torch installed."""

from __future__ import annotations

import json
import platform
import subprocess
import sys
from pathlib import Path

from methodic.environment import capture


def test_capture_has_the_standard_fields_and_is_json(tmp_path: Path) -> None:
    snap = capture(cwd=tmp_path, trainer={"framework": "x"}, seed=3)
    assert snap["python"] == platform.python_version()
    assert snap["platform"]
    assert any(p.lower().startswith("httpx==") for p in snap["packages"])
    assert snap["git_sha"] is None  # tmp_path is not a repository
    assert snap["trainer"] == {"framework": "x"} and snap["seed"] == 3
    json.dumps(snap)


def test_capture_reads_the_git_sha(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "f").write_text("x")
    git = ["git", "-C", str(tmp_path), "-c", "user.email=a@b", "-c", "user.name=a"]
    subprocess.run([*git, "add", "f"], check=True)
    subprocess.run([*git, "commit", "-qm", "m"], check=True)
    sha = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    assert capture(cwd=tmp_path, include_packages=False)["git_sha"] == sha


def test_capture_without_torch_has_no_torch_keys() -> None:
    code = (
        "import sys, json; sys.modules['torch'] = None\n"
        "from methodic.environment import capture\n"
        "print(json.dumps(sorted(capture(include_packages=False))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    keys = json.loads(out)
    assert "torch" not in keys and "gpus" not in keys
    assert "python" in keys
