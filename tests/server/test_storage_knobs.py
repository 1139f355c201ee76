"""Knobs that make the local storage behave like cloud storage, on ``methodic dev-server`` and ``LocalChronicle``."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import httpx
import pytest

from methodic import Chronicle
from methodic_server import LocalChronicle

MiB = 1 << 20


def _presigned_put(client: Chronicle, name: str = "x.bin") -> str:
    exp = client.experiments.create(title="t", hypothesis_summary="h", config_yaml="lr: 1")
    created = client.assets.create_with_presigned(
        asset_type="checkpoint", components=[name], output_of={"experiment_id": exp.id}
    )
    return created.upload_urls[name]


def test_dev_server_flags_reach_the_storage_service() -> None:
    args = ["--max-single-put-bytes", "1000", "--per-connection-bytes-per-second", str(64 * MiB)]
    child = subprocess.Popen(
        [sys.executable, "-m", "methodic", "dev-server", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        lines: dict[str, str] = {}
        while "API key" not in lines:
            line = child.stdout.readline()
            assert line, child.stderr.read() if child.stderr else "dev-server exited"
            key, _, value = line.partition(": ")
            lines[key.strip()] = value.strip()
        with Chronicle(lines["Chronicle API"], lines["API key"]) as client:
            url = _presigned_put(client)
            refused = httpx.put(url, content=b"x" * 1001)
            accepted = httpx.put(url, content=b"x" * 1000)
        assert refused.status_code == 400 and refused.json()["code"] == "EntityTooLarge"
        assert accepted.status_code == 200
    finally:
        child.send_signal(signal.SIGINT)
        child.wait(20)


def test_storage_s3_needs_a_bucket() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "methodic", "dev-server", "--storage", "s3"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 2 and "--s3-bucket" in result.stderr


def test_each_connection_is_paced_to_the_configured_rate() -> None:
    rate = 4 * MiB
    with (
        LocalChronicle(per_connection_bytes_per_second=rate) as server,
        Chronicle(server.url, server.api_key) as client,
    ):
        url = _presigned_put(client)
        body = os.urandom(2 * MiB)
        started = time.monotonic()
        assert httpx.put(url, content=body, timeout=30).status_code == 200
        put_seconds = time.monotonic() - started
    # 2 MiB at 4 MiB/s cannot take less than half a second (the pacing is a floor, not a timing claim).
    assert put_seconds >= 0.45


@pytest.mark.parametrize("rate", [None, 8 * MiB])
def test_ranged_reads_serve_exact_bytes_with_or_without_pacing(rate: int | None) -> None:
    with (
        LocalChronicle(per_connection_bytes_per_second=rate) as server,
        Chronicle(server.url, server.api_key) as client,
    ):
        url = _presigned_put(client, "r.bin")
        body = os.urandom(3 * MiB + 5)
        assert httpx.put(url, content=body).status_code == 200
        asset_id = url.split("/objects/")[1].split("/")[0]
        import hashlib

        from methodic.types import ComponentDigest

        client.assets.finalize(
            asset_id, components={"r.bin": ComponentDigest(len(body), hashlib.sha256(body).hexdigest())}
        )
        read_url = client.assets.presign(asset_id, operation="read").urls["r.bin"]
        started = time.monotonic()
        ranged = httpx.get(read_url, headers={"Range": f"bytes={MiB}-{3 * MiB}"})
        elapsed = time.monotonic() - started
    assert ranged.status_code == 206 and ranged.content == body[MiB : 3 * MiB + 1]
    assert ranged.headers["Content-Range"] == f"bytes {MiB}-{3 * MiB}/{len(body)}"
    if rate:
        assert elapsed >= (2 * MiB) / rate * 0.9
