"""Storage transfers over an injected transport: retries, URL refresh, progress accounting, redaction."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import httpx
import pytest

from methodic._transfer import IntegrityError, RetryPolicy, StorageError, download_file, upload_file
from methodic.progress import ProgressSink

NO_SLEEP = RetryPolicy(max_attempts=4, sleep=lambda s: None)
URL = "http://storage.test/objects/a/model.bin?expires=9&signature=topsecret"


class Count:
    def __init__(self) -> None:
        self.n = 0

    def on_start(self, total_bytes: int, description: str) -> None:
        self.total = total_bytes

    def on_bytes(self, n: int) -> None:
        self.n += n

    def on_done(self) -> None:
        pass


def file_of(tmp_path: Path, size: int) -> Path:
    path = tmp_path / "model.bin"
    path.write_bytes(os.urandom(size))
    return path


def test_upload_streams_with_content_length_and_retries_5xx(tmp_path: Path) -> None:
    path = file_of(tmp_path, 3 * (1 << 20) + 17)
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        body = request.read()
        seen.append(request)
        assert len(body) == path.stat().st_size
        return httpx.Response(503 if len(seen) < 3 else 200)

    count = Count()
    sink = ProgressSink(count, path.stat().st_size, "x")
    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        result = upload_file(client, URL, path, progress=sink, retry=NO_SLEEP)
    assert result.size == path.stat().st_size
    assert result.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert len(seen) == 3
    for request in seen:
        assert request.headers["Content-Length"] == str(path.stat().st_size)
        assert "Transfer-Encoding" not in request.headers
        assert "Authorization" not in request.headers
    assert count.n == path.stat().st_size  # each byte counted once across three attempts


def test_forbidden_asks_for_a_fresh_url(tmp_path: Path) -> None:
    path = file_of(tmp_path, 10)
    urls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        request.read()
        urls.append(str(request.url))
        return httpx.Response(200 if "fresh" in str(request.url) else 403, json={"message": "expired"})

    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        upload_file(client, URL, path, retry=NO_SLEEP, refresh_url=lambda: "http://storage.test/o?fresh=1")
    assert len(urls) == 2 and "fresh" in urls[1]


def test_non_retryable_error_is_raised_without_the_signature(tmp_path: Path) -> None:
    path = file_of(tmp_path, 10)
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        request.read()
        return httpx.Response(400, json={"message": "bad request"})

    with httpx.Client(transport=httpx.MockTransport(handler)) as client, pytest.raises(StorageError) as info:
        upload_file(client, URL, path, retry=NO_SLEEP)
    assert calls == 1
    assert info.value.status_code == 400
    assert "topsecret" not in str(info.value)
    assert "storage.test/objects/a/model.bin" in str(info.value)


def test_connection_errors_are_retried_then_given_up(tmp_path: Path) -> None:
    path = file_of(tmp_path, 10)
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        raise httpx.ConnectError("refused", request=request)

    with (
        httpx.Client(transport=httpx.MockTransport(handler)) as client,
        pytest.raises(StorageError, match="4 attempts"),
    ):
        upload_file(client, URL, path, retry=NO_SLEEP)
    assert calls == 4


def test_backoff_is_capped_and_jittered() -> None:
    policy = RetryPolicy(base_delay=1, max_delay=5)
    delays = [policy.delay(a) for a in range(10) for _ in range(20)]
    assert max(delays) <= 5 and min(delays) >= 0
    assert len({round(d, 6) for d in delays}) > 50


def test_storage_client_with_authorization_is_refused(tmp_path: Path) -> None:
    path = file_of(tmp_path, 1)
    with (
        httpx.Client(headers={"Authorization": "Bearer sk"}) as client,
        pytest.raises(ValueError, match="Authorization"),
    ):
        upload_file(client, URL, path)


def test_download_verifies_and_replaces_atomically(tmp_path: Path) -> None:
    data = os.urandom(2 * (1 << 20) + 5)
    digest = hashlib.sha256(data).hexdigest()

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=data)

    dest = tmp_path / "out.bin"
    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        result = download_file(client, URL, dest, expected_size=len(data), expected_sha256=digest, retry=NO_SLEEP)
        assert result.sha256 == digest and dest.read_bytes() == data
        with pytest.raises(IntegrityError):
            download_file(client, URL, tmp_path / "bad.bin", expected_sha256="0" * 64, retry=NO_SLEEP)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.bin"]  # no partial or temp files left


def test_download_retries_a_dropped_body(tmp_path: Path) -> None:
    data = os.urandom(300_000)
    calls = 0

    class Dropping(httpx.SyncByteStream):
        def __iter__(self):  # type: ignore[no-untyped-def]
            yield data[:1000]
            raise httpx.RemoteProtocolError("peer closed connection")

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        if calls == 1:
            return httpx.Response(200, stream=Dropping())
        return httpx.Response(200, content=data)

    count = Count()
    sink = ProgressSink(count, len(data), "d")
    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        download_file(client, URL, tmp_path / "x.bin", expected_size=len(data), progress=sink, retry=NO_SLEEP)
    assert calls == 2 and (tmp_path / "x.bin").read_bytes() == data
    assert count.n == len(data)
