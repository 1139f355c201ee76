"""A hostile or broken API server cannot exhaust the client's memory or hold a call for ever (issue 15, 1-3)."""

from __future__ import annotations

import time

import pytest

from methodic import Chronicle, errors

from .hostile_api import HostileServer, drip, endless_json, gzip_bomb

KEY = "sk_user_" + "a" * 32


def _rss_mib() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


@pytest.mark.parametrize("status", ["200 OK", "500 Internal Server Error"])
def test_an_endless_body_is_cut_off_with_bounded_memory(status: str) -> None:
    before = _rss_mib()
    with (
        HostileServer(endless_json(status)) as hostile,
        Chronicle(hostile.url, KEY, timeout=30) as chronicle,
        pytest.raises(errors.APIError) as info,
    ):
        chronicle.runs.get("e", 0, 0)
    assert _rss_mib() - before < 128  # a 1 GiB body used to take 3.7-4.1 GiB
    assert len(str(info.value)) < 2000  # and a 1 GiB str(exc)
    if status.startswith("500"):
        assert isinstance(info.value, errors.ServerError)
    else:
        assert isinstance(info.value, errors.APIResponseValidationError) and "max_response_bytes" in str(info.value)


def test_a_gzip_bomb_counts_against_the_cap_after_decompression() -> None:
    before = _rss_mib()
    with (
        HostileServer(gzip_bomb(256 << 20)) as hostile,
        Chronicle(hostile.url, KEY, max_response_bytes=8 << 20) as chronicle,
        pytest.raises(errors.APIResponseValidationError, match="larger than"),
    ):
        chronicle.runs.get("e", 0, 0)
    assert _rss_mib() - before < 128


def test_a_dripping_server_cannot_hold_a_call_past_its_timeout() -> None:
    started = time.monotonic()
    with (
        HostileServer(drip(0.2)) as hostile,
        Chronicle(hostile.url, KEY, timeout=2) as chronicle,
        pytest.raises(errors.APITimeoutError),
    ):
        chronicle.runs.get("e", 0, 0)
    assert time.monotonic() - started < 6  # it used to run 39 s with timeout=2
