"""`methodic auth login` / `auth status`: credentials under ~/.methodic (0600), the key never printed."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from methodic import Chronicle
from methodic.cli import main
from methodic_server import LocalChronicle

KEY = "sk_user_abcdef12" + "9" * 28 + "wxyz"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary HOME with no CHRONICLE_* variables, so nothing of the real user's is read or written."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for name in (
        "CHRONICLE_API_KEY",
        "CHRONICLE_SERVER_URL",
        "CHRONICLE_CONFIG",
        "CHRONICLE_ORGANIZATION_ID",
        "CHRONICLE_ORGANIZATION_SLUG",
        "CHRONICLE_SCRIBE_URL",
    ):
        monkeypatch.delenv(name, raising=False)
    return home


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_login_without_verifying_writes_private_credentials(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["auth", "login", "--api-key", KEY, "--no-verify", "--server-url", "https://ci.example/"]) == 0
    out = capsys.readouterr()
    assert KEY not in out.out + out.err and "…wxyz" in out.out and "not checked" in out.out
    folder = home / ".methodic"
    credentials, config = folder / "credentials.yaml", folder / "config.yaml"
    assert _mode(folder) == 0o700 and _mode(credentials) == 0o600 and _mode(config) == 0o600
    assert yaml.safe_load(credentials.read_text()) == {"api_key": KEY}
    assert yaml.safe_load(config.read_text()) == {"server_url": "https://ci.example"}
    assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == []  # no temporary file left behind

    # a second login replaces the key and keeps what it was not told to change
    other = KEY.replace("wxyz", "abcd")
    assert main(["auth", "login", "--api-key", other, "--no-verify", "--organization", "org_team"]) == 0
    assert yaml.safe_load(credentials.read_text()) == {"api_key": other}
    assert yaml.safe_load(config.read_text()) == {"server_url": "https://ci.example", "organization_id": "org_team"}
    assert _mode(credentials) == 0o600
    # what was stored is what a client built from the environment uses
    with Chronicle.from_env() as chronicle:
        assert chronicle.server_url == "https://ci.example" and chronicle.organization_id == "org_team"
        assert chronicle._transport._api_key == other


def test_status_masks_the_key_and_says_where_settings_come_from(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["auth", "status"]) == 1
    assert "no API key" in capsys.readouterr().err

    main(["auth", "login", "--api-key", KEY, "--no-verify", "--organization", "local-org"])
    capsys.readouterr()
    assert main(["auth", "status"]) == 0
    out = capsys.readouterr().out
    assert KEY not in out and "sk_user_…wxyz" in out
    assert "server: https://api.methodiclabs.ai (the default: nothing sets one)" in out
    assert "'local-org' (a slug" in out and str(home / ".methodic" / "credentials.yaml") in out

    monkeypatch.setenv("CHRONICLE_API_KEY", "sk_user_fromtheenvironment1234")
    assert main(["auth", "status"]) == 0
    out = capsys.readouterr().out
    assert "sk_user_fromtheenvironment1234" not in out and "…1234 (from CHRONICLE_API_KEY)" in out


def test_status_as_a_command(home: Path) -> None:
    (home / ".methodic").mkdir()
    (home / ".methodic" / "credentials.yaml").write_text(f"api_key: {KEY}\n")
    done = subprocess.run(
        [sys.executable, "-m", "methodic", "auth", "status"], capture_output=True, text=True, timeout=60, check=True
    )
    assert KEY not in done.stdout + done.stderr and "…wxyz" in done.stdout


def test_login_verifies_the_key_against_the_server(
    server: LocalChronicle, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    credentials = home / ".methodic" / "credentials.yaml"
    wrong = "sk_user_wrongwrong" + "0" * 30
    assert main(["auth", "login", "--api-key", wrong, "--server-url", server.url]) == 1
    err = capsys.readouterr().err
    assert "refused the key" in err and wrong not in err
    assert not credentials.exists()  # nothing stored for a refused key

    assert main(["auth", "login", "--api-key", server.api_key, "--server-url", server.url]) == 0
    out = capsys.readouterr().out
    assert server.api_key not in out and "(not checked)" not in out
    assert yaml.safe_load(credentials.read_text()) == {"api_key": server.api_key} and _mode(credentials) == 0o600

    # an organization is checked against the caller's memberships and stored by id
    assert main(["auth", "login", "--api-key", server.api_key, "--server-url", server.url, "--organization", "x"]) == 1
    assert "no organization 'x'" in capsys.readouterr().err
    args = ["auth", "login", "--api-key", server.api_key, "--server-url", server.url, "--organization", "local-org"]
    assert main(args) == 0
    config = yaml.safe_load((home / ".methodic" / "config.yaml").read_text())
    assert config == {"server_url": server.url, "organization_id": "org_local"}
    with Chronicle.from_env() as chronicle:
        assert chronicle.experiments.create(hypothesis_summary="after login").data.organization_id == "org_local"


def test_login_against_an_unreachable_server_stores_nothing(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["auth", "login", "--api-key", KEY, "--server-url", "http://127.0.0.1:9"]) == 2
    assert "--no-verify" in capsys.readouterr().err
    assert not (home / ".methodic" / "credentials.yaml").exists()
