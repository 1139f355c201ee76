"""The README's install line installs this SDK, and a mixed install with the hosted client is reported.

The line is run as written except for one substitution: the distribution name becomes the path of a
wheel built from this checkout. The name itself would install whatever the package index holds under it
(nothing, before the first release; the last release, after), not the code under test; everything else
on the line, extras included, is run as is, and its dependencies come from the index as for a user.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from methodic._distribution import DISTRIBUTION, HOSTED_DISTRIBUTION, hosted_client_beside, mixed_install_message
from tests.hosted_wire._venv import HOSTED_VERSION, clean_env

ROOT = Path(__file__).resolve().parents[2]

# Checks, run inside the fresh venv from a folder outside the checkout, that `methodic` is this SDK.
PROBE = """
import importlib.metadata as m, json, sys, warnings
warnings.simplefilter("always")
with warnings.catch_warnings(record=True) as caught:
    import methodic
from methodic._distribution import other_distributions, version_report
print(json.dumps({
    "file": methodic.__file__,
    "distribution": methodic.__distribution__,
    "version": methodic.__version__,
    "dist_version": m.version("methodic-sdk"),
    "providers": m.packages_distributions().get("methodic", []),
    "others": other_distributions(),
    "warnings": [str(w.message) for w in caught],
    "has_chronicle": hasattr(methodic, "Chronicle"),
    "report": version_report(),
}))
"""


def readme_install_line() -> str:
    """The first `pip install` line in the README's Install section."""
    text = (ROOT / "README.md").read_text()
    section = text.split("\n## Install", 1)[1].split("\n## ", 1)[0]
    lines = [ln.split("#", 1)[0].strip() for ln in section.splitlines() if ln.strip().startswith("pip install")]
    assert lines, "the README's Install section has no `pip install` line"
    return lines[0]


def test_readme_installs_the_name_in_pyproject() -> None:
    name = re.search(r'^name = "([^"]+)"$', (ROOT / "pyproject.toml").read_text(), re.MULTILINE)
    assert name is not None
    assert name.group(1) == DISTRIBUTION == "methodic-sdk"
    line = readme_install_line()
    assert shlex.split(line) == ["pip", "install", DISTRIBUTION], line
    assert HOSTED_DISTRIBUTION not in line


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(out), str(ROOT)],
        check=True,
        timeout=300,
        env=clean_env(),
    )
    (built,) = out.glob("methodic_sdk-*.whl")
    return built


def fresh_venv(path: Path) -> Path:
    subprocess.run([sys.executable, "-m", "venv", str(path)], check=True, timeout=120)
    return path / "bin"


def run_in(bin_dir: Path, line: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run a shell line the way a user in an activated venv would (its bin first on PATH)."""
    env = clean_env(PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}", VIRTUAL_ENV=str(bin_dir.parent))
    return subprocess.run(
        ["bash", "-c", line], cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
    )


def probe(bin_dir: Path, cwd: Path) -> dict[str, object]:
    import json

    done = run_in(bin_dir, f"python -c {shlex.quote(PROBE)}", cwd)
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout)
    return result


def test_readme_install_line_installs_this_sdk(wheel: Path, tmp_path: Path) -> None:
    bin_dir = fresh_venv(tmp_path / "venv")
    line = re.sub(rf"\b{re.escape(DISTRIBUTION)}\b", shlex.quote(str(wheel)), readme_install_line())
    done = run_in(bin_dir, f"{line} --quiet", tmp_path)
    assert done.returncode == 0, done.stderr

    from methodic import __version__

    found = probe(bin_dir, tmp_path)
    assert str(found["file"]).startswith(str(tmp_path / "venv")), found  # the venv's copy, not the checkout
    assert found["distribution"] == DISTRIBUTION
    assert found["version"] == found["dist_version"] == __version__
    assert found["providers"] == [DISTRIBUTION]  # nothing else installed a `methodic` package
    assert found["others"] == []
    assert found["warnings"] == []
    assert found["has_chronicle"] is True
    assert found["report"] == f"methodic {__version__} ({DISTRIBUTION}) from {Path(str(found['file'])).parent}"


def test_hosted_client_installed_first_is_reported(wheel: Path, tmp_path: Path) -> None:
    """Both in one venv (the hosted client first, so ours is what imports): the import says so."""
    if sys.version_info < (3, 11):
        pytest.skip(f"{HOSTED_DISTRIBUTION} {HOSTED_VERSION} needs Python 3.11+")
    bin_dir = fresh_venv(tmp_path / "venv")
    hosted = run_in(bin_dir, f"pip install --quiet --no-deps {HOSTED_DISTRIBUTION}=={HOSTED_VERSION}", tmp_path)
    if hosted.returncode != 0 and "No matching distribution" in hosted.stderr + hosted.stdout:
        pytest.skip(f"{HOSTED_DISTRIBUTION}=={HOSTED_VERSION} is not on the package index here")
    assert hosted.returncode == 0, hosted.stderr
    ours = run_in(bin_dir, f"pip install --quiet {shlex.quote(str(wheel))}", tmp_path)
    assert ours.returncode == 0, ours.stderr

    found = probe(bin_dir, tmp_path)
    assert found["distribution"] == DISTRIBUTION
    assert found["others"] == [HOSTED_DISTRIBUTION]
    (warning,) = found["warnings"]
    site = Path(str(found["file"])).parent.parent
    assert warning == mixed_install_message(str(site))
    assert f"pip uninstall -y {HOSTED_DISTRIBUTION} {DISTRIBUTION}" in str(warning)
    first, second = str(found["report"]).splitlines()
    assert first.startswith("methodic ") and f"({DISTRIBUTION})" in first
    assert second == f"warning: {warning}"


def test_no_warning_without_the_hosted_client(tmp_path: Path) -> None:
    package = tmp_path / "site" / "methodic"
    package.mkdir(parents=True)
    assert hosted_client_beside(str(package)) is None
    (tmp_path / "site" / "methodic_research-0.55.0.dist-info").mkdir()
    assert hosted_client_beside(str(package)) == str(tmp_path / "site" / "methodic_research-0.55.0.dist-info")
    assert hosted_client_beside(str(tmp_path / "missing" / "methodic")) is None
