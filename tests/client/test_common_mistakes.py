"""The common first-hour mistakes each get a typed error that says what to do (issue 30), over real HTTP.

A key with a newline, a URL without a scheme, a base URL ending in ``/v1``, a closed client, a local key
sent to the default (hosted) URL, and ``LocalChronicle`` without the server extra.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import methodic._config
from methodic import Chronicle, ChronicleConfigError, ClientClosedError
from methodic.errors import APIConnectionError, AuthenticationError
from methodic_server import LocalChronicle


@pytest.fixture
def bare_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No CHRONICLE_* variables and an empty HOME: only what a test sets is configured."""
    monkeypatch.setenv("HOME", str(tmp_path))
    for name in ("API_KEY", "SERVER_URL", "CONFIG", "ORGANIZATION_ID", "ORGANIZATION_SLUG", "SCRIBE_URL"):
        monkeypatch.delenv(f"CHRONICLE_{name}", raising=False)
    return tmp_path


def test_a_key_with_a_trailing_newline_works_from_the_environment_a_file_and_the_constructor(
    server: LocalChronicle, bare_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHRONICLE_SERVER_URL", server.url + "\n")
    monkeypatch.setenv("CHRONICLE_API_KEY", server.api_key + "\n")
    with Chronicle.from_env() as chronicle:
        assert chronicle.me.scopes()
    monkeypatch.delenv("CHRONICLE_API_KEY")
    (bare_env / ".methodic").mkdir()
    (bare_env / ".methodic" / "credentials.yaml").write_text(f"api_key: '{server.api_key}\n\n'\n")
    with Chronicle.from_env() as chronicle:
        assert chronicle.me.scopes()
    key_file = bare_env / "key.txt"
    key_file.write_text(server.api_key + "\r\n")  # as `echo` or a Windows editor writes it
    with Chronicle(server.url, key_file.read_text()) as chronicle:
        assert chronicle.me.scopes()


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("sk_user_first\nsk_user_second", "api_key has a line break at character 14 of 28"),
        ("sk_user_abc def", "api_key has a space at character 12"),
        ('"sk_user_abcdef"', "api_key is wrapped in quotes"),
        ("   \n", "api_key is empty"),
    ],
)
def test_a_key_that_cannot_be_one_is_refused_before_any_call_without_quoting_it(key: str, expected: str) -> None:
    with pytest.raises(ChronicleConfigError) as caught:
        Chronicle("http://127.0.0.1:9", key)
    assert expected in str(caught.value)
    assert "abcdef" not in str(caught.value) and "second" not in str(caught.value)


@pytest.mark.parametrize(
    ("url", "suggestion"),
    [
        ("localhost:8000", "did you mean 'http://localhost:8000'?"),
        ("127.0.0.1:8000", "did you mean 'http://127.0.0.1:8000'?"),
        ("api.methodiclabs.ai", "did you mean 'https://api.methodiclabs.ai'?"),
        ("ftp://example.com", "got 'ftp://example.com'"),
        ("alice:hunter2@localhost:8000", "got 'localhost:8000'"),
    ],
)
def test_a_url_without_a_scheme_is_refused_at_construction(url: str, suggestion: str) -> None:
    with pytest.raises(ChronicleConfigError, match="server_url must be a full URL starting with http") as caught:
        Chronicle(url, "sk_user_" + "a" * 40)
    assert suggestion in str(caught.value) and "hunter2" not in str(caught.value)


def test_a_url_without_a_scheme_in_the_environment_is_refused_by_from_env(
    bare_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHRONICLE_API_KEY", "sk_user_" + "a" * 40)
    monkeypatch.setenv("CHRONICLE_SERVER_URL", "localhost:8000")
    with pytest.raises(ChronicleConfigError, match="did you mean 'http://localhost:8000'"):
        Chronicle.from_env()


@pytest.mark.parametrize("suffix", ["/v1", "/v1/", "/"])
def test_a_base_url_ending_in_v1_is_taken_as_the_server_root(server: LocalChronicle, suffix: str) -> None:
    with Chronicle(server.url + suffix, server.api_key) as chronicle:
        assert chronicle.server_url == server.url
        experiment = chronicle.experiments.create(hypothesis_summary="a base URL ending in /v1")
        assert chronicle.get(f"/experiments/{experiment.id}")["experiment"]["id"] == experiment.id


def test_a_closed_client_says_it_is_closed(server: LocalChronicle) -> None:
    chronicle = Chronicle(server.url, server.api_key)
    assert chronicle.me.scopes()
    chronicle.close()
    with pytest.raises(ClientClosedError, match=r"this Chronicle client is closed .* make a new client"):
        chronicle.me.scopes()
    with pytest.raises(ClientClosedError, match="closed"):
        chronicle.get("/me/scopes")
    with pytest.raises(RuntimeError):  # what the HTTP library raised before: old handlers still catch it
        chronicle.experiments.create(hypothesis_summary="after close")
    with pytest.raises(ClientClosedError, match="no more transfers can start"):
        _ = chronicle.transfers


def test_the_default_url_is_named_in_the_first_connection_error(
    bare_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The built-in default stands in for the hosted URL: a port nothing listens on, so no test leaves the machine.
    monkeypatch.setattr(methodic._config, "DEFAULT_SERVER_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("CHRONICLE_API_KEY", "sk_user_" + "b" * 40)
    with Chronicle.from_env() as chronicle, pytest.raises(APIConnectionError) as caught:
        chronicle.me.scopes()
    message = str(caught.value)
    assert "could not reach http://127.0.0.1:9" in message
    assert "is the default server URL: no server_url=, CHRONICLE_SERVER_URL or config-file server_url" in message
    assert "set CHRONICLE_SERVER_URL" in message and "b" * 40 not in message

    # a URL somebody chose is not blamed on the default
    monkeypatch.setenv("CHRONICLE_SERVER_URL", "http://127.0.0.1:9")
    with Chronicle.from_env() as chronicle, pytest.raises(APIConnectionError) as caught:
        chronicle.me.scopes()
    assert "default" not in str(caught.value)


def test_a_key_refused_at_the_default_url_says_the_url_was_the_default(
    server: LocalChronicle, bare_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Here the default URL answers (a LocalChronicle in the hosted URL's place) and does not know the key:
    # as the hosted server does with a dev-server's key.
    monkeypatch.setattr(methodic._config, "DEFAULT_SERVER_URL", server.url)
    monkeypatch.setenv("CHRONICLE_API_KEY", "sk_user_" + "c" * 40)
    with Chronicle.from_env() as chronicle, pytest.raises(AuthenticationError) as caught:
        chronicle.me.scopes()
    assert "is the default server URL" in str(caught.value) and "`methodic dev-server`" in str(caught.value)

    monkeypatch.setenv("CHRONICLE_API_KEY", server.api_key)
    with Chronicle.from_env() as chronicle:
        assert chronicle.me.scopes()  # the default works: later errors are not blamed on it
        assert chronicle._transport.default_url_note is None


def test_local_chronicle_without_the_server_extra_names_the_extra() -> None:
    # The extra's modules are made unimportable in a fresh interpreter, as in an install without [server].
    script = (
        "import sys\n"
        "for name in ('uvicorn', 'starlette'):\n"
        "    sys.modules[name] = None\n"
        "from methodic_server import LocalChronicle\n"
        "try:\n"
        "    LocalChronicle()\n"
        "except ImportError as exc:\n"
        "    print(type(exc).__name__, exc)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.startswith("ServerExtraMissing LocalChronicle needs the local server's dependencies")
    assert "pip install 'methodic-sdk[server]'" in done.stdout and "is not installed" in done.stdout
