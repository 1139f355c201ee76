"""``methodic dev-server`` reaches the server through the ``methodic.commands`` entry point."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys

import pytest

from methodic import cli


def test_help_comes_from_the_server_package() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "methodic", "dev-server", "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: methodic dev-server")
    assert "--data-dir" in result.stdout


@pytest.mark.parametrize(
    "registered",
    [
        [],  # the server is not installed
        [importlib.metadata.EntryPoint("dev-server", "methodic_no_such_module:main", "methodic.commands")],
    ],
)
def test_without_the_server_the_error_says_what_to_install(
    registered: list[importlib.metadata.EntryPoint], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(importlib.metadata, "entry_points", lambda **selection: registered)
    assert cli.main(["dev-server", "--port", "0"]) == 1
    assert "pip install 'methodic-sdk[server]'" in capsys.readouterr().err
