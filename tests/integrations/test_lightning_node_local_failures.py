"""ChronicleCallback(node_local=True) when things go wrong, on two nodes (FSDP2, CPU, gloo).

Each node runs in its own mount namespace with its own disk (tests/integrations/torchrun.py). These
came from an adversarial review: each failed before its fix (a crash on every rank, one node killed
and resumed, one failed checkpoint among several, a node-local failure before the collective, a
checkpoint saved again under a fixed name while its upload runs).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("lightning")

from methodic import Chronicle
from methodic_server import LocalChronicle
from tests.integrations.torchrun import on_private_disk, private_disks_supported, two_nodes

pytestmark = [
    pytest.mark.distributed,
    pytest.mark.skipif(not private_disks_supported(), reason="needs mount namespaces (unshare -m, as root)"),
]

RUNNER = str(Path(__file__).resolve().parent / "node_local_runner.py")


@pytest.fixture
def server() -> Iterator[LocalChronicle]:
    # Storage paced at 1 MB/s per connection: a node whose part is bigger uploads for longer.
    with LocalChronicle(validate_contract=True, per_connection_bytes_per_second=1_000_000) as srv:
        yield srv


def _node_local_fit(
    server: LocalChronicle, run: tuple[str, int, int], tmp_path: Path, max_steps: int
) -> tuple[Path, list[tuple[int, str, str]]]:
    """The sharded node-local runner on two nodes with private disks; returns the disk path and each node's outcome."""
    disk = tmp_path / "disk"
    args = ["--root-dir", str(disk / "out"), "--sharded", "--node-local", "--max-steps", str(max_steps)]
    return disk, two_nodes(server, run, RUNNER, *args, base=tmp_path, private_disk=disk, check=False)


def _checkpoints(client: Chronicle, exp_id: str, v: int) -> dict[int, tuple[str, list[str]]]:
    found: dict[int, tuple[str, list[str]]] = {}
    for asset in client.variation(exp_id, v).list_outputs():
        if asset.asset_type == "checkpoint":
            found[asset.asset_config["step"]] = (asset.state, sorted(c["name"] for c in asset["components"]))
    return found


def test_a_crash_on_every_rank_still_makes_ready_the_checkpoint_another_node_is_uploading(
    server: LocalChronicle,
    client: Chronicle,
    committed_run: tuple[str, int, int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every rank raises right after the step-2 save; node 1's part (8 MB) takes ~8 s, within drain_timeout.

    Each node gives its own part up to ``drain_timeout``; rank 0's finished at once and it failed the run,
    and the server used to abandon every pending output of a failed run, node 1's half-sent checkpoint
    included. The local server now keeps a checkpoint from several nodes pending, and node 1 finalizes it
    with every node's digests, exchanged when the checkpoint was handed over.
    """
    exp_id, v, r = committed_run
    monkeypatch.setenv("R18_PAD_BYTES", str(8_000_000))
    monkeypatch.setenv("R18_FAIL_AT_STEP", "3")
    _disk, outcomes = _node_local_fit(server, committed_run, tmp_path, 6)
    assert all(code != 0 for code, _, _ in outcomes)
    assert all("boom at step 3" in err for _, _, err in outcomes)
    assert client.run(exp_id, v, r).state == "failed_crash"
    checkpoints = _checkpoints(client, exp_id, v)
    assert list(checkpoints) == [2]
    state, files = checkpoints[2]
    assert files == [".metadata", "__0_0.distcp", "__1_0.distcp", "meta.pt", "node1-extra.bin"]
    assert state == "ready", f"the step-2 checkpoint (saved before the crash, every node alive) is {state}"


def test_kill_9_of_one_node_mid_upload_then_resume_on_each_node_makes_the_checkpoint_ready(
    server: LocalChronicle,
    client: Chronicle,
    committed_run: tuple[str, int, int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Node 1 is killed (SIGKILL) while its 8 MB part of the step-2 checkpoint is uploading.

    Rank 0 survives (gloo reports the lost peer), drains its own part and fails the run. The checkpoint
    stays pending, so ``methodic uploads resume --tracker`` on node 1 (then node 0) makes it ready, as the
    README's "Distributed runs" promises.
    """
    import subprocess
    import sys

    from tests.helpers import chronicle_env

    exp_id, v, _r = committed_run
    monkeypatch.setenv("R18_PAD_BYTES", str(8_000_000))
    monkeypatch.setenv("R18_FAIL_AT_STEP", "3")
    monkeypatch.setenv("R18_KILL_RANK", "1")
    disk, outcomes = _node_local_fit(server, committed_run, tmp_path, 6)
    assert all(code != 0 for code, _, _ in outcomes)
    resumed = []
    for node in (1, 0):  # what the scheduler does after a crash: resume each node's tracker, on that node
        cli = [sys.executable, "-m", "methodic", "uploads", "resume", "--no-progress"]
        cli += ["--tracker", str(disk / "out" / "methodic-uploads.sqlite")]
        done = subprocess.run(
            on_private_disk(cli, tmp_path / f"node{node}", disk),
            env=chronicle_env(server, committed_run),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        resumed.append((node, done.returncode, done.stdout + done.stderr))
    checkpoints = _checkpoints(client, exp_id, v)
    assert list(checkpoints) == [2]
    state, _ = checkpoints[2]
    assert state == "ready", f"the step-2 checkpoint is {state} after resuming on each node: {resumed}"


def test_one_failed_node_local_checkpoint_does_not_cost_the_later_ones(
    server: LocalChronicle,
    client: Chronicle,
    committed_run: tuple[str, int, int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The step-2 checkpoint fails for good (node 1's file rewritten in place: FileChangedError); step 4's
    upload is still going on node 1 when fit ends.

    Every checkpoint is waited for, the error names the failed one, and step 4 is ready (the wait used
    to stop at the first failure and fail the run while step 4 was still in flight).
    """
    exp_id, v, r = committed_run
    monkeypatch.setenv("R18_PAD_BYTES", str(6_000_000))
    monkeypatch.setenv("R18_TAMPER_STEP", "2")
    # staging on each node's own disk, so registration hard-links (a copy would pin the bytes, and the
    # in-place rewrite this test relies on to make step 2 fail would go unnoticed, correctly)
    monkeypatch.setenv("METHODIC_STAGING_DIR", str(tmp_path / "disk" / "staging"))
    _disk, outcomes = _node_local_fit(server, committed_run, tmp_path, 4)
    assert all(code != 0 for code, _, _ in outcomes)
    assert all("FileChangedError" in err or "changed" in err for _, _, err in outcomes), outcomes[0][2][-3000:]
    assert client.run(exp_id, v, r).state == "failed_crash"
    checkpoints = _checkpoints(client, exp_id, v)
    assert sorted(checkpoints) == [2, 4]
    assert checkpoints[2][0] != "ready"
    assert checkpoints[4][0] == "ready", f"step 4 (not the one that failed) is {checkpoints[4][0]}"


def test_a_tracker_node_1_cannot_open_fails_every_rank_alike_and_training_goes_on(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    """Node 1's tracker cannot be opened (its path is a folder), on node 1 only.

    Every rank must learn it before the upload's collectives (else rank 0 waits alone in all_gather:
    with gloo it dies of a vanished peer, with NCCL it hangs until the collective timeout); then, as for
    a refused registration, training goes on and the run ends failed naming the steps.
    """
    exp_id, v, r = committed_run
    (tmp_path / "node1" / "out" / "methodic-uploads.sqlite").mkdir(parents=True)
    _disk, outcomes = _node_local_fit(server, committed_run, tmp_path, 4)
    (code0, _, err0), (_, _, err1) = outcomes
    for err in (err0, err1):
        assert "could not be prepared: rank 1:" in err, err[-3000:]
        assert "Connection closed by peer" not in err and "Connection reset" not in err, err[-3000:]
    assert code0 != 0 and "steps 2, 4" in err0  # training went on to the next save; the run ends failed naming both
    assert client.run(exp_id, v, r).state == "failed_crash"
    assert _checkpoints(client, exp_id, v) == {}


def test_save_last_saved_again_while_its_upload_runs_keeps_both(
    server: LocalChronicle,
    client: Chronicle,
    committed_run: tuple[str, int, int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """ModelCheckpoint(save_last=True) with sharded checkpoints: every save writes last.ckpt/ again.

    torch.distributed.checkpoint opens ``__<rank>_0.distcp`` with "wb" and Lightning torch.saves
    ``meta.pt`` to the same path: rewritten in place, those files would change under the previous "last"
    upload's staged hard links (FileChangedError). Before the save the folder makes way (its links keep
    the old bytes), so every checkpoint is ready and the run succeeds.
    """
    exp_id, v, r = committed_run
    monkeypatch.setenv("R18_SAVE_LAST", "1")
    server.faults.delay_storage(1.5)
    _disk, outcomes = _node_local_fit(server, committed_run, tmp_path, 6)
    errors = [err[-2500:] for code, _, err in outcomes if code != 0]
    assert not errors, errors[0]
    assert client.run(exp_id, v, r).state == "succeeded"
    states = {
        (a.name, a.asset_config["step"]): a.state
        for a in client.variation(exp_id, v).list_outputs()
        if a.asset_type == "checkpoint"
    }
    assert all(s == "ready" for s in states.values()), states
