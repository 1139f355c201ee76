"""Server tests drive the wire directly (tests/server/wire.py); these override the SDK-based fixtures."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from methodic_server import LocalChronicle
from tests.server.wire import Wire


@pytest.fixture
def wire(server: LocalChronicle) -> Iterator[Wire]:
    """A raw-HTTP client with the server's key."""
    client = Wire(server)
    yield client
    client.close()


@pytest.fixture
def committed_run(wire: Wire) -> tuple[str, int, int]:
    """An experiment with a committed variation 0 and its pending run 0 (set up over raw HTTP)."""
    return (wire.committed(), 0, 0)
