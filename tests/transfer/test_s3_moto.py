"""The SDK's transfers against real S3 wire protocol: the server presigns with boto3, moto's S3 server stores.

moto's S3 server (moto[server]) runs on 127.0.0.1 in this process; the local Chronicle API is started
with ``storage="s3"``, exactly as ``methodic dev-server --storage s3 --s3-bucket B --s3-endpoint-url URL``.
Covered: single PUT, multipart (5 MiB parts, S3's minimum), ranged GETs (one per part, or the whole
component in one GET with ``download_range_size``, as moto needs for big objects), resume of a part that landed
after the last tracker write (recognised by S3's md5 ETag), S3's XML error bodies as typed errors, and
finalize's server-side verification. moto enforces neither signatures nor expiry (measured, see
toolchain-measurements.md), so expired URLs are tested against the local storage service instead.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections.abc import Iterator
from pathlib import Path

import boto3
import httpx
import pytest
from moto.server import ThreadedMotoServer

from methodic import Chronicle
from methodic.errors import ConflictError, DownloadError, StorageError
from methodic.types import ComponentDigest
from methodic_server import LocalChronicle
from tests.helpers import sha256_file, write_random
from tests.transfer.moto_process import MotoProcess
from tests.transfer.parts import experiment

MiB = 1 << 20
BUCKET = "methodic-test"


@pytest.fixture(scope="module")
def moto_endpoint() -> Iterator[str]:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's request log would print presigned URLs
    saved = {k: os.environ.get(k) for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION")}
    os.environ.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing", AWS_DEFAULT_REGION="us-east-1")
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    boto3.client("s3", endpoint_url=endpoint).create_bucket(Bucket=BUCKET)
    try:
        yield endpoint
    finally:
        server.stop()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture
def s3_chronicle(moto_endpoint: str) -> Iterator[LocalChronicle]:
    with LocalChronicle(validate_contract=True, storage="s3", s3_bucket=BUCKET, s3_endpoint_url=moto_endpoint) as srv:
        yield srv
        assert srv.contract_violations == [], srv.contract_violations


class CountingTransport(httpx.HTTPTransport):
    """The real HTTP transport, counting the request body bytes it sends (what storage received)."""

    sent = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        length = int(request.headers.get("Content-Length") or 0)
        response = super().handle_request(request)
        if request.method == "PUT" and response.is_success:
            CountingTransport.sent += length
        return response


def s3_parts(server: LocalChronicle, **kwargs: object) -> Chronicle:
    return Chronicle(
        server.url, server.api_key, max_upload_workers=4, multipart_threshold=6 * MiB, min_part_size=5 * MiB, **kwargs
    )


def test_a_checkpoint_round_trips_through_s3_one_presigned_put_per_file(
    s3_chronicle: LocalChronicle, tmp_path: Path
) -> None:
    big = write_random(tmp_path / "ckpt" / "optimizer.pt", 12 * MiB + 7, seed=11)
    (tmp_path / "ckpt" / "config.json").write_text('{"lr": 1}')
    with s3_parts(s3_chronicle) as client:
        asset = (
            client.assets._transfers()
            .upload_directory(tmp_path / "ckpt", asset_type="checkpoint", output_of=experiment(client))
            .wait(120)
        )
        by_name = {c["name"]: c for c in asset.components}
        assert by_name["optimizer.pt"]["sha256"] == sha256_file(big)  # the gcs route: one streamed PUT per file
        assert by_name["config.json"]["sha256"] == hashlib.sha256(b'{"lr": 1}').hexdigest()
        client.assets.download(asset.id, tmp_path / "out")
    assert sha256_file(tmp_path / "out" / "optimizer.pt") == sha256_file(big)
    assert (tmp_path / "out" / "config.json").read_text() == '{"lr": 1}'


def test_s3_xml_errors_become_typed_storage_errors(
    s3_chronicle: LocalChronicle, moto_endpoint: str, tmp_path: Path
) -> None:
    (tmp_path / "ckpt").mkdir()
    (tmp_path / "ckpt" / "a.bin").write_bytes(b"abc")
    with s3_parts(s3_chronicle) as client:
        asset = (
            client.assets._transfers()
            .upload_directory(tmp_path / "ckpt", asset_type="checkpoint", output_of=experiment(client))
            .wait(60)
        )
        boto3.client("s3", endpoint_url=moto_endpoint).delete_object(Bucket=BUCKET, Key=f"{asset.id}/a.bin")
        with pytest.raises(DownloadError) as caught:
            client.assets.download(asset.id, tmp_path / "out")
    ((_, _, error),) = caught.value.failures
    assert isinstance(error, StorageError)
    assert (error.status_code, error.code) == (404, "NoSuchKey")
    assert "X-Amz-Signature" not in str(error) and "X-Amz-Signature" not in repr(error)


def test_finalize_verifies_what_the_bucket_holds(s3_chronicle: LocalChronicle, tmp_path: Path) -> None:
    path = tmp_path / "w.bin"
    path.write_bytes(os.urandom(100_000))
    with Chronicle(s3_chronicle.url, s3_chronicle.api_key) as client:
        target = experiment(client)
        created = client.assets.create_with_presigned(
            asset_type="weights", components=["w.bin"], output_of={"experiment_id": target.experiment_id}
        )
        sent = client.assets.upload_component(created.upload_urls["w.bin"], path)
        with pytest.raises(ConflictError) as caught:
            client.assets.finalize(created.asset_id, {"w.bin": "0" * 64})
        assert caught.value.code == "component_mismatch"
        with pytest.raises(ConflictError) as caught:
            client.assets.finalize(created.asset_id, components={"w.bin": ComponentDigest(sent.size, "0" * 64)})
        assert caught.value.code == "component_mismatch"
        assert client.assets.get(created.asset_id).state == "pending"
        ready = client.assets.finalize(created.asset_id, {"w.bin": sent})
    assert ready.state == "ready" and ready.components[0]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="the watchdog reads /proc")
def test_the_moto_watchdog_kills_moto_over_its_cap_and_fails_the_test_with_the_reason() -> None:
    """The guard of the huge moto test: an RSS over the cap kills moto_server, and check() says why."""
    with MotoProcess(rss_cap=8 << 30) as moto:
        assert moto.killed is None and moto.peak_rss > 0
        moto.rss_cap = 1 << 20  # any running Python is over 1 MiB
        for _ in range(100):
            if moto._proc is not None and moto._proc.poll() is not None:
                break
            time.sleep(0.05)
        assert moto.killed is not None and "over the cap" in moto.killed
        with pytest.raises(pytest.fail.Exception, match="the watchdog killed moto_server"):
            moto.check()
