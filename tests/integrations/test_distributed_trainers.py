"""Two processes under torchrun (gloo, CPU): exactly one complete asset per save, and resume on every rank."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("transformers")
pytest.importorskip("accelerate")

from methodic import Chronicle
from methodic_server import LocalChronicle
from tests.integrations.torchrun import checkpoint_files, one_node, two_nodes

pytestmark = pytest.mark.distributed  # torchrun: left out of `make test-fast`


def test_hf_trainer_on_two_processes_makes_one_complete_asset_per_save_and_resumes(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    exp_id, v, r = committed_run
    one_node(
        server,
        committed_run,
        "hf_trainer.py",
        "--output-dir",
        str(tmp_path / "first"),
        "--max-steps",
        "6",
        "--save-steps",
        "2",
    )
    assert client.run(exp_id, v, r).state == "succeeded"
    checkpoints = checkpoint_files(client, exp_id, v)
    assert sorted(checkpoints) == [2, 4, 6]  # one asset per save, not one per process
    for files in checkpoints.values():
        assert {"model.safetensors", "optimizer.pt", "scheduler.pt", "trainer_state.json"} <= set(files)
        assert {"rng_state_0.pth", "rng_state_1.pth"} <= set(files)  # rank 1's file was not missed

    continuation = client.run(exp_id, v, server.new_run(exp_id, v))
    one_node(
        server,
        (exp_id, v, continuation.run),
        "hf_trainer.py",
        "--output-dir",
        str(tmp_path / "second"),
        "--max-steps",
        "8",
        "--save-steps",
        "2",
    )
    assert continuation.refresh_state() == "succeeded"
    assert sorted(checkpoint_files(client, exp_id, v)) == [2, 4, 6, 8]  # resumed at 6: only step 8 is new
    state = json.loads((tmp_path / "second" / "checkpoint-8" / "trainer_state.json").read_text())
    assert state["global_step"] == 8


def test_accelerate_on_two_processes_saves_once_with_every_rank_file_and_loads_on_every_process(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    exp_id, v, r = committed_run
    one_node(
        server,
        committed_run,
        "accelerate_runner.py",
        "--output-dir",
        str(tmp_path / "first"),
        "--steps",
        "12",
        "--save-every",
        "4",
    )
    assert client.run(exp_id, v, r).state == "succeeded"
    checkpoints = checkpoint_files(client, exp_id, v)
    assert sorted(checkpoints) == [4, 8, 12]
    for files in checkpoints.values():
        assert files == ["model.safetensors", "optimizer.bin", "random_states_0.pkl", "random_states_1.pkl"]

    continuation = client.run(exp_id, v, server.new_run(exp_id, v))
    losses = tmp_path / "losses.json"
    one_node(
        server,
        (exp_id, v, continuation.run),
        "accelerate_runner.py",
        "--output-dir",
        str(tmp_path / "second"),
        "--steps",
        "16",
        "--save-every",
        "4",
        "--losses-to",
        str(losses),
    )
    assert continuation.refresh_state() == "succeeded"
    assert sorted(int(s) for s in json.loads(losses.read_text())) == [13, 14, 15, 16]
    assert sorted(checkpoint_files(client, exp_id, v)) == [4, 8, 12, 16]
    assert (tmp_path / "second" / "resume" / "checkpoint-12" / "random_states_1.pkl").is_file()


def test_accelerate_on_two_nodes_without_a_shared_disk_uploads_one_asset_from_both(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    exp_id, v, r = committed_run
    two_nodes(
        server,
        committed_run,
        "accelerate_runner.py",
        "--steps",
        "8",
        "--save-every",
        "4",
        "--node-local",
        base=tmp_path,
    )
    assert client.run(exp_id, v, r).state == "succeeded"
    checkpoints = checkpoint_files(client, exp_id, v)
    assert sorted(checkpoints) == [4, 8]
    for files in checkpoints.values():  # the model from node 0's disk, each node's own RNG state
        assert files == ["model.safetensors", "optimizer.bin", "random_states_0.pkl", "random_states_1.pkl"]
    assert not (tmp_path / "node1" / "checkpoint-4" / "model.safetensors").exists()  # truly node-local


def test_hf_trainer_on_two_nodes_without_a_shared_disk_makes_one_complete_asset_per_save(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    exp_id, v, r = committed_run
    two_nodes(
        server, committed_run, "hf_trainer.py", "--max-steps", "4", "--save-steps", "2", "--node-local", base=tmp_path
    )
    assert client.run(exp_id, v, r).state == "succeeded"
    checkpoints = checkpoint_files(client, exp_id, v)
    assert sorted(checkpoints) == [2, 4]  # one asset per save, from both nodes
    for files in checkpoints.values():
        assert {"model.safetensors", "optimizer.pt", "trainer_state.json", "rng_state_0.pth", "rng_state_1.pth"} <= set(
            files
        )
    assert not (tmp_path / "node1" / "checkpoint-2" / "model.safetensors").exists()  # node 1 wrote only its RNG state
