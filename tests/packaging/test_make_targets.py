"""What `make demo` and `make test` say before they install, and the floor `make test` states."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MAKEFILE = (ROOT / "Makefile").read_text()


def extra(name: str) -> list[str]:
    """The requirement names of one extra of pyproject.toml (read without tomllib, which 3.10 lacks)."""
    text = (ROOT / "pyproject.toml").read_text()
    body = re.search(rf"^{name} = \[\n(.*?)^\]", text, re.MULTILINE | re.DOTALL)
    assert body is not None, name
    return re.findall(r'^\s*"([A-Za-z0-9_.-]+)', body.group(1), re.MULTILINE)


def test_the_demo_extra_is_the_server_and_numpy_and_make_demo_names_each_package() -> None:
    assert extra("demo") == ["methodic-sdk", "numpy"]  # methodic-sdk[server], numpy
    assert re.search(r'"methodic-sdk\[server\]"', (ROOT / "pyproject.toml").read_text())
    announced = re.search(r"^DEMO_PACKAGES := (.*)$", MAKEFILE, re.MULTILINE)
    assert announced is not None
    for package in [*extra("server"), "numpy"]:
        assert package in announced.group(1), package
    heavy = {"torch", "transformers", "lightning", "accelerate", "mypy", "moto", "ruff"}
    assert not heavy & set(extra("demo") + extra("server"))
    demo_rule = MAKEFILE.split("$(DEMO_STAMP): pyproject.toml", 1)[1].split("\n\n", 1)[0]
    lines = [ln.strip() for ln in demo_rule.strip().splitlines()]
    assert lines[0].startswith("@echo") and "$(DEMO_PACKAGES)" in lines[0]  # said before anything installs
    assert "-e '.[demo]'" in demo_rule


def test_make_test_builds_the_docs_and_ci_runs_make_test() -> None:
    test_rule = re.search(r"^test: (.*)$", MAKEFILE, re.MULTILINE)
    assert test_rule is not None
    assert "docs" in test_rule.group(1).split()
    assert "mkdocs build --strict" in MAKEFILE
    assert re.search(r"^make test$", (ROOT / ".ci" / "run").read_text(), re.MULTILINE)


def test_make_test_states_its_floor_below_it(tmp_path: Path) -> None:
    """Run the install rule with a Python 3.10 and a venv path that does not exist yet: it refuses first."""
    found = sorted(Path.home().glob(".pyenv/versions/3.10.*/bin/python")) + [
        Path(p) for p in [shutil.which("python3.10")] if p and "shims" not in p
    ]
    if not found:
        pytest.skip("no Python 3.10 on this machine")
    venv = tmp_path / "venv"
    done = subprocess.run(
        ["make", "-C", str(ROOT), "install", f"PYTHON={found[0]}", f"VENV={venv}"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode != 0
    assert "make test needs Python 3.11+" in done.stderr
    assert "is Python 3.10." in done.stderr
    assert not venv.exists()  # nothing was created or installed
