"""Hostile input answers 400 with the Error body: Unicode digits, deep JSON, bad Content-Length, escaping names."""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

import httpx
import pytest

from methodic_server import LocalChronicle
from methodic_server.errors import ApiError
from tests.server.wire import ERROR_FIELDS, Wire


def _auth(server: LocalChronicle) -> dict[str, str]:
    return {"Authorization": f"Bearer {server.api_key}"}


@pytest.mark.parametrize(
    "path",
    [
        "/v1/experiments?limit=²",
        "/v1/assets?cursor=\u0661",  # ARABIC-INDIC DIGIT ONE
        "/v1/assets?variation=²",
        "/v1/assets?run=³",
        "/v1/experiments/{exp}/variations/²",
        "/v1/experiments/{exp}/variations/0/runs/²/status",
        "/v1/experiments?before=²",
    ],
)
def test_non_ascii_digits_are_400(server: LocalChronicle, committed_run: tuple[str, int, int], path: str) -> None:
    response = httpx.get(server.url + path.format(exp=committed_run[0]), headers=_auth(server))
    assert response.status_code == 400, response.text
    assert set(response.json()) == ERROR_FIELDS


@pytest.mark.parametrize("body", [b"[" * 100_000 + b"]" * 100_000, b'{"a":' * 100_000 + b"1" + b"}" * 100_000])
def test_deeply_nested_json_is_400(server: LocalChronicle, body: bytes) -> None:
    headers = {**_auth(server), "Content-Type": "application/json"}
    response = httpx.post(server.url + "/v1/experiments", content=body, headers=headers)
    assert response.status_code == 400, response.text
    assert set(response.json()) == ERROR_FIELDS


def _raw_put(url: str, content_length: str) -> bytes:
    """A PUT with the given Content-Length header; whatever the server answers within 5 s."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=5) as sock:
        target = f"{parts.path}?{parts.query}"
        sock.sendall(f"PUT {target} HTTP/1.1\r\nHost: x\r\nContent-Length: {content_length}\r\n\r\n".encode())
        received = b""
        try:
            while chunk := sock.recv(65536):
                received += chunk
        except TimeoutError:
            pass
        return received


@pytest.mark.parametrize("content_length", ["abc", "-1", "²", "1e3"])
def test_storage_bad_content_length_is_400(
    server: LocalChronicle, wire: Wire, committed_run: tuple[str, int, int], content_length: str
) -> None:
    wire.start(committed_run[0])
    info = wire.presigned(committed_run[0], ["m.bin"])
    answer = _raw_put(info["upload_urls"][0]["url"], content_length)
    assert answer.startswith(b"HTTP/1.1 400 "), answer


def test_component_names_cannot_escape_the_object_root(
    server: LocalChronicle, committed_run: tuple[str, int, int]
) -> None:
    exp, var, run = committed_run
    httpx.post(f"{server.url}/v1/experiments/{exp}/variations/{var}/runs/{run}/start", json={}, headers=_auth(server))
    for name in ["x\n/../../etc/hostname", "x\n", "a/..\n/b", "../etc/passwd", "a/\r/b"]:
        body = {
            "asset_type": "checkpoint",
            "presign": True,
            "components": [name],
            "output_of": {"experiment_id": exp, "variation": var, "run": run},
        }
        response = httpx.post(server.url + "/v1/assets", json=body, headers=_auth(server))
        assert response.status_code == 400, (name, response.text)
        assert set(response.json()) == ERROR_FIELDS
    # and the storage service itself refuses a path that resolves outside its root, before touching it
    storage = server._server.storage
    with pytest.raises(ApiError) as info:
        storage.stat("some-asset", "x\n/../../../etc/hostname")
    assert info.value.status == 400
