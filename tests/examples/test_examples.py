"""The PyTorch-style example runs its lifecycle against the local server (the trainer examples: tests/integrations)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from methodic import Chronicle
from methodic_server import LocalChronicle

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
sys.path.insert(0, str(EXAMPLES))

import pytorch_style  # noqa: E402


@pytest.mark.parametrize("runner", [pytorch_style.run_pytorch_style])
def test_example_trains_checkpoints_and_a_continuation_resumes(
    server: LocalChronicle,
    client: Chronicle,
    committed_run: tuple[str, int, int],
    tmp_path: Path,
    runner: Callable[[Chronicle, str, int, int, Path], int],
) -> None:
    exp_id, v, r = committed_run
    assert runner(client, exp_id, v, r, tmp_path / "first") == 0
    assert client.run(exp_id, v, r).state == "succeeded"
    checkpoints = [a for a in client.variation(exp_id, v).list_outputs() if a.asset_type == "checkpoint"]
    assert len(checkpoints) == 3 and all(a.state == "ready" for a in checkpoints)

    continuation = client.run(exp_id, v, server.new_run(exp_id, v))
    resumed_from = runner(client, exp_id, v, continuation.run, tmp_path / "second")
    assert resumed_from == 6  # the newest checkpoint was taken at step 5
    assert continuation.refresh_state() == "succeeded"
