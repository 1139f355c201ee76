"""Fixtures for the hosted-wire tests: the published client's venv (built once, cached outside the checkout).

The published client (``methodic-research==0.55.0``) imports as ``methodic``, like ours, so it lives in
a venv of its own and runs only as a subprocess. ``METHODIC_HOSTED_VENV`` overrides where that venv is
cached (default ``~/.cache/methodic-tests/hosted-0.55.0``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hosted_wire._venv import HERE, HostedClient, IndexUnreachable, ensure_hosted_venv


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark this directory's tests ``hosted_wire`` (deselect with ``-m "not hosted_wire"``)."""
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.hosted_wire)


@pytest.fixture(scope="session")
def hosted() -> HostedClient:
    """The published client, installed by the test setup itself (CI machines start empty)."""
    try:
        python = ensure_hosted_venv()
    except IndexUnreachable as exc:
        pytest.skip(f"cannot install the published hosted client: {exc}")
    return HostedClient(python)
