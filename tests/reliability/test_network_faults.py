"""Bad networks and bad servers: each gives a typed error with a helpful message, and nothing is lost."""

from __future__ import annotations

import socket
import time

import pytest

from methodic import Chronicle, errors
from methodic_server import LocalChronicle


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_connection_refused_is_a_connection_error() -> None:
    with (
        Chronicle(f"http://127.0.0.1:{free_port()}", "sk_user_x", timeout=2) as chronicle,
        pytest.raises(errors.APIConnectionError) as info,
    ):
        chronicle.me.scopes()
    assert "could not reach" in str(info.value)
    assert info.value.status_code is None


def test_slow_responses_hit_the_timeout(server: LocalChronicle) -> None:
    server.faults.delay_api(1.5)
    with Chronicle(server.url, server.api_key, timeout=0.3) as chronicle, pytest.raises(errors.APITimeoutError) as info:
        chronicle.me.scopes()
    assert "timed out" in str(info.value)
    server.faults.reset()
    with Chronicle(server.url, server.api_key, timeout=5) as chronicle:
        assert chronicle.me.scopes()


def test_missing_and_wrong_keys(server: LocalChronicle) -> None:
    with (
        Chronicle(server.url, "sk_user_deadbeef" + "0" * 32) as wrong,
        pytest.raises(errors.AuthenticationError) as info,
    ):
        wrong.me.scopes()
    assert info.value.status_code == 401 and info.value.request_id
    assert "deadbeef" not in str(info.value)
    with pytest.raises(errors.ChronicleConfigError):
        Chronicle(server.url, "")


def test_server_restarted_mid_run_the_client_recovers(tmp_path: object) -> None:
    with LocalChronicle(validate_contract=True) as srv, Chronicle(srv.url, srv.api_key) as chronicle:
        exp = chronicle.experiments.create(title="t", hypothesis_summary="h", config_yaml="a: 1\n").commit()
        chronicle.variation(exp.id, 0).commit(commit_without_hypothesis=True)
        run = chronicle.run(exp.id, 0, 0).start()
        srv.restart()
        # the pooled keep-alive connection died with the old server; the next call reconnects
        deadline = time.monotonic() + 5
        while True:
            try:
                assert run.heartbeat().state == "running"
                break
            except errors.APIConnectionError:
                assert time.monotonic() < deadline
                time.sleep(0.05)
        assert chronicle.experiment(exp.id).state == "committed"
        assert srv.contract_violations == []
