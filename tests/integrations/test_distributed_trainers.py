"""Two processes under torchrun (gloo, CPU): exactly one complete asset per save, and resume on every rank."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("transformers")
pytest.importorskip("accelerate")

from methodic import Chronicle
from methodic_server import LocalChronicle
from tests.integrations.conftest import EXAMPLES


def _torchrun(server: LocalChronicle, triple: tuple[str, int, int], script: str, *args: str) -> None:
    exp_id, v, r = triple
    env = dict(
        os.environ,
        CHRONICLE_SERVER_URL=server.url,
        CHRONICLE_API_KEY=server.api_key,
        CHRONICLE_EXPERIMENT_ID=exp_id,
        CHRONICLE_VARIATION=str(v),
        CHRONICLE_RUN=str(r),
        OMP_NUM_THREADS="1",
    )
    command = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2"]
    done = subprocess.run(
        [*command, str(EXAMPLES / script), *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-4000:]


def _checkpoint_files(client: Chronicle, exp_id: str, v: int) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for asset in client.variation(exp_id, v).list_outputs():
        if asset.asset_type == "checkpoint":
            assert asset.state == "ready"
            found[asset.asset_config["step"]] = sorted(c["name"] for c in asset["components"])
    return found


def test_hf_trainer_on_two_processes_makes_one_complete_asset_per_save_and_resumes(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    exp_id, v, r = committed_run
    _torchrun(
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
    checkpoints = _checkpoint_files(client, exp_id, v)
    assert sorted(checkpoints) == [2, 4, 6]  # one asset per save, not one per process
    for files in checkpoints.values():
        assert {"model.safetensors", "optimizer.pt", "scheduler.pt", "trainer_state.json"} <= set(files)
        assert {"rng_state_0.pth", "rng_state_1.pth"} <= set(files)  # rank 1's file was not missed

    continuation = client.variation(exp_id, v).resume()
    _torchrun(
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
    assert sorted(_checkpoint_files(client, exp_id, v)) == [2, 4, 6, 8]  # resumed at 6: only step 8 is new
    state = json.loads((tmp_path / "second" / "checkpoint-8" / "trainer_state.json").read_text())
    assert state["global_step"] == 8


def test_accelerate_on_two_processes_saves_once_with_every_rank_file_and_loads_on_every_process(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    exp_id, v, r = committed_run
    _torchrun(
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
    checkpoints = _checkpoint_files(client, exp_id, v)
    assert sorted(checkpoints) == [4, 8, 12]
    for files in checkpoints.values():
        assert files == ["model.safetensors", "optimizer.bin", "random_states_0.pkl", "random_states_1.pkl"]

    continuation = client.variation(exp_id, v).resume()
    losses = tmp_path / "losses.json"
    _torchrun(
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
    assert sorted(_checkpoint_files(client, exp_id, v)) == [4, 8, 12, 16]
    assert (tmp_path / "second" / "resume" / "checkpoint-12" / "random_states_1.pkl").is_file()


def _two_nodes(server: LocalChronicle, triple: tuple[str, int, int], script: str, *args: str, base: Path) -> None:
    """Two torchrun agents on this machine, one process each, each with its own folder standing in for a disk."""
    import socket

    exp_id, v, r = triple
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(
        os.environ,
        CHRONICLE_SERVER_URL=server.url,
        CHRONICLE_API_KEY=server.api_key,
        CHRONICLE_EXPERIMENT_ID=exp_id,
        CHRONICLE_VARIATION=str(v),
        CHRONICLE_RUN=str(r),
        OMP_NUM_THREADS="1",
    )
    nodes = []
    for node in (0, 1):
        command = [
            sys.executable, "-m", "torch.distributed.run", "--nnodes", "2", "--nproc_per_node", "1",
            "--node_rank", str(node), "--rdzv_backend", "static", "--master_addr", "127.0.0.1",
            "--master_port", str(port), str(EXAMPLES / script), "--output-dir", str(base / f"node{node}"), *args,
        ]  # fmt: skip
        nodes.append(subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    for proc in nodes:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err[-4000:]


def test_accelerate_on_two_nodes_without_a_shared_disk_uploads_one_asset_from_both(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    exp_id, v, r = committed_run
    _two_nodes(
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
    checkpoints = _checkpoint_files(client, exp_id, v)
    assert sorted(checkpoints) == [4, 8]
    for files in checkpoints.values():  # the model from node 0's disk, each node's own RNG state
        assert files == ["model.safetensors", "optimizer.bin", "random_states_0.pkl", "random_states_1.pkl"]
    assert not (tmp_path / "node1" / "checkpoint-4" / "model.safetensors").exists()  # truly node-local


def test_hf_trainer_on_two_nodes_without_a_shared_disk_makes_one_complete_asset_per_save(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    exp_id, v, r = committed_run
    _two_nodes(
        server, committed_run, "hf_trainer.py", "--max-steps", "4", "--save-steps", "2", "--node-local", base=tmp_path
    )
    assert client.run(exp_id, v, r).state == "succeeded"
    checkpoints = _checkpoint_files(client, exp_id, v)
    assert sorted(checkpoints) == [2, 4]  # one asset per save, from both nodes
    for files in checkpoints.values():
        assert {"model.safetensors", "optimizer.pt", "trainer_state.json", "rng_state_0.pth", "rng_state_1.pth"} <= set(
            files
        )
    assert not (tmp_path / "node1" / "checkpoint-2" / "model.safetensors").exists()  # node 1 wrote only its RNG state
