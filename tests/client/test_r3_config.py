"""Hostile config files raise ChronicleConfigError at construction, fast and bounded (issue 28, finding 5).

Each case runs in a child process with a memory limit and a timeout, as a user's program would meet it:
an alias bomb as ``api_key`` or ``server_url``, bytes that are not UTF-8, a file far too large, a
non-scalar value, and a timeout that is NaN, infinite or negative.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from methodic._config import MAX_CONFIG_BYTES

BOMB = "\n".join(
    ["a: &a ['lol','lol','lol','lol','lol','lol','lol','lol','lol']"]
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)]
)

CHILD = r"""
import sys
from methodic import Chronicle
from methodic.errors import ChronicleConfigError

how, path = sys.argv[1], sys.argv[2]
try:
    if how == "from_file":
        Chronicle.from_file(path)
    else:
        Chronicle.from_env()  # ~/.methodic under HOME, and the environment
except ChronicleConfigError as exc:
    print("CONFIG ERROR:", exc)
    sys.exit(0)
print("NO ERROR")
sys.exit(1)
"""


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))  # a bomb must not take the machine with it


def _construct(how: str, path: Path, home: Path, **env: str) -> tuple[str, float]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("CHRONICLE_")}
    environ.update(HOME=str(home), **env)
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, how, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        env=environ,
        preexec_fn=_limit_memory,
    )
    elapsed = time.monotonic() - started
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stdout + done.stderr
    return done.stdout, elapsed


CASES = {
    "alias bomb as api_key": BOMB + "\napi_key: *i\n",
    "alias bomb as server_url": "api_key: sk_x\n" + BOMB + "\nserver_url: *i\n",
    "one harmless alias": "base: &k sk_x\napi_key: *k\n",
    "not utf-8": b"api_key: sk_\xff\xfe\x80\n",
    "too large": "api_key: sk_x\n# " + "x" * (MAX_CONFIG_BYTES + 10) + "\n",
    "a list as api_key": "api_key: [sk_x, sk_y]\n",
    "a mapping as server_url": "api_key: sk_x\nserver_url: {a: 1}\n",
    "timeout nan": "api_key: sk_x\ntimeout: .nan\n",
    "timeout inf": "api_key: sk_x\ntimeout: .inf\n",
    "timeout negative": "api_key: sk_x\ntimeout: -3\n",
    "timeout true": "api_key: sk_x\ntimeout: true\n",
    "nested deep": "api_key: sk_x\nserver_url: " + "[" * 30000 + "\n",
    "workers huge": "api_key: sk_x\nmax_upload_workers: " + "9" * 5000 + "\n",
}


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("how", ["from_file", "home"])
def test_a_hostile_config_file_is_a_config_error_at_construction(tmp_path: Path, case: str, how: str) -> None:
    content = CASES[case]
    home = tmp_path / "home"
    (home / ".methodic").mkdir(parents=True)
    data = content if isinstance(content, bytes) else content.encode()
    path = tmp_path / "config.yaml" if how == "from_file" else home / ".methodic" / "credentials.yaml"
    path.write_bytes(data)
    if how == "home":  # the key is read from credentials.yaml, everything else from config.yaml
        (home / ".methodic" / "config.yaml").write_bytes(data)
    out, elapsed = _construct(how, path, home)
    assert out.startswith("CONFIG ERROR:"), out
    assert elapsed < 15  # bounded: an alias bomb hung or exhausted memory
    assert "sk_x" not in out and "sk_y" not in out  # the message names the file and the setting, not the key


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "1e999"])
def test_a_hostile_timeout_in_the_environment_is_a_config_error(tmp_path: Path, value: str) -> None:
    out, _ = _construct("home", tmp_path / "absent.yaml", tmp_path, CHRONICLE_API_KEY="sk_x", CHRONICLE_TIMEOUT=value)
    assert out.startswith("CONFIG ERROR:") and "timeout" in out, out


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -1.0, 0])
def test_a_hostile_timeout_keyword_is_a_config_error_at_construction(value: float) -> None:
    from methodic import Chronicle
    from methodic.errors import ChronicleConfigError

    with pytest.raises(ChronicleConfigError, match="timeout"):
        Chronicle("http://127.0.0.1:9", "sk_x", timeout=value)
