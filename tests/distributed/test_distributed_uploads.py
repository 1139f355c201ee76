"""One checkpoint asset from many ranks: torchrun on CPU (gloo), each rank's folder standing in for a node.

One torchrun (``--standalone``) of 2 and 4 ranks, and two torchrun agents ("nodes") of 2 ranks each
(tests/integrations/torchrun.py). The ranks exchange their files' digests at registration and finalize
with every file's (no verify route); a node killed with SIGKILL mid-upload is resumed per node with
``methodic uploads resume``, and the last node to finish makes the asset ready.
"""

from __future__ import annotations

import filecmp
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("torch")

from methodic import Chronicle, UploadTracker
from methodic_server import LocalChronicle
from tests.helpers import chronicle_env
from tests.integrations.torchrun import two_nodes

CHILD = Path(__file__).with_name("dcp_child.py")
RESUME = [sys.executable, "-m", "methodic", "uploads", "resume", "--no-progress", "--tracker"]

pytestmark = pytest.mark.distributed  # torchrun: left out of `make test-fast`


def _lines(stdout: str) -> list[dict[str, Any]]:
    """Every JSON object the ranks printed (robust to two ranks' lines ending up on one line)."""
    decoder, results, at = json.JSONDecoder(), [], stdout.find("{")
    while at != -1:
        value, end = decoder.raw_decode(stdout, at)
        results.append(value)
        at = stdout.find("{", end)
    return results


def _assert_identical(client: Chronicle, asset_id: str, base: Path, ranks: int, restored: Path) -> None:
    """The asset downloaded holds exactly every rank's files, byte for byte."""
    got = client.assets.download(asset_id, restored)
    originals = {p.name: p for rank in range(ranks) for p in (base / f"node{rank}").iterdir() if p.is_file()}
    assert sorted(p.name for p in got) == sorted(originals)
    for name, original in originals.items():
        assert filecmp.cmp(original, restored / name, shallow=False), name


def _torchrun(
    server: LocalChronicle, run: tuple[str, int, int], mode: str, base: Path, ranks: int
) -> tuple[int, list[dict[str, Any]], str]:
    env = chronicle_env(server, run, OMP_NUM_THREADS="1", METHODIC_PROGRESS="0")
    command = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", str(ranks)]
    done = subprocess.run([*command, str(CHILD), mode, str(base)], env=env, capture_output=True, text=True, timeout=300)
    return done.returncode, sorted(_lines(done.stdout), key=lambda x: x["rank"]), done.stderr[-4000:]


@pytest.fixture
def started_run(client: Chronicle, committed_run: tuple[str, int, int]) -> tuple[str, int, int]:
    client.run(*committed_run).start()
    return committed_run


@pytest.mark.parametrize("ranks", [2, 4])
def test_a_dcp_save_from_every_rank_becomes_one_ready_asset_that_loads_identically_on_every_rank(
    server: LocalChronicle, client: Chronicle, started_run: tuple[str, int, int], tmp_path: Path, ranks: int
) -> None:
    code, results, stderr = _torchrun(server, started_run, "roundtrip", tmp_path, ranks)
    assert code == 0, stderr
    assert [r["rank"] for r in results] == list(range(ranks))
    expected = [".metadata", *(f"__{i}_0.distcp" for i in range(ranks))]
    for r in results:
        assert r["state"] == "ready" and r["components"] == expected
        assert r["identical"] and r["optimizer_identical"]
        assert r["rank_files"] == [".metadata", f"__{r['rank']}_0.distcp"]  # its files plus the shared one
    assert len({r["asset_id"] for r in results}) == 1
    checkpoints = [a for a in client.run(*started_run).list_outputs() if a.asset_type == "checkpoint"]
    assert [a.id for a in checkpoints] == [results[0]["asset_id"]]  # one asset, not one per rank
    assert checkpoints[0].asset_config["distributed"]["world_size"] == ranks
    _assert_identical(client, checkpoints[0].id, tmp_path, ranks, tmp_path / "restored")


def test_two_nodes_of_two_ranks_make_one_ready_asset_byte_identical_to_every_ranks_files(
    server: LocalChronicle, client: Chronicle, started_run: tuple[str, int, int], tmp_path: Path
) -> None:
    """Two torchrun agents joined by a static rendezvous, 2 ranks each (world size 4)."""
    outcomes = two_nodes(
        server,
        started_run,
        str(CHILD),
        "roundtrip",
        str(tmp_path),
        base=tmp_path / "agents",
        output_dir_flag=None,
        nproc_per_node=2,
        env={"METHODIC_PROGRESS": "0"},
    )
    results = sorted((r for _, out, _ in outcomes for r in _lines(out)), key=lambda r: r["rank"])
    assert [r["rank"] for r in results] == [0, 1, 2, 3]
    assert len({r["asset_id"] for r in results}) == 1
    for r in results:
        assert r["state"] == "ready" and r["identical"] and r["optimizer_identical"]
    _assert_identical(client, results[0]["asset_id"], tmp_path, 4, tmp_path / "restored")


def test_kill_9_of_a_whole_node_mid_upload_then_per_node_resume_ends_in_one_ready_asset(
    server: LocalChronicle, client: Chronicle, started_run: tuple[str, int, int], tmp_path: Path
) -> None:
    """Node 1 (its torchrun agent and both its ranks) gets SIGKILL while its files are on their way.

    Node 0's ranks finish their own part; their collective wait() then fails on the dead peers. Each node
    resumes its own trackers with the CLI, node 0 first: it cannot finalize (node 1's files are not in
    storage), so it says ``partial``; node 1's resume, the last to finish, finalizes with the digests
    every rank recorded at registration. Node 0's trackers learn it at their next resume.
    """
    server.faults.delay_storage(1.5)  # node 1's PUTs are still in flight when it dies
    outcomes = two_nodes(
        server,
        started_run,
        str(CHILD),
        "killnode",
        str(tmp_path),
        base=tmp_path / "agents",
        output_dir_flag=None,
        nproc_per_node=2,
        check=False,
        env={"METHODIC_PROGRESS": "0"},
    )
    server.faults.reset()
    assert all(code != 0 for code, _, _ in outcomes)
    lines = [r for _, out, _ in outcomes for r in _lines(out)]
    assert sorted(r["rank"] for r in lines if "node" in r) == [0, 1, 2, 3]  # every rank handed its files over
    assert sorted(r["rank"] for r in lines if "wait" in r) == [0, 1]  # node 1 never got further
    assert all(r["wait"] != "returned" for r in lines if "wait" in r)
    (asset_id,) = {r["asset_id"] for r in lines if "asset_id" in r}
    assert client.assets.get(asset_id).state == "pending"

    env = chronicle_env(server)

    def resume(rank: int) -> str:
        done = subprocess.run(
            [*RESUME, str(tmp_path / f"tracker-node{rank}.sqlite")], env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    for rank in (0, 1):  # node 0: its part is in storage, node 1's is not
        assert "partial" in resume(rank)
    assert client.assets.get(asset_id).state == "pending"
    node1 = [resume(rank) for rank in (2, 3)]  # node 1: the last of its trackers to finish finalizes
    assert "finalized" in node1[-1] or ("finalized" in node1[0] and "already_ready" in node1[1]), node1
    assert client.assets.get(asset_id).state == "ready"
    for rank in range(4):  # the trackers that said partial learn that the asset is ready; the others are done
        again = resume(rank)
        assert "already_ready" in again or "0 of 0 asset(s)" in again, again
    for rank in range(4):
        assert UploadTracker(db_path=tmp_path / f"tracker-node{rank}.sqlite").get_pending_uploads() == []
    _assert_identical(client, asset_id, tmp_path, 4, tmp_path / "restored")


def test_a_name_two_ranks_hold_fails_on_every_rank_before_any_upload(
    server: LocalChronicle, client: Chronicle, started_run: tuple[str, int, int], tmp_path: Path
) -> None:
    code, results, stderr = _torchrun(server, started_run, "collide", tmp_path, 2)
    assert code == 0, stderr
    assert len(results) == 2
    for r in results:
        assert "'config.json' on ranks [0, 1]" in r["error"]
        assert r["assets"] == 0
    assert server.storage_bytes_received == 0


def test_a_failed_file_on_one_rank_raises_the_same_upload_error_on_every_rank(
    server: LocalChronicle, client: Chronicle, started_run: tuple[str, int, int], tmp_path: Path
) -> None:
    server.faults.delay_storage(0.5)  # the rewrite lands while the shard is still on its way
    code, results, stderr = _torchrun(server, started_run, "fail", tmp_path, 2)
    server.faults.reset()
    assert code == 0, stderr
    assert [r["error"] for r in results] == [["rank 1: __1_0.distcp"]] * 2, results
    asset = client.assets.get(results[0]["asset_id"])
    if asset.state == "ready":
        # Rank 1's PUT read its shard before the rewrite landed (the race this test sets up), and finalize
        # checked the stored bytes against the digest the ranks exchanged at registration: the asset holds
        # the shard as it was handed over. Never the rewritten one: that is what "torn" would be.
        restored = tmp_path / "restored"
        client.assets.download(asset.id, restored)
        on_disk = (tmp_path / "node1" / "__1_0.distcp").read_bytes()
        assert on_disk.endswith(b"torn")
        assert (restored / "__1_0.distcp").read_bytes() == on_disk[: -len(b"torn")]
    else:
        assert asset.state == "pending"  # the rewritten shard reached storage, or none did: never finalized


def test_one_rank_killed_mid_upload_then_resume_on_its_node_ends_in_one_ready_byte_identical_asset(
    server: LocalChronicle, client: Chronicle, started_run: tuple[str, int, int], tmp_path: Path
) -> None:
    server.faults.delay_storage(1.5)  # the last rank's PUTs are still in flight when it is killed
    code, results, _ = _torchrun(server, started_run, "kill", tmp_path, 2)
    server.faults.reset()
    assert code != 0  # torchrun saw a rank die
    asset_id = results[0]["asset_id"]
    assert client.assets.get(asset_id).state == "pending"

    env = chronicle_env(server)
    resume = [sys.executable, "-m", "methodic", "uploads", "resume", "--no-progress", "--tracker"]
    # torchrun stopped rank 0 too when rank 1 died: each "node" resumes its own part; the last one finalizes.
    node1 = subprocess.run([*resume, str(tmp_path / "tracker-node1.sqlite")], env=env, capture_output=True, text=True)
    assert node1.returncode == 0, node1.stdout + node1.stderr
    first = client.assets.get(asset_id).state
    node0 = subprocess.run([*resume, str(tmp_path / "tracker-node0.sqlite")], env=env, capture_output=True, text=True)
    assert node0.returncode == 0, node0.stdout + node0.stderr
    assert client.assets.get(asset_id).state == "ready"
    if first != "ready":  # rank 0's part was not complete at the kill: node 1 left it pending, node 0 finished it
        assert "partial" in node1.stdout and "finalized" in node0.stdout
        again = subprocess.run(
            [*resume, str(tmp_path / "tracker-node1.sqlite")], env=env, capture_output=True, text=True
        )
        assert again.returncode == 0 and "already_ready" in again.stdout  # node 1's tracker learns it is done
    for node in (0, 1):
        assert UploadTracker(db_path=tmp_path / f"tracker-node{node}.sqlite").get_pending_uploads() == []

    restored = tmp_path / "restored"
    client.assets.download(asset_id, restored)
    for rank in (0, 1):
        for original in (tmp_path / f"node{rank}").iterdir():
            if original.is_file():
                assert filecmp.cmp(original, restored / original.name, shallow=False), original.name
    assert sorted(p.name for p in restored.iterdir()) == [".metadata", "__0_0.distcp", "__1_0.distcp", "padding.bin"]
