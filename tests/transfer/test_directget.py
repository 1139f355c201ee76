"""Downloads over http.client (the fast path) behave exactly like the httpx path, over a real socket."""

from __future__ import annotations

import hashlib
import os
import socket
from pathlib import Path

import httpx
import pytest

from methodic import Chronicle
from methodic.errors import StorageError
from methodic.transfer.config import RetryPolicy
from methodic.transfer.directget import DirectGetter
from methodic.transfer.get import download_file
from methodic.transfer.progress import ProgressSink
from methodic_server import LocalChronicle
from tests.transfer.local_storage import LocalStorage
from tests.transfer.progress import CountingProgress

NO_SLEEP = RetryPolicy(max_attempts=3, sleep=lambda s: None)
ONE_ATTEMPT = RetryPolicy(max_attempts=1, sleep=lambda s: None)


@pytest.fixture(params=["direct", "httpx"])
def direct(request: pytest.FixtureRequest) -> DirectGetter | None:
    return DirectGetter(timeout=5, user_agent="methodic-test") if request.param == "direct" else None


def _put(storage: LocalStorage, name: str, size: int) -> bytes:
    data = os.urandom(size)
    storage.state.objects[f"/bucket/{name}"] = data
    return data


def _get(
    storage: LocalStorage,
    name: str,
    dest: Path,
    direct: DirectGetter | None,
    retry: RetryPolicy = NO_SLEEP,
    **kw: object,
) -> int:
    with httpx.Client(timeout=5) as client:
        return download_file(
            client,
            f"{storage.url}/bucket/{name}?X-Amz-Signature=topsecret",
            dest,
            retry=retry,
            direct=direct,
            **kw,  # type: ignore[arg-type]
        ).size


def test_download_is_byte_identical_with_exact_progress(
    tmp_path: Path, local_storage: LocalStorage, direct: DirectGetter | None
) -> None:
    data = _put(local_storage, "a.bin", 5 * (1 << 20) + 3)
    count = CountingProgress()
    sink = ProgressSink(count, len(data), "a")
    size = _get(
        local_storage,
        "a.bin",
        tmp_path / "a.bin",
        direct,
        expected_size=len(data),
        expected_sha256=hashlib.sha256(data).hexdigest(),
        progress=sink,
    )
    assert size == len(data) and (tmp_path / "a.bin").read_bytes() == data and count.counted == len(data)
    (request,) = local_storage.state.requests
    headers = {k.lower(): v for k, v in request.headers.items()}
    assert "authorization" not in headers


def test_a_body_cut_short_is_retried_and_counted_once(
    tmp_path: Path, local_storage: LocalStorage, direct: DirectGetter | None
) -> None:
    data = _put(local_storage, "b.bin", 3 * (1 << 20))
    local_storage.state.drop_next_gets = 1
    local_storage.state.drop_after = 1_500_000
    count = CountingProgress()
    size = _get(
        local_storage,
        "b.bin",
        tmp_path / "b.bin",
        direct,
        expected_size=len(data),
        expected_sha256=hashlib.sha256(data).hexdigest(),
        progress=ProgressSink(count, len(data), "b"),
    )
    assert size == len(data) and (tmp_path / "b.bin").read_bytes() == data
    assert count.counted == len(data)
    assert len(local_storage.state.requests) == 2
    assert [p.name for p in tmp_path.iterdir()] == ["b.bin"]


def test_a_cut_body_without_expected_size_is_still_an_error(
    tmp_path: Path, local_storage: LocalStorage, direct: DirectGetter | None
) -> None:
    _put(local_storage, "c.bin", 2 * (1 << 20))
    local_storage.state.drop_next_gets = 5
    with pytest.raises(StorageError, match="giving up") as info:
        _get(local_storage, "c.bin", tmp_path / "c.bin", direct)
    assert "topsecret" not in str(info.value)
    assert list(tmp_path.iterdir()) == []


def test_error_status_carries_the_s3_code_and_never_the_signature(
    tmp_path: Path, local_storage: LocalStorage, direct: DirectGetter | None
) -> None:
    with pytest.raises(StorageError) as info:
        _get(local_storage, "missing.bin", tmp_path / "m.bin", direct)
    assert info.value.status_code == 404 and info.value.code == "NoSuchKey"
    assert "not here" in str(info.value) and "topsecret" not in str(info.value)
    assert list(tmp_path.iterdir()) == []


def test_a_stalled_body_times_out_and_is_retried(tmp_path: Path, local_storage: LocalStorage) -> None:
    data = _put(local_storage, "s.bin", 1 << 20)
    local_storage.state.stall_next_gets = 1
    local_storage.state.stall_seconds = 1.0
    getter = DirectGetter(timeout=0.3, user_agent="t")
    with httpx.Client(timeout=0.3) as client:
        result = download_file(
            client, f"{local_storage.url}/bucket/s.bin?sig=x", tmp_path / "s.bin", retry=NO_SLEEP, direct=getter
        )
    assert result.size == len(data) and len(local_storage.state.requests) == 2


def test_connections_are_reused_and_a_silently_closed_one_is_replaced(
    tmp_path: Path, local_storage: LocalStorage
) -> None:
    getter = DirectGetter(timeout=5, user_agent="t")
    for i in range(3):
        _put(local_storage, f"{i}.bin", 100_000)
    _get(local_storage, "0.bin", tmp_path / "0.bin", getter, retry=ONE_ATTEMPT)
    _get(local_storage, "1.bin", tmp_path / "1.bin", getter, retry=ONE_ATTEMPT)
    ports = [r.port for r in local_storage.state.requests]
    assert ports[0] == ports[1]  # kept alive
    local_storage.state.silently_close_next_gets = 1
    _get(local_storage, "2.bin", tmp_path / "2.bin", getter, retry=ONE_ATTEMPT)  # closes behind our back
    _get(local_storage, "0.bin", tmp_path / "0b.bin", getter, retry=ONE_ATTEMPT)  # stale socket: one fresh try
    ports = [r.port for r in local_storage.state.requests]
    assert ports[2] == ports[1] and ports[3] != ports[2]
    assert (tmp_path / "0b.bin").read_bytes() == (tmp_path / "0.bin").read_bytes()
    getter.close_idle()
    getter.close_idle()


def test_connection_refused_is_retried_then_reported_without_the_signature(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    getter = DirectGetter(timeout=2, user_agent="t")
    with httpx.Client() as client, pytest.raises(StorageError, match="ConnectError") as info:
        download_file(
            client, f"http://127.0.0.1:{port}/b/x.bin?sig=topsecret", tmp_path / "x", retry=NO_SLEEP, direct=getter
        )
    assert "topsecret" not in str(info.value) and "after 3 attempts" in str(info.value)


def test_only_plain_http_and_https_without_an_environment_proxy_are_eligible(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in (
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "NO_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
        "no_proxy",
    ):
        monkeypatch.delenv(var, raising=False)
    getter = DirectGetter(timeout=1, user_agent="t")
    assert getter.eligible("http://127.0.0.1:9/b/x?sig=1") and getter.eligible("https://bucket.s3.amazonaws.com/x")
    assert not getter.eligible("ftp://host/x") and not getter.eligible("file:///etc/passwd")
    monkeypatch.setenv("https_proxy", "http://proxy.internal:3128")
    assert not getter.eligible("https://bucket.s3.amazonaws.com/x")
    assert getter.eligible("http://127.0.0.1:9/x")  # the proxy is for https only
    monkeypatch.setenv("no_proxy", "amazonaws.com")
    assert getter.eligible("https://bucket.s3.amazonaws.com/x")


def test_chronicle_uses_the_fast_path_unless_a_storage_transport_is_given(
    server: LocalChronicle, tmp_path: Path
) -> None:
    with Chronicle(server.url, server.api_key) as plain:
        assert plain.transfers.downloads.direct is not None
    with Chronicle(server.url, server.api_key, storage_transport=httpx.HTTPTransport()) as custom:
        assert custom.transfers.downloads.direct is None


def test_the_fast_path_is_really_taken(tmp_path: Path, local_storage: LocalStorage) -> None:
    _put(local_storage, "ua.bin", 1000)
    _get(local_storage, "ua.bin", tmp_path / "ua.bin", DirectGetter(timeout=5, user_agent="methodic-direct"))
    assert local_storage.state.requests[0].headers["User-Agent"] == "methodic-direct"


@pytest.mark.parametrize("name", ["with space.bin", "ünïcode.bin"])
def test_names_that_need_percent_encoding_download_on_both_paths(
    tmp_path: Path, local_storage: LocalStorage, direct: DirectGetter | None, name: str
) -> None:
    from urllib.parse import quote

    data = os.urandom(5000)
    local_storage.state.objects[f"/bucket/{quote(name)}"] = data  # what arrives on the wire is encoded
    with httpx.Client(timeout=5) as client:
        download_file(
            client, f"{local_storage.url}/bucket/{name}?X-Amz-Signature=topsecret", tmp_path / "out", direct=direct
        )
    assert (tmp_path / "out").read_bytes() == data


def test_a_server_that_stalls_before_answering_gets_one_request_per_attempt(
    tmp_path: Path, local_storage: LocalStorage
) -> None:
    _put(local_storage, "slow.bin", 1000)
    getter = DirectGetter(timeout=0.3, user_agent="t")
    _get(local_storage, "slow.bin", tmp_path / "a.bin", getter, retry=ONE_ATTEMPT)  # leaves a kept-alive socket
    local_storage.state.stall_before_headers_next_gets = 1
    local_storage.state.stall_seconds = 1.0
    with pytest.raises(StorageError, match="ReadTimeout"):
        _get(local_storage, "slow.bin", tmp_path / "b.bin", getter, retry=ONE_ATTEMPT)
    assert len(local_storage.state.requests) == 2  # the reused socket's timeout is not retried behind the policy


def test_connections_of_finished_threads_are_closed_and_forgotten(tmp_path: Path, local_storage: LocalStorage) -> None:
    import threading

    _put(local_storage, "t.bin", 1000)
    getter = DirectGetter(timeout=5, user_agent="t")
    for round_ in range(3):
        threads = [
            threading.Thread(target=_get, args=(local_storage, "t.bin", tmp_path / f"{round_}-{i}", getter))
            for i in range(4)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        getter.close_idle()
        assert getter._pools == []  # nothing accumulates across download calls
    assert len({r.port for r in local_storage.state.requests}) == 12  # every thread had its own connection
