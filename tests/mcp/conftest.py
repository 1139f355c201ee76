"""A server and an MCP client on it, shared by a module's tests (each test makes the objects it needs)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from methodic_server import LocalChronicle
from tests.mcp.jsonrpc import McpClient
from tests.server.wire import Wire


@pytest.fixture(scope="module")
def mcp_server() -> Iterator[LocalChronicle]:
    """One server per module, its responses checked against the contract."""
    with LocalChronicle(validate_contract=True) as srv:
        yield srv
        assert srv.contract_violations == [], srv.contract_violations


@pytest.fixture(scope="module")
def mcp(mcp_server: LocalChronicle) -> Iterator[McpClient]:
    """The MCP client with the server's key."""
    client = McpClient(mcp_server.url, mcp_server.api_key)
    yield client
    client.close()


@pytest.fixture(scope="module")
def rest(mcp_server: LocalChronicle) -> Iterator[Wire]:
    """The REST wire with the same key, to compare a tool with the operation it stands for."""
    client = Wire(mcp_server)
    yield client
    client.close()
