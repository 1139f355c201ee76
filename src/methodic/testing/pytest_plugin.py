"""pytest fixtures for code that talks to Chronicle: ``chronicle_server`` and ``chronicle``.

Enable with ``-p methodic.testing.pytest_plugin`` (it is also registered as the ``methodic`` entry
point). Nothing heavy is imported until a fixture is used.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from methodic import Chronicle
    from methodic.testing import LocalChronicle


@pytest.fixture
def chronicle_server() -> Iterator[LocalChronicle]:
    """A fresh local Chronicle for one test, validating every request and response against the contract."""
    from methodic.testing import LocalChronicle

    with LocalChronicle(validate_contract=True) as server:
        yield server


@pytest.fixture
def chronicle(chronicle_server: LocalChronicle) -> Iterator[Chronicle]:
    """A ``Chronicle`` client connected to ``chronicle_server``, closed after the test."""
    with chronicle_server.client() as client:
        yield client
