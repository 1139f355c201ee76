"""The storage service enforces what cloud storage enforces: signatures, expiry, one auth method, lengths."""

from __future__ import annotations

import hashlib
import http.client
import os
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest

from methodic import Chronicle
from methodic_server import LocalChronicle


@pytest.fixture
def server() -> Iterator[LocalChronicle]:
    """These rules are the presigned storage's: a server that answers the presigned-PUT route (``gcs``)."""
    with LocalChronicle(validate_contract=True, upload_route="gcs") as srv:
        yield srv
        assert srv.contract_violations == [], srv.contract_violations


@pytest.fixture
def urls(server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int]) -> dict[str, str]:
    run = client.run(*committed_run).start()
    info = run.create_asset_presigned(asset_type="checkpoint", components=["dir/model.bin"])
    return {"put": info.upload_urls["dir/model.bin"], "asset_id": info.asset_id}


def test_put_then_ranged_get(server: LocalChronicle, client: Chronicle, urls: dict[str, str]) -> None:
    data = os.urandom(100_000)
    with httpx.Client() as raw:
        assert raw.put(urls["put"], content=data).status_code == 200
        assert raw.put(urls["put"], content=data).status_code == 200  # idempotent
        client.assets.finalize(urls["asset_id"])
        get_url = client.assets.get(urls["asset_id"], include_presigned=True).download_urls["dir/model.bin"]
        full = raw.get(get_url)
        assert full.status_code == 200 and full.content == data
        part = raw.get(get_url, headers={"Range": "bytes=10-19"})
        assert part.status_code == 206 and part.content == data[10:20]
        assert part.headers["Content-Range"] == f"bytes 10-19/{len(data)}"
        tail = raw.get(get_url, headers={"Range": "bytes=-5"})
        assert tail.content == data[-5:]
        assert raw.get(get_url, headers={"Range": "bytes=999999-"}).status_code == 416
        assert raw.head(get_url).headers["Content-Length"] == str(len(data))
        # a read URL does not allow writing, and an upload URL does not allow reading
        assert raw.put(get_url, content=b"x").status_code == 403
        assert raw.get(urls["put"]).status_code == 403


def test_tampered_and_expired_signatures_are_403(
    server: LocalChronicle, client: Chronicle, urls: dict[str, str]
) -> None:
    tampered = urls["put"].replace("signature=", "signature=0")
    other_path = urls["put"].replace("model.bin", "other.bin")
    with httpx.Client() as raw:
        for url in (tampered, other_path):
            response = raw.put(url, content=b"x")
            assert response.status_code == 403
            assert response.json()["code"] == "signature_invalid"
            assert response.headers["X-Request-Id"]
        server.faults.expire_presigned_urls(True)
        expired = client.assets.presign(urls["asset_id"], operation="upload").urls["dir/model.bin"]
        server.faults.expire_presigned_urls(False)
        response = raw.put(expired, content=b"x")
        assert response.status_code == 403
        assert response.json() == {
            "code": "signature_expired",
            "message": "the URL has expired",
            "details": None,
            "request_id": response.headers["X-Request-Id"],
        }


def test_authorization_header_next_to_a_signature_is_400(urls: dict[str, str]) -> None:
    with httpx.Client() as raw:
        response = raw.put(urls["put"], content=b"x", headers={"Authorization": "Bearer sk_user_x"})
    assert response.status_code == 400
    assert response.json()["code"] == "two_auth_methods"


def test_put_without_content_length_is_411(urls: dict[str, str]) -> None:
    parts = urlsplit(urls["put"])
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    conn.putrequest("PUT", f"{parts.path}?{parts.query}")
    conn.putheader("Transfer-Encoding", "chunked")
    conn.endheaders()
    conn.send(b"5\r\nhello\r\n0\r\n\r\n")
    response = conn.getresponse()
    assert response.status == 411
    conn.close()


def test_finalize_refuses_missing_and_mismatched_components(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: object
) -> None:
    from methodic import errors
    from methodic.types import ComponentDigest

    run = client.run(*committed_run).start()
    info = run.create_asset_presigned(asset_type="checkpoint", components=["a.bin", "b.bin"])
    with httpx.Client() as raw:
        raw.put(info.upload_urls["a.bin"], content=b"hello")
    with pytest.raises(errors.ConflictError) as missing:
        client.assets.finalize(info.asset_id)
    assert missing.value.code == "components_missing"
    assert missing.value.body["details"] == {"missing": ["b.bin"]}
    with httpx.Client() as raw:
        raw.put(info.upload_urls["b.bin"], content=b"world")
    world = ComponentDigest(size=5, sha256=hashlib.sha256(b"world").hexdigest())
    wrong = {"a.bin": ComponentDigest(size=5, sha256="0" * 64), "b.bin": world}  # files names every component
    with pytest.raises(errors.ConflictError) as mismatch:
        client.assets.finalize(info.asset_id, components=wrong)
    assert mismatch.value.code == "component_mismatch"
    assert client.assets.get(info.asset_id).state == "pending"
    ready = client.assets.finalize(info.asset_id)
    assert ready.state == "ready"
    with pytest.raises(errors.ConflictError):
        client.assets.presign(info.asset_id, operation="upload")  # ready assets are immutable
