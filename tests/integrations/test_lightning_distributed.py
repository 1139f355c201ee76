"""Lightning sharded checkpoints on two nodes without a shared disk (torchrun, gloo, CPU, FSDP2).

Every rank writes its shard of each checkpoint under the same path, which on real nodes is each node's
own disk; here each node runs in its own mount namespace with its own folder at that path. The callback
with ``node_local=True`` must make one asset per save holding both nodes' files, and a continuation on
two nodes must resume from it, each node loading its shard from its own download.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("lightning")

from methodic import Chronicle
from methodic_server import LocalChronicle
from tests.integrations.torchrun import checkpoint_files, private_disks_supported, two_nodes

pytestmark = [
    pytest.mark.distributed,
    pytest.mark.skipif(
        not private_disks_supported(),
        reason="needs mount namespaces (unshare -m, as root) to give each node its own disk",
    ),
]


def test_sharded_lightning_checkpoints_on_node_local_disks_become_one_asset_per_save_and_resume(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    exp_id, v, r = committed_run
    disk = tmp_path / "disk"  # the same path on both nodes, a different folder behind it on each
    root = disk / "out"
    args = ["--root-dir", str(root), "--sharded", "--node-local"]
    two_nodes(server, committed_run, "lightning_runner.py", *args, "--max-steps", "4", base=tmp_path, private_disk=disk)

    assert client.run(exp_id, v, r).state == "succeeded"
    checkpoints = checkpoint_files(client, exp_id, v)
    assert sorted(checkpoints) == [2, 4]  # one asset per save, not one per node or rank
    for files in checkpoints.values():
        assert files == [".metadata", "__0_0.distcp", "__1_0.distcp", "meta.pt"]
    node0 = sorted(p.name for p in (tmp_path / "node0" / "out" / "checkpoints").glob("*/*"))
    node1 = sorted(p.name for p in (tmp_path / "node1" / "out" / "checkpoints").glob("*/*"))
    assert node0 == [".metadata", "__0_0.distcp", "meta.pt"]  # save_top_k=1 kept only the newest on node 0
    assert set(node1) == {"__1_0.distcp"}  # node 1 wrote only its shard: no single disk held the checkpoint

    continuation = client.run(exp_id, v, server.new_run(exp_id, v))
    outputs = two_nodes(
        server,
        (exp_id, v, continuation.run),
        "lightning_runner.py",
        *args,
        "--max-steps",
        "6",
        base=tmp_path / "second",
        private_disk=disk,
    )
    assert continuation.refresh_state() == "succeeded"
    assert "trained steps 5..6" in outputs[0][1]  # resumed from step 4 on both nodes
    assert sorted(checkpoint_files(client, exp_id, v)) == [2, 4, 6]
    for node in (0, 1):  # each node downloaded the checkpoint to its own disk
        resumed = tmp_path / "second" / f"node{node}" / "out" / "resume"
        assert {p.name for p in resumed.glob("*/*")} == {".metadata", "__0_0.distcp", "__1_0.distcp", "meta.pt"}


def test_node_local_on_a_shared_disk_fails_every_node_before_uploading(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    exp_id, v, r = committed_run
    shared = ["--root-dir", str(tmp_path / "shared"), "--sharded", "--node-local", "--max-steps", "2"]
    outcomes = two_nodes(
        server, committed_run, "lightning_runner.py", *shared, base=tmp_path, output_dir_flag=None, check=False
    )
    for code, _, err in outcomes:  # both nodes see every shard: the same names from two nodes
        assert code != 0
        assert "DuplicateComponentError" in err
    assert client.run(exp_id, v, r).state.startswith("failed")
    assert checkpoint_files(client, exp_id, v) == {}


def test_a_consolidated_checkpoint_with_node_local_comes_from_the_node_that_wrote_it(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    exp_id, v, r = committed_run
    disk = tmp_path / "disk"
    args = ["--root-dir", str(disk / "out"), "--node-local", "--max-steps", "4"]  # DDP: rank 0 writes one .ckpt
    two_nodes(server, committed_run, "lightning_runner.py", *args, base=tmp_path, private_disk=disk)
    assert client.run(exp_id, v, r).state == "succeeded"
    checkpoints = checkpoint_files(client, exp_id, v)
    assert sorted(checkpoints) == [2, 4]
    for files in checkpoints.values():
        assert len(files) == 1 and files[0].endswith(".ckpt")
    assert not list((tmp_path / "node1" / "out").glob("checkpoints/*"))  # node 1 never held it
    assert not list((tmp_path / "node0" / "out" / "checkpoints").glob(".methodic-*"))  # link folders removed
