"""Fixtures of the transfer-engine tests: a real HTTP storage stand-in (tests/transfer/local_storage.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.transfer.local_storage import LocalStorage, local_storage_server


@pytest.fixture
def local_storage() -> Iterator[LocalStorage]:
    with local_storage_server() as storage:
        yield storage
