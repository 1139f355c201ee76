"""Fixtures of the transfer-engine tests: a real HTTP storage stand-in (tests/transfer/local_storage.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from methodic_server import LocalChronicle
from tests.transfer.local_storage import LocalStorage, local_storage_server
from tests.transfer.mixed_version import MiB


@pytest.fixture
def local_storage() -> Iterator[LocalStorage]:
    with local_storage_server() as storage:
        yield storage


@pytest.fixture
def slow_storage() -> Iterator[LocalChronicle]:
    # 3 MiB/s per connection: 24 parts over 4 workers take ~2 s, time enough to kill the child halfway.
    with LocalChronicle(validate_contract=True, per_connection_bytes_per_second=3 * MiB) as srv:
        yield srv
        assert srv.contract_violations == [], srv.contract_violations
