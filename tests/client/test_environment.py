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


def _installed(site: Path, folder: str, metadata: str) -> None:
    info = site / folder
    info.mkdir(parents=True)
    (info / "METADATA").write_text(metadata, encoding="utf-8")


def test_packages_read_from_the_head_of_each_metadata_file_match_the_full_parser(tmp_path: Path) -> None:
    """Name and Version are read from the file's first bytes; what the head does not hold goes to the full parser."""
    import importlib.metadata

    from methodic.environment import _packages

    site = tmp_path / "site"
    long_description = "x" * 100_000
    _installed(site, "plain-1.0.dist-info", f"Metadata-Version: 2.1\nName: plain\nVersion: 1.0\n\n{long_description}\n")
    # Name and Version after the first 2 KiB of headers: the head holds neither, the full parser finds both.
    filler = "".join(f"Classifier: Topic :: {i:04d} {'y' * 40}\n" for i in range(80))
    _installed(site, "late-2.0.dist-info", f"Metadata-Version: 2.1\n{filler}Name: late\nVersion: 2.0\n\n")
    # A multi-byte character cut by the head's byte limit must not break the decoding.
    _installed(site, "wide-3.0.dist-info", f"Metadata-Version: 2.1\nName: wide\nVersion: 3.0\nSummary: {'é' * 3000}\n")
    code = (
        "import sys, json; sys.path.insert(0, sys.argv[1])\n"
        "import importlib.metadata as md\n"
        "from methodic.environment import _packages\n"
        "mine = [p for p in _packages() if p.split('==')[0] in ('plain', 'late', 'wide')]\n"
        "full = sorted(f\"{d.metadata['Name']}=={d.version}\" for d in md.distributions(path=[sys.argv[1]]))\n"
        "print(json.dumps([mine, full]))"
    )
    out = subprocess.run([sys.executable, "-c", code, str(site)], capture_output=True, text=True, check=True).stdout
    mine, full = json.loads(out)
    assert mine == full == ["late==2.0", "plain==1.0", "wide==3.0"]
    # and in this environment: every installed distribution, as importlib.metadata names it
    names = {f"{d.metadata['Name']}".lower() for d in importlib.metadata.distributions()}
    assert {p.split("==")[0].lower() for p in _packages()} == names
