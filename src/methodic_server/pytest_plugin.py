"""pytest fixtures for code that talks to Chronicle: ``chronicle_server`` and ``chronicle``.

Opt in from a ``conftest.py`` with ``pytest_plugins = ["methodic_server.pytest_plugin"]``, or on the
command line with ``-p methodic_server.pytest_plugin``. It is deliberately not auto-loaded through a
``pytest11`` entry point: fixtures named ``chronicle`` would otherwise appear in (and could shadow
fixtures of) every project that merely installs the SDK.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from methodic import Chronicle
from methodic_server.testing import LocalChronicle


@pytest.fixture
def chronicle_server() -> Iterator[LocalChronicle]:
    """A fresh local Chronicle for one test, validating every request and response against the contract."""
    with LocalChronicle(validate_contract=True) as server:
        yield server


@pytest.fixture
def chronicle(chronicle_server: LocalChronicle) -> Iterator[Chronicle]:
    """A ``methodic.Chronicle`` client connected to ``chronicle_server``, closed after the test."""
    with Chronicle(chronicle_server.url, chronicle_server.api_key) as client:
        yield client
