"""Shared fixtures. Integration tests talk HTTP to a real LocalChronicle (API + storage threads on 127.0.0.1).

Contract validation is on: every request and response is checked against openapi.yaml, and any
violation fails the test at teardown.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator

import pytest

from methodic import Chronicle
from methodic.transfer.staging_roots import STAGING_DIR_ENV
from methodic_server import LocalChronicle
from tests.helpers import CONFIG, contract_checked

# A suite started from a background shell (`nohup make test &`) inherits SIGINT ignored, and every process it
# starts would too: the Ctrl-C tests' children would never see their KeyboardInterrupt. Caught here, SIGINT
# is back to its default in each child.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(autouse=True)
def _staging_of_its_own(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test (and every process it starts) stages into a folder of its own, not the user's cache.

    Tests of the automatic choice of staging root remove ``METHODIC_STAGING_DIR`` again.
    """
    monkeypatch.setenv(STAGING_DIR_ENV, str(tmp_path_factory.mktemp("staging")))


@pytest.fixture
def server() -> Iterator[LocalChronicle]:
    with contract_checked() as srv:
        yield srv


@pytest.fixture
def client(server: LocalChronicle) -> Iterator[Chronicle]:
    with Chronicle(server.url, server.api_key) as chronicle:
        yield chronicle


@pytest.fixture
def committed_run(client: Chronicle) -> tuple[str, int, int]:
    """An experiment with a committed variation 0 and its pending run 0."""
    exp = client.experiments.create(title="t", hypothesis_summary="h", config_yaml=CONFIG)
    exp.commit()
    client.variation(exp.id, 0).commit(commit_without_hypothesis=True)
    return (exp.id, 0, 0)
