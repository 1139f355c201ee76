"""Storage transfers over an injected transport: retries, URL refresh, progress accounting, redaction."""

from __future__ import annotations

import errno
import hashlib
import os
import sys
import tempfile
import threading
import tracemalloc
from pathlib import Path
from typing import Any

import httpx
import pytest

from methodic._redact import redact_url
from methodic.errors import FileChangedError, IntegrityError, StorageError
from methodic.transfer.config import RetryPolicy
from methodic.transfer.display import TrackedTransfer, TransferDisplay
from methodic.transfer.get import download_file
from methodic.transfer.progress import ProgressSink, make_progress
from methodic.transfer.put import upload_file
from tests.transfer.local_storage import LocalStorage
from tests.transfer.progress import CountingProgress

NO_SLEEP = RetryPolicy(max_attempts=4, sleep=lambda s: None)
URL = "http://storage.test/objects/a/model.bin?expires=9&signature=topsecret"


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

    count = CountingProgress()
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
    assert count.counted == path.stat().st_size  # each byte counted once across three attempts


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

    count = CountingProgress()
    sink = ProgressSink(count, len(data), "d")
    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        download_file(client, URL, tmp_path / "x.bin", expected_size=len(data), progress=sink, retry=NO_SLEEP)
    assert calls == 2 and (tmp_path / "x.bin").read_bytes() == data
    assert count.counted == len(data)


# -- more narrow client-behaviour tests ---------------------------------------------------------------


def test_s3_error_code_is_parsed_and_signature_echoes_are_not_shown(tmp_path: Path) -> None:
    path = file_of(tmp_path, 10)
    body = (
        "<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match"
        "</Message><CanonicalRequest>PUT /objects/a/model.bin expires=9&amp;signature=topsecret</CanonicalRequest>"
        "<SignatureProvided>topsecret</SignatureProvided></Error>"
    )

    def handler(request: httpx.Request) -> httpx.Response:
        request.read()
        return httpx.Response(400, text=body)

    with httpx.Client(transport=httpx.MockTransport(handler)) as client, pytest.raises(StorageError) as info:
        upload_file(client, URL, path, retry=NO_SLEEP, component="model.bin")
    assert info.value.code == "SignatureDoesNotMatch" and info.value.component == "model.bin"
    assert "does not match" in info.value.message
    assert "topsecret" not in str(info.value) and "expires=9" not in str(info.value)


def test_forbidden_without_refresh_raises_at_once(tmp_path: Path) -> None:
    path = file_of(tmp_path, 10)
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        request.read()
        return httpx.Response(
            403, text="<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>"
        )

    with httpx.Client(transport=httpx.MockTransport(handler)) as client, pytest.raises(StorageError) as info:
        upload_file(client, URL, path, retry=NO_SLEEP)
    assert calls == 1 and info.value.status_code == 403 and info.value.code == "AccessDenied"
    assert "expired" in str(info.value) and "topsecret" not in str(info.value)


def test_forbidden_refreshes_the_url_once_then_fails_with_the_storages_code(tmp_path: Path) -> None:
    path = file_of(tmp_path, 10)
    refreshes = 0
    sends = 0

    def refresh() -> str:
        nonlocal refreshes
        refreshes += 1
        return f"http://storage.test/o?sig=fresh{refreshes}"

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal sends
        sends += 1
        request.read()
        body = "<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>"
        return httpx.Response(403, text=body, headers={"content-type": "application/xml"})

    with httpx.Client(transport=httpx.MockTransport(handler)) as client, pytest.raises(StorageError) as info:
        upload_file(client, URL, path, retry=NO_SLEEP, refresh_url=refresh)
    assert refreshes == 1 and sends == 2  # a fresh URL refused again is the storage's answer: no more body re-sends
    assert info.value.status_code == 403 and info.value.code == "AccessDenied" and "fresh" not in str(info.value)


def test_429_and_retry_after_are_honoured(tmp_path: Path) -> None:
    path = file_of(tmp_path, 10)
    slept: list[float] = []
    statuses = iter([429, 408, 502, 200])

    def handler(request: httpx.Request) -> httpx.Response:
        request.read()
        status = next(statuses)
        return httpx.Response(status, headers={"Retry-After": "3"} if status == 429 else {})

    policy = RetryPolicy(max_attempts=5, base_delay=0.01, max_delay=8.0, sleep=slept.append)
    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        upload_file(client, URL, path, retry=policy)
    assert len(slept) == 3 and slept[0] == 3.0
    assert all(0 <= s <= 0.01 * 2**3 for s in slept[1:])


def test_timeouts_are_retried(tmp_path: Path) -> None:
    path = file_of(tmp_path, 10)
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        request.read()
        if calls == 1:
            raise httpx.ReadTimeout("slow", request=request)
        return httpx.Response(200)

    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        assert upload_file(client, URL, path, retry=NO_SLEEP).size == 10
    assert calls == 2


def test_file_modified_during_upload_is_refused(tmp_path: Path) -> None:
    path = file_of(tmp_path, 3 * (1 << 20))

    class Grower(CountingProgress):
        def on_bytes(self, n: int) -> None:
            super().on_bytes(n)
            with path.open("ab") as f:
                f.write(b"more")

    def handler(request: httpx.Request) -> httpx.Response:
        request.read()
        return httpx.Response(200)

    sink = ProgressSink(Grower(), path.stat().st_size, "x")
    with (
        httpx.Client(transport=httpx.MockTransport(handler)) as client,
        pytest.raises(FileChangedError, match="while it was being uploaded"),
    ):
        upload_file(client, URL, path, progress=sink, retry=NO_SLEEP)


def test_storage_client_with_auth_is_refused(tmp_path: Path) -> None:
    path = file_of(tmp_path, 1)
    with httpx.Client(auth=("user", "pass")) as client, pytest.raises(ValueError, match="Authorization"):
        upload_file(client, URL, path)
    with httpx.Client(headers={"Authorization": "Bearer sk"}) as client, pytest.raises(ValueError):
        download_file(client, URL, tmp_path / "d.bin")


def test_redact_url_keeps_only_scheme_host_and_path() -> None:
    assert redact_url(URL) == "http://storage.test/objects/a/model.bin?<redacted>"
    assert "topsecret" not in redact_url(URL)
    assert redact_url("https://h/p") == "https://h/p"


def test_download_size_mismatch_and_disk_errors_leave_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = os.urandom(5000)

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=data)

    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        with pytest.raises(IntegrityError, match="expected 4000"):
            download_file(client, URL, tmp_path / "short.bin", expected_size=4000, retry=NO_SLEEP)
        with pytest.raises(IntegrityError, match="got 5000 bytes, expected 6000"):
            download_file(client, URL, tmp_path / "long.bin", expected_size=6000, retry=NO_SLEEP)

        real_fdopen = os.fdopen

        class FullDisk:
            def __init__(self, fd: int, mode: str) -> None:
                self.f = real_fdopen(fd, mode)

            def __enter__(self) -> FullDisk:
                return self

            def __exit__(self, *exc: object) -> None:
                self.f.close()

            def write(self, data: bytes) -> int:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

            def fileno(self) -> int:
                return self.f.fileno()

            def flush(self) -> None:
                self.f.flush()

        monkeypatch.setattr("methodic.transfer.get.os.fdopen", FullDisk)
        with pytest.raises(OSError, match=r"cannot write .*full\.bin") as info:
            download_file(client, URL, tmp_path / "full.bin", retry=NO_SLEEP)
        assert info.value.errno == errno.ENOSPC
    assert list(tmp_path.iterdir()) == []


def test_download_error_status_is_a_storage_error(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404, text="<Error><Code>NoSuchKey</Code><Message>gone</Message></Error>")

    with httpx.Client(transport=httpx.MockTransport(handler)) as client, pytest.raises(StorageError) as info:
        download_file(client, URL, tmp_path / "x.bin", retry=NO_SLEEP)
    assert info.value.status_code == 404 and info.value.code == "NoSuchKey" and "topsecret" not in str(info.value)
    assert list(tmp_path.iterdir()) == []


# -- progress ---------------------------------------------------------------------------------------


def test_progress_sink_aggregates_threads_exactly_and_never_overcounts() -> None:
    count = CountingProgress()
    sink = ProgressSink(count, 8 * 1000, "agg")
    threads = [threading.Thread(target=lambda: [sink.on_bytes(1) for _ in range(1000)]) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert count.counted == sink.transferred == 8000 and count.total == 8000
    sink.on_bytes(50)  # beyond the total: clamped
    assert count.counted == 8000
    sink.on_done()
    sink.on_done()


def test_make_progress_choices(monkeypatch: pytest.MonkeyPatch) -> None:
    events: list[tuple[str, object]] = []

    class Mine:
        def on_start(self, total_bytes: int, description: str) -> None:
            events.append(("start", (total_bytes, description)))

        def on_bytes(self, n: int) -> None:
            events.append(("bytes", n))

        def on_done(self) -> None:
            events.append(("done", None))

    sink = make_progress(Mine(), total=10, description="d")
    sink.on_bytes(10)
    sink.on_done()
    assert events == [("start", (10, "d")), ("bytes", 10), ("done", None)]

    assert make_progress(False, total=10, description="d")._callback is None

    def mode_of(sink: ProgressSink) -> str:
        assert isinstance(sink._callback, TrackedTransfer)
        return sink._callback._display.mode

    monkeypatch.delenv("METHODIC_PROGRESS", raising=False)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False)
    assert mode_of(make_progress(None, total=10, description="d")) == "lines"  # no terminal: plain lines
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    bar = make_progress(None, total=10, description="d")
    assert mode_of(bar) == "bar"
    bar.on_bytes(10)
    bar.on_done()
    monkeypatch.setenv("METHODIC_PROGRESS", "0")
    assert make_progress(None, total=10, description="d")._callback is None  # the environment turns it off
    assert mode_of(make_progress(True, total=10, description="d")) == "bar"  # unless asked for explicitly

    shared = TransferDisplay("off")
    monkeypatch.delenv("METHODIC_PROGRESS")
    one = make_progress(None, total=10, description="a", display=shared, files=2)
    two = make_progress(None, total=30, description="b", display=shared, files=1)
    one.on_file_done()
    assert (shared.state().total_bytes, shared.state().total_files, shared.state().done_files) == (40, 3, 1)
    one.on_done()
    two.on_done()


# -- over a real socket ------------------------------------------------------------------------------


def _storage_client() -> httpx.Client:
    return httpx.Client(timeout=30)


def test_wire_upload_has_content_length_no_chunking_no_auth_and_identical_body(
    tmp_path: Path, local_storage: LocalStorage
) -> None:
    path = tmp_path / "big.bin"
    path.write_bytes(os.urandom(20 * (1 << 20) + 123))
    url = f"{local_storage.url}/bucket/big.bin?X-Amz-Signature=topsecret"
    count = CountingProgress()
    sink = ProgressSink(count, path.stat().st_size, "big")
    with _storage_client() as client:
        result = upload_file(client, url, path, content_type="application/x-test", progress=sink, retry=NO_SLEEP)
    (request,) = local_storage.state.requests
    headers = {k.lower(): v for k, v in request.headers.items()}
    assert headers["content-length"] == str(path.stat().st_size)
    assert "transfer-encoding" not in headers and "authorization" not in headers
    assert headers["content-type"] == "application/x-test"
    assert request.body == path.read_bytes()
    assert result.sha256 == request.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert count.counted == result.size == path.stat().st_size


def test_wire_upload_of_200_mb_keeps_memory_flat(tmp_path: Path, local_storage: LocalStorage) -> None:
    path = tmp_path / "huge.bin"
    with path.open("wb") as f:
        block = os.urandom(1 << 20)
        for _ in range(200):
            f.write(block)
    url = f"{local_storage.url}/bucket/huge.bin?sig=x"
    with _storage_client() as client:
        tracemalloc.start()
        try:
            tracemalloc.reset_peak()
            base = tracemalloc.get_traced_memory()[0]
            result = upload_file(client, url, path, retry=NO_SLEEP)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert result.size == 200 * (1 << 20)
    assert local_storage.state.requests[0].size == result.size
    assert peak - base < 16 * (1 << 20), f"peak grew by {(peak - base) / (1 << 20):.1f} MiB"


def test_wire_download_survives_a_dropped_connection_and_renames_into_place(
    tmp_path: Path, local_storage: LocalStorage
) -> None:
    data = os.urandom(3 * (1 << 20) + 7)
    local_storage.state.objects["/bucket/ckpt.bin"] = data
    local_storage.state.drop_next_gets = 1
    local_storage.state.drop_after = 100_000
    dest = tmp_path / "out" / "ckpt.bin"
    dest.parent.mkdir()
    count = CountingProgress()
    sink = ProgressSink(count, len(data), "dl")
    with _storage_client() as client:
        result = download_file(
            client,
            f"{local_storage.url}/bucket/ckpt.bin?sig=topsecret",
            dest,
            expected_size=len(data),
            expected_sha256=hashlib.sha256(data).hexdigest(),
            progress=sink,
            retry=NO_SLEEP,
            fsync=True,
        )
    gets = [r for r in local_storage.state.requests if r.method == "GET"]
    assert len(gets) == 2 and all("authorization" not in {k.lower() for k in r.headers} for r in gets)
    assert dest.read_bytes() == data and result.size == len(data)
    assert count.counted == len(data)  # the 100 kB of the dropped attempt were not counted twice
    assert [p.name for p in dest.parent.iterdir()] == ["ckpt.bin"]


def test_wire_download_checksum_mismatch_leaves_no_file(tmp_path: Path, local_storage: LocalStorage) -> None:
    data = os.urandom(1 << 20)
    local_storage.state.objects["/bucket/x.bin"] = data
    dest = tmp_path / "x.bin"
    partials: list[str] = []
    real_mkstemp = tempfile.mkstemp

    def spying_mkstemp(**kwargs: Any) -> tuple[int, str]:
        fd, name = real_mkstemp(**kwargs)
        partials.append(name)
        return fd, name

    with _storage_client() as client, pytest.MonkeyPatch.context() as mp:
        mp.setattr("methodic.transfer.get.tempfile.mkstemp", spying_mkstemp)
        with pytest.raises(IntegrityError, match="does not match"):
            download_file(
                client, f"{local_storage.url}/bucket/x.bin?sig=s", dest, expected_sha256="ab" * 32, retry=NO_SLEEP
            )
    assert len(partials) == 1 and Path(partials[0]).name.startswith(".methodic-")
    assert Path(partials[0]).name.endswith(".partial")
    assert Path(partials[0]).parent == tmp_path
    assert list(tmp_path.iterdir()) == []


def test_redacting_twice_changes_nothing() -> None:
    from methodic._redact import redact_text, redact_url

    once = redact_text(f"GET {redact_url('https://b.s3.example/k?X-Amz-Signature=topsecret')} failed")
    assert once == "GET https://b.s3.example/k?<redacted> failed"
    assert redact_text(once) == once
