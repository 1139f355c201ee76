"""The ``methodic`` command as a user meets it (issue 30 item 7), run as a real process each time.

``--version``; a command group without its subcommand prints that group's help (exit 2); a reader that
closes the pipe early (``| head -1``) ends the command quietly; ``auth login`` refuses a malformed key or
URL before storing anything.
"""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import methodic
from methodic.transfer.tracker import UploadTracker
from methodic_server import LocalChronicle


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHRONICLE_")}
    env["HOME"] = str(home)
    return env


def _methodic(*args: str, home: Path, stdout: int = subprocess.PIPE) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "methodic", *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
        env=_env(home),
    )


def test_version(tmp_path: Path) -> None:
    done = _methodic("--version", home=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"methodic {methodic.__version__} (methodic-sdk) from ")
    assert Path(methodic.__file__).parent.as_posix() in done.stdout


@pytest.mark.parametrize(
    ("command", "usage", "offered"),
    [
        (["uploads"], "usage: methodic uploads", ["status", "resume", "forget", "prune"]),
        (["auth"], "usage: methodic auth", ["login", "status"]),
        ([], "usage: methodic", ["dev-server", "auth", "uploads"]),
    ],
)
def test_a_group_without_its_subcommand_prints_its_help(
    tmp_path: Path, command: list[str], usage: str, offered: list[str]
) -> None:
    done = _methodic(*command, home=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith(usage) and all(name in done.stderr for name in offered)
    assert "required" not in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("json_output", [False, True])
def test_a_closed_pipe_ends_the_command_quietly(tmp_path: Path, json_output: bool) -> None:
    tracker = tmp_path / "uploads.sqlite"
    weights = tmp_path / "model.bin"
    weights.write_bytes(b"w")
    with UploadTracker(tracker) as created:
        for number in range(200):  # more than a pipe's buffer of output, as a real backlog gives
            created.register_components(f"asset-{number:04d}", "checkpoint", [("model.bin", str(weights), 1)])
    reader, writer = os.pipe()
    os.close(reader)  # the reader is gone before a byte is written: `| head -0`, deterministically
    try:
        done = _methodic(
            "uploads",
            "status",
            "--tracker",
            str(tracker),
            *(["--json"] if json_output else []),
            home=tmp_path,
            stdout=writer,
        )
    finally:
        os.close(writer)
    assert done.stderr == ""  # no BrokenPipeError traceback, no "Exception ignored" at exit
    assert done.returncode == 128 + signal.SIGPIPE  # as a tool killed by SIGPIPE reports it to the shell


def test_status_through_head_prints_the_first_line_only(tmp_path: Path) -> None:
    tracker = tmp_path / "uploads.sqlite"
    UploadTracker(tracker).close()
    done = subprocess.run(
        f"{sys.executable} -m methodic uploads status --tracker {tracker} | head -1",
        shell=True,
        capture_output=True,
        text=True,
        timeout=60,
        env=_env(tmp_path),
    )
    assert done.stdout == f"tracker: {tracker}\n" and done.stderr == ""


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--api-key", "sk_user_abc\nsk_user_def"], "error: api_key has a line break at character 12"),
        (
            ["--api-key", "sk_user_" + "a" * 40, "--server-url", "localhost:8000"],
            "did you mean 'http://localhost:8000'",
        ),
    ],
)
def test_login_refuses_a_malformed_key_or_url_and_stores_nothing(
    tmp_path: Path, args: list[str], expected: str
) -> None:
    done = _methodic("auth", "login", "--no-verify", *args, home=tmp_path)
    assert done.returncode == 1 and expected in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / ".methodic").exists()


def test_login_stores_a_key_without_its_newline_and_a_base_url_without_v1(tmp_path: Path) -> None:
    key = "sk_user_" + "d" * 40
    done = _methodic(
        "auth", "login", "--no-verify", "--api-key", key + "\n", "--server-url", "https://x.example/v1/", home=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / ".methodic" / "credentials.yaml").read_text() == f"api_key: {key}\n"
    assert (tmp_path / ".methodic" / "config.yaml").read_text() == "server_url: https://x.example\n"


def _read_until(fd: int, marker: bytes, seen: bytearray, deadline: float) -> bool:
    """Read a pty's output into ``seen`` until ``marker`` shows up (True) or the program ends (False)."""
    while marker not in seen:
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            raise AssertionError(f"timed out waiting for {marker!r}; got {bytes(seen)!r}")
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # EIO: the program ended and closed the terminal
            return False
        if not chunk:
            return False
        seen += chunk
    return True


def test_login_at_a_terminal_offers_the_organizations(server: LocalChronicle, tmp_path: Path) -> None:
    controller, terminal = pty.openpty()
    login = [sys.executable, "-m", "methodic", "auth", "login", "--api-key", server.api_key, "--server-url", server.url]
    process = subprocess.Popen(login, stdin=terminal, stdout=terminal, stderr=terminal, env=_env(tmp_path))
    os.close(terminal)
    seen = bytearray()
    deadline = time.monotonic() + 60
    try:
        prompt = b"Enter keeps the current one): "
        assert _read_until(controller, prompt, seen, deadline)
        assert b"1. local-org" in seen
        os.write(controller, b"no-such-org\n")  # not one of them: asked again
        del seen[:]
        assert _read_until(controller, prompt, seen, deadline)
        assert b"none of them is 'no-such-org'" in seen
        os.write(controller, b"1\n")
        _read_until(controller, b"\x00", seen, deadline)  # to the end
    finally:
        process.wait(60)
        os.close(controller)
    assert process.returncode == 0, bytes(seen)
    assert server.api_key.encode() not in seen and b"default organization: org_local" in seen
    config = (tmp_path / ".methodic" / "config.yaml").read_text()
    assert "organization_id: org_local" in config and f"server_url: {server.url}" in config
