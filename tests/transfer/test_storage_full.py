"""A full storage (507 Insufficient Storage, or the code ``insufficient_storage``) fails at once, said plainly.

Retrying a full disk five times only delays the answer; the transient statuses (503, 500) are still retried.
Narrow tests over ``httpx.MockTransport``, then one over real HTTP with the local storage's fault knob.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import httpx
import pytest

from methodic import Chronicle, UploadTracker
from methodic.errors import ServerError, StorageError, StorageFullError, UploadError
from methodic.transfer.config import RetryPolicy
from methodic.transfer.futures import OutputTarget
from methodic.transfer.gateway_parts import GatewayParts
from methodic.transfer.get import download_file
from methodic.transfer.put import upload_file
from methodic.transfer.upload import Uploads
from methodic_server import LocalChronicle

MiB = 1 << 20
URL = "http://storage.test/objects/a/model.bin?expires=9&signature=topsecret"


class Sleeps:
    """A retry policy's sleep that records the waits instead of waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def answering(status: int, body: bytes, seen: list[httpx.Request], then: int = 200) -> httpx.MockTransport:
    """A storage that answers ``status`` with ``body`` to the first request, and ``then`` afterwards."""

    def handler(request: httpx.Request) -> httpx.Response:
        request.read()
        seen.append(request)
        if len(seen) == 1:
            return httpx.Response(status, content=body, headers={"ETag": '"e"'})
        return httpx.Response(then, headers={"ETag": '"e"'}, content=b"x" if request.method == "GET" else b"")

    return httpx.MockTransport(handler)


FULL_ANSWERS = [
    pytest.param(507, json.dumps({"code": "insufficient_storage", "message": "no space left"}).encode(), id="507-json"),
    pytest.param(507, b"", id="507-no-body"),
    pytest.param(500, json.dumps({"code": "insufficient_storage", "message": "disk full"}).encode(), id="500-code"),
    pytest.param(
        507,
        b"<Error><Code>XMinioStorageFull</Code><Message>Storage backend has reached its minimum free"
        b" drive threshold.</Message></Error>",
        id="507-minio",
    ),
]


@pytest.mark.parametrize(("status", "body"), FULL_ANSWERS)
def test_a_full_storage_fails_an_upload_at_once_and_says_so(tmp_path: Path, status: int, body: bytes) -> None:
    path = tmp_path / "model.bin"
    path.write_bytes(os.urandom(MiB + 3))
    seen: list[httpx.Request] = []
    sleeps = Sleeps()
    with httpx.Client(transport=answering(status, body, seen)) as client, pytest.raises(StorageFullError) as caught:
        upload_file(client, URL, path, retry=RetryPolicy(sleep=sleeps))
    assert len(seen) == 1 and sleeps.waits == []  # not retried, not waited on
    error = caught.value
    assert isinstance(error, StorageError) and error.status_code == status
    assert str(error).startswith("storage is full") and "model.bin" in str(error)
    assert "topsecret" not in str(error) and "giving up" not in str(error)


def test_a_full_storage_fails_a_part_and_a_download_at_once(tmp_path: Path) -> None:
    path = tmp_path / "model.bin"
    path.write_bytes(os.urandom(2 * MiB))
    body = json.dumps({"code": "insufficient_storage", "message": "no space left"}).encode()
    seen: list[httpx.Request] = []
    with httpx.Client(transport=answering(507, body, seen)) as client, pytest.raises(StorageFullError) as part:
        GatewayParts(client, URL, {}, RetryPolicy(sleep=Sleeps()), component="model.bin").put(
            "u1", 2, [b"x" * MiB], MiB
        )
    assert len(seen) == 1 and part.value.code == "insufficient_storage"
    seen.clear()
    with httpx.Client(transport=answering(507, body, seen)) as client, pytest.raises(StorageFullError):
        download_file(client, URL, tmp_path / "out.bin", retry=RetryPolicy(sleep=Sleeps()))
    assert len(seen) == 1 and not (tmp_path / "out.bin").exists()


def test_transient_errors_are_still_retried(tmp_path: Path) -> None:
    path = tmp_path / "model.bin"
    path.write_bytes(os.urandom(1000))
    for status in (500, 503):
        seen: list[httpx.Request] = []
        sleeps = Sleeps()
        body = json.dumps({"code": "internal", "message": "try again"}).encode()
        with httpx.Client(transport=answering(status, body, seen)) as client:
            upload_file(client, URL, path, retry=RetryPolicy(sleep=sleeps))
        assert len(seen) == 2 and len(sleeps.waits) == 1


def test_asset_operations_answered_507_are_not_retried() -> None:
    sleeps = Sleeps()
    unused: Any = None  # _retrying needs only the retry policy
    uploads = Uploads(unused, unused, unused, RetryPolicy(sleep=sleeps))
    calls: list[int] = []

    def full() -> None:
        calls.append(1)
        raise ServerError("storage is full", status_code=507, code="insufficient_storage")

    with pytest.raises(ServerError):
        uploads._retrying(full)
    assert len(calls) == 1 and sleeps.waits == []

    def busy() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise ServerError("busy", status_code=503, code="unavailable")
        return "done"

    calls.clear()
    assert uploads._retrying(busy) == "done" and len(calls) == 3


def test_a_507_from_the_local_storage_fails_the_upload_at_once_and_a_resume_finishes_it(tmp_path: Path) -> None:
    (tmp_path / "ckpt").mkdir()
    (tmp_path / "ckpt" / "model.bin").write_bytes(os.urandom(MiB))
    with LocalChronicle(validate_contract=True) as srv, Chronicle(srv.url, srv.api_key) as client:
        exp = client.experiments.create(title="t", hypothesis_summary="h", config_yaml="lr: 1")
        with UploadTracker(tmp_path / "uploads.sqlite") as tracker:
            # One 507: retried, the second attempt would pass. It must not be retried.
            srv.faults.fail_storage(1, 507)
            handle = client.assets._transfers().upload_directory(
                tmp_path / "ckpt", asset_type="checkpoint", output_of=OutputTarget(exp.id), tracker=tracker
            )
            with pytest.raises(UploadError) as caught:
                handle.wait(60)
            ((_, _, error),) = caught.value.failures
            assert isinstance(error, StorageFullError) and error.status_code == 507
            assert "storage is full" in str(error)
            assert client.assets.get(handle.asset_id).state == "pending"
            (asset,) = client.resume_uploads(tracker)  # space freed: the tracker finishes it
            assert asset.state == "ready"
        assert srv.contract_violations == []
