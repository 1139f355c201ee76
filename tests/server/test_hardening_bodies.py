"""API request bodies: authentication comes before the body is read, and bodies are capped (413)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import httpx

from methodic_server import LocalChronicle

MiB = 1024 * 1024


def _rss() -> int:
    """This process's resident set (the server runs in-process threads), in bytes."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


def _chunks(total: int) -> Iterator[bytes]:
    block = b"x" * MiB
    for _ in range(total // MiB):
        yield block


def test_unauthenticated_gigabyte_is_refused_without_buffering(server: LocalChronicle) -> None:
    before = _rss()
    peak = [before]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.01):
            peak[0] = max(peak[0], _rss())

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        with httpx.Client(timeout=60) as raw:
            response = raw.post(server.url + "/v1/experiments", content=_chunks(1024 * MiB))
    finally:
        done.set()
        sampler.join()
    assert response.status_code == 401
    assert set(response.json()) == {"code", "message", "details", "request_id"}
    assert peak[0] - before < 64 * MiB, f"RSS grew by {(peak[0] - before) // MiB} MiB"


def test_bodies_beyond_the_cap_are_413() -> None:
    with LocalChronicle(validate_contract=True, max_body_bytes=MiB) as server, httpx.Client(timeout=30) as raw:
        headers = {"Authorization": f"Bearer {server.api_key}", "Content-Type": "application/json"}
        for content in (b" " * (2 * MiB), _chunks(8 * MiB)):  # declared length, then chunked
            response = raw.post(server.url + "/v1/experiments", content=content, headers=headers)
            assert response.status_code == 413
            error = response.json()
            assert set(error) == {"code", "message", "details", "request_id"}
            assert error["code"] == "payload_too_large"
        # below the cap, bodies are served as before
        body = {"title": "t", "hypothesis_summary": "h", "config_yaml": "a: 1"}
        assert raw.post(server.url + "/v1/experiments", json=body, headers=headers).status_code == 201
        assert server.contract_violations == []
