"""Smaller server holes of issue 28 (finding 7), over real HTTP and a real ``dev-server`` process.

A worker key given to ``dev-server`` is refused; unknown ``pending_reasons`` are refused at create; a
legacy path with control bytes is a 400 (never a dropped connection, a traceback or a control byte in
``Link``); an integer too long for ``int()`` in a Range header, a cursor or any number is a 400 or 416.
"""

from __future__ import annotations

import hashlib
import logging
import socket
import subprocess
import sys
from urllib.parse import urlsplit

import httpx
import pytest

from methodic_server import LocalChronicle
from tests.server.wire import Wire

HUGE = "9" * 5000  # past Python's 4,300-digit limit for int() of a string


def test_dev_server_refuses_a_worker_key_for_api_key() -> None:
    key = "sk_worker_" + "a1" * 20
    try:
        done = subprocess.run(
            [sys.executable, "-m", "methodic", "dev-server", "--api-key", key],
            capture_output=True,
            text=True,
            timeout=30,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("dev-server started with a worker key as a full user key")
    assert done.returncode == 2
    assert "worker" in done.stderr and "one run" in done.stderr and "sk_user_" in done.stderr, done.stderr
    assert key not in done.stderr  # the refusal does not echo the secret


def test_a_worker_key_is_refused_in_process_too() -> None:
    with pytest.raises(ValueError, match="one run"):
        LocalChronicle(api_keys=["sk_worker_" + "a1" * 20])


def test_unknown_pending_reasons_are_refused_at_create_and_known_ones_can_be_cleared(
    wire: Wire, committed_run: tuple[str, int, int]
) -> None:
    exp, _, _ = committed_run
    wire.start(exp)
    for reasons in (["waiting_for_godot"], ["review_required", "x"], [" review_required"]):
        body = {"asset_type": "report", "content": "x", "output_of": {"experiment_id": exp}, "pending_reasons": reasons}
        status, error = wire.error("POST", "/v1/assets", body)
        assert status == 400 and error["code"] == "validation_error", error
        assert "review_required" in error["message"]  # says what is allowed
    assert wire.ok("GET", f"/v1/assets?experiment_id={exp}") == []  # nothing was left pending
    gated = wire.ok(
        "POST",
        "/v1/assets",
        {
            "asset_type": "report",
            "content": "x",
            "output_of": {"experiment_id": exp},
            "pending_reasons": ["review_required"],
        },
    )["asset"]
    assert gated["state"] == "pending"
    assert wire.ok("PUT", f"/v1/assets/{gated['id']}/approve")["state"] == "ready"  # the documented call clears it


def _raw_request(server: LocalChronicle, target: bytes) -> bytes:
    """Send one request line as bytes (no client library in between); the raw answer, b'' if none came."""
    host, port = urlsplit(server.url).hostname or "", urlsplit(server.url).port or 0
    with socket.create_connection((host, port), timeout=10) as conn:
        conn.sendall(
            b"GET "
            + target
            + b" HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
            + server.api_key.encode()
            + b"\r\nConnection: close\r\n\r\n"
        )
        chunks = []
        while chunk := conn.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


@pytest.mark.parametrize("encoded", ["%0d%0a", "%0a", "%0d", "%00", "%01", "%1b", "%7f", "%0d%0aSet-Cookie:%20x=1"])
def test_legacy_paths_with_control_bytes_get_a_400_and_no_traceback(
    server: LocalChronicle, caplog: pytest.LogCaptureFixture, encoded: str
) -> None:
    caplog.set_level(logging.ERROR)
    answer = _raw_request(server, f"/experiments/abc{encoded}def".encode())
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400"), answer[:300]
    assert b'"code": "bad_request"' in body or b'"code":"bad_request"' in body, body
    for line in head.split(b"\r\n")[1:]:
        assert not any(b < 0x20 or b == 0x7F for b in line), line
        assert not line.lower().startswith(b"set-cookie")
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


def test_a_legacy_path_keeps_its_link_percent_encoded(server: LocalChronicle) -> None:
    answer = httpx.get(
        f"{server.url}/experiments/a%3Eb%20c%22/outputs", headers={"Authorization": f"Bearer {server.api_key}"}
    )
    assert answer.status_code == 404 and answer.headers["Deprecation"] == "true"
    link = answer.headers["Link"]
    assert link == '</v1/experiments/a%3Eb%20c%22/outputs>; rel="successor-version"', link


def _gateway_ready_asset(server: LocalChronicle, wire: Wire, exp: str, data: bytes) -> str:
    wire.start(exp)
    created = wire.ok(
        "POST",
        "/v1/assets",
        {
            "asset_type": "checkpoint",
            "presign": True,
            "components": ["w.bin"],
            "upload_targets": ["r2", "gcs"],
            "output_of": {"experiment_id": exp, "variation": 0, "run": 0},
        },
    )
    assert created["upload"]["via"] == "r2"
    auth = {"Authorization": f"Bearer {server.api_key}"}
    assert httpx.put(created["upload_urls"][0]["url"], content=data, headers=auth).status_code == 200
    asset_id = str(created["asset"]["id"])
    files = [{"path": "w.bin", "sha256": hashlib.sha256(data).hexdigest()}]
    wire.ok("PUT", f"/v1/assets/{asset_id}/finalize", {"files": files})
    return f"{server.gateway_url}/v1/data/{asset_id}/w.bin"


@pytest.mark.parametrize("header", [f"bytes={HUGE}-", f"bytes=0-{HUGE}", f"bytes=-{HUGE}", f"bytes={HUGE}-{HUGE}"])
def test_a_range_past_the_int_digit_limit_is_a_416_on_storage_and_the_gateway(
    server: LocalChronicle, wire: Wire, committed_run: tuple[str, int, int], header: str
) -> None:
    exp, _, _ = committed_run
    asset_id = wire.ready_asset(exp, b"0123456789")
    presigned = wire.ok("GET", f"/v1/assets/{asset_id}?include_presigned=true")["presigned_urls"]["model.bin"]["url"]
    gateway = _gateway_ready_asset(server, wire, wire.committed(), b"0123456789")
    auth = {"Authorization": f"Bearer {server.api_key}"}
    for url, headers in ((presigned, {}), (gateway, auth)):
        answer = httpx.get(url, headers={**headers, "Range": header}, timeout=10)
        assert answer.status_code == 416, (url, answer.status_code, answer.text[:200])
        assert answer.json()["code"] == "bad_range"
        assert httpx.get(url, headers={**headers, "Range": "bytes=2-4"}).content == b"234"  # still serving


def test_numbers_past_the_int_digit_limit_are_a_400_on_the_api(
    server: LocalChronicle, wire: Wire, committed_run: tuple[str, int, int], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR)
    exp, _, _ = committed_run
    for path in (
        f"/v1/assets?cursor={HUGE}",
        f"/v1/assets?limit={HUGE}",
        f"/v1/assets?experiment_id={exp}&run={HUGE}",
        f"/v1/experiments/{exp}/variations/{HUGE}",
        f"/v1/experiments/{exp}/variations/0/runs/{HUGE}/status",
    ):
        status, error = wire.error("GET", path)
        assert status == 400, (path, status, error)
    status, error = wire.error("POST", "/v1/search", {"query": "x", "page_token": HUGE})
    assert status in (400, 422, 503), (status, error)
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


def test_a_content_length_past_the_int_digit_limit_is_a_400_on_storage_and_the_gateway(
    server: LocalChronicle, wire: Wire, committed_run: tuple[str, int, int]
) -> None:
    exp, _, _ = committed_run
    wire.start(exp)
    gcs = wire.presigned(exp, ["a.bin"])["upload_urls"][0]["url"]
    r2 = wire.ok(
        "POST",
        "/v1/assets",
        {
            "asset_type": "checkpoint",
            "presign": True,
            "components": ["b.bin"],
            "upload_targets": ["r2"],
            "output_of": {"experiment_id": exp, "variation": 0, "run": 0},
        },
    )["upload_urls"][0]["url"]
    for url in (gcs, r2):
        parts = urlsplit(url)
        target = (parts.path + (f"?{parts.query}" if parts.query else "")).encode()
        with socket.create_connection((parts.hostname or "", parts.port or 0), timeout=10) as conn:
            conn.sendall(
                b"PUT "
                + target
                + b" HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                + server.api_key.encode()
                + b"\r\nContent-Length: "
                + HUGE.encode()
                + b"\r\nConnection: close\r\n\r\nxyz"
            )
            answer = b""
            while chunk := conn.recv(65536):
                answer += chunk
        assert answer.startswith(b"HTTP/1.") and b" 400 " in answer.split(b"\r\n", 1)[0], answer[:300]
