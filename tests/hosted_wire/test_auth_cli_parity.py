"""``methodic auth login`` / ``auth status``: ours and the PUBLISHED client's, run side by side as real processes.

Given the same arguments against the same LocalChronicle, both exit alike and leave the same
``~/.methodic`` files (credentials 0600, config merge-written); each reads the files the other wrote; neither
prints the key. HOME is a temporary folder for every process.
"""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from methodic_server import LocalChronicle
from tests.hosted_wire._venv import HostedClient, clean_env


def _cli(hosted: HostedClient, which: str) -> list[str]:
    if which == "theirs":
        return [str(hosted.python), "-I", "-m", "methodic.cli"]
    return [sys.executable, "-m", "methodic"]


def _run(command: list[str], home: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in clean_env(HOME=str(home)).items() if not k.startswith("CHRONICLE_")}
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120, stdin=subprocess.DEVNULL)


def _files(home: Path) -> dict[str, Any]:
    folder = home / ".methodic"
    return {
        name: yaml.safe_load((folder / name).read_text()) if (folder / name).exists() else None
        for name in ("credentials.yaml", "config.yaml")
    }


def test_login_leaves_the_same_files_as_the_published_client(
    hosted: HostedClient, server: LocalChronicle, tmp_path: Path
) -> None:
    wrong = "sk_user_" + "0" * 40
    steps = [
        ["--api-key", wrong],  # refused by the server: nothing stored
        ["--api-key", server.api_key],
        ["--api-key", server.api_key, "--organization", "local-org"],  # resolved to its id, merged into config
        ["--api-key", server.api_key, "--personal"],  # the organization dropped, the server kept
    ]
    outcomes: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for which in ("theirs", "ours"):
        home = tmp_path / which
        home.mkdir()
        outcomes[which] = []
        for args in steps:
            done = _run([*_cli(hosted, which), "auth", "login", "--server-url", server.url, *args], home)
            assert server.api_key not in done.stdout + done.stderr and wrong not in done.stdout + done.stderr
            outcomes[which].append((done.returncode, _files(home)))
        credentials = home / ".methodic" / "credentials.yaml"
        assert stat.S_IMODE(credentials.stat().st_mode) == 0o600
    assert outcomes["ours"] == outcomes["theirs"]
    assert outcomes["ours"][2] == (
        0,
        {
            "credentials.yaml": {"api_key": server.api_key},
            "config.yaml": {"server_url": server.url, "organization_id": "org_local"},
        },
    )


@pytest.mark.parametrize(("writer", "reader"), [("theirs", "ours"), ("ours", "theirs")])
def test_status_reads_what_the_other_client_stored(
    hosted: HostedClient, tmp_path: Path, writer: str, reader: str
) -> None:
    key = "sk_user_" + "e" * 36 + "wxyz"
    login = [
        "auth",
        "login",
        "--no-verify",
        "--api-key",
        key,
        "--server-url",
        "http://127.0.0.1:5",
        "--organization",
        "acme",
    ]
    assert _run([*_cli(hosted, writer), *login], tmp_path).returncode == 0
    done = _run([*_cli(hosted, reader), "auth", "status"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert key not in done.stdout + done.stderr
    lowered = done.stdout.lower()
    assert "http://127.0.0.1:5" in lowered and "acme" in lowered and "sk_user_" in lowered
    assert str(tmp_path / ".methodic" / "credentials.yaml") in done.stdout
    if reader == "ours":
        assert "…wxyz" in done.stdout
