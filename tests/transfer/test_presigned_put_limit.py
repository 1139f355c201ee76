"""Presigned PUTs (the ``gcs`` route) over real HTTP to the local Chronicle: the storage's single-PUT limit.

Big files on the gateway's route go up in parts: see test_gateway_multipart.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from methodic import Chronicle
from methodic.errors import StorageError
from methodic_server import LocalChronicle
from tests.helpers import contract_checked, write_random
from tests.transfer.parts import experiment

MiB = 1 << 20


@pytest.fixture
def local() -> Iterator[LocalChronicle]:
    with contract_checked(max_single_put_bytes=5 * MiB, upload_route="gcs") as srv:
        yield srv


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
