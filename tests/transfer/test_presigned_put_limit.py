"""Presigned PUTs (the ``gcs`` route) over real HTTP to the local Chronicle: the storage's single-PUT limit.

Big files on the gateway's route go up in parts: see test_gateway_multipart.py.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from methodic import Chronicle
from methodic.errors import StorageError
from methodic.transfer.upload import OutputTarget
from methodic_server import LocalChronicle

MiB = 1 << 20


def write_random(path: Path, size: int, seed: int = 0) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    block = hashlib.sha256(str(seed).encode()).digest() * 32768
    with path.open("wb") as f:
        written = 0
        while written < size:
            chunk = block[: size - written]
            f.write(hashlib.sha256(written.to_bytes(8, "big")).digest() + chunk[32:])
            written += len(chunk)
    return path


@pytest.fixture
def local() -> Iterator[LocalChronicle]:
    with LocalChronicle(validate_contract=True, max_single_put_bytes=5 * MiB, upload_route="gcs") as srv:
        yield srv
        assert srv.contract_violations == [], srv.contract_violations


def experiment(client: Chronicle) -> OutputTarget:
    exp = client.experiments.create(title="t", hypothesis_summary="h", config_yaml="lr: 1")
    return OutputTarget(exp.id)


def test_a_single_put_over_the_limit_is_refused_with_entity_too_large(local: LocalChronicle, tmp_path: Path) -> None:
    big = write_random(tmp_path / "big.bin", 5 * MiB + 1)
    with Chronicle(local.url, local.api_key) as client:
        target = experiment(client)
        created = client.assets.create_with_presigned(
            asset_type="checkpoint", components=["big.bin"], output_of={"experiment_id": target.experiment_id}
        )
        with pytest.raises(StorageError) as caught:
            client.assets.upload_component(created.upload_urls["big.bin"], big)
    assert caught.value.status_code == 400 and caught.value.code == "EntityTooLarge"
    assert "signature=" not in str(caught.value)
