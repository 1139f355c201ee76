"""``methodic dev-server`` as a user meets it (issue 30): the ``export`` lines it prints work as printed, and a
port already in use is one clear line and exit 1, never an OSError traceback. Real processes throughout.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from methodic_server import LocalChronicle
from methodic_server.runtime import ServerStartError


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHRONICLE_")}
    env["HOME"] = str(home)
    return env


@pytest.fixture
def busy_port() -> Iterator[int]:
    """A port of 127.0.0.1 that something else is listening on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield int(sock.getsockname()[1])


def test_the_printed_export_lines_configure_a_client(tmp_path: Path) -> None:
    server = subprocess.Popen(
        [sys.executable, "-m", "methodic", "dev-server"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(tmp_path),
    )
    try:
        assert server.stdout is not None
        lines = []
        for line in server.stdout:
            lines.append(line)
            if line.startswith("Press Ctrl-C"):
                break
        exports = [line.strip() for line in lines if line.strip().startswith("export ")]
        assert [line.split("=", 1)[0] for line in exports] == [
            "export CHRONICLE_SERVER_URL",
            "export CHRONICLE_API_KEY",
        ], "".join(lines)
        # the lines exactly as printed, run by a shell, then a client and the CLI configured by nothing else
        probe = "from methodic import Chronicle; c = Chronicle.from_env(); print(sorted(s.kind for s in c.me.scopes()))"
        script = "\n".join([*exports, f"{sys.executable} -c '{probe}'", f"{sys.executable} -m methodic auth status"])
        done = subprocess.run(["sh", "-c", script], capture_output=True, text=True, timeout=60, env=_env(tmp_path))
        assert done.returncode == 0, done.stderr
        assert "'user'" in done.stdout.splitlines()[0]
        assert "server: http://127.0.0.1:" in done.stdout and "(from CHRONICLE_API_KEY)" in done.stdout
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(30)
    assert server.returncode == 0


@pytest.mark.parametrize(("flag", "role"), [("--port", "the API"), ("--storage-port", "storage")])
def test_a_port_in_use_is_one_clear_line(tmp_path: Path, busy_port: int, flag: str, role: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "methodic", "dev-server", flag, str(busy_port)],
        capture_output=True,
        text=True,
        timeout=60,
        env=_env(tmp_path),
    )
    assert done.returncode == 1
    assert done.stderr == (
        f"error: cannot listen on 127.0.0.1:{busy_port} for {role}: the port is already in use (another"
        f" dev-server?); stop what uses it or choose another port (pass another {flag}, or none for a free one)\n"
    )
    assert "Chronicle API:" not in done.stdout


def test_local_chronicle_on_a_busy_port_raises_a_typed_error_and_releases_the_rest(
    tmp_path: Path, busy_port: int
) -> None:
    from methodic_server.runtime import ChronicleServer

    server = ChronicleServer(tmp_path / "data", port=busy_port)
    with pytest.raises(ServerStartError, match=f"cannot listen on 127.0.0.1:{busy_port} for the API") as caught:
        server.start()
    assert isinstance(caught.value, OSError) and caught.value.which == "api"
    # the storage port it had bound is free again, so the same data dir starts on a free port
    server = ChronicleServer(tmp_path / "data")
    server.start()
    server.stop()
    with LocalChronicle() as working:  # and nothing of the failed start lingers in this process
        assert working.url.startswith("http://127.0.0.1:")
