"""Run states driven by the server's watchdog, with short timeouts, and the managed lifecycle over HTTP."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest

from methodic import Chronicle, errors
from methodic_server import LocalChronicle
from tests.helpers import wait_until


def committed(chronicle: object) -> str:
    from methodic import Chronicle

    assert isinstance(chronicle, Chronicle)
    exp = chronicle.experiments.create(title="t", hypothesis_summary="h", config_yaml="lr: 1\n").commit()
    chronicle.variation(exp.id, 0).commit(commit_without_hypothesis=True)
    return exp.id


@pytest.mark.slow
def test_lost_run_recovers_with_a_heartbeat_then_goes_failed_lost() -> None:
    with (
        LocalChronicle(heartbeat_timeout=0.4, lost_timeout=1.2, validate_contract=True) as srv,
        Chronicle(srv.url, srv.api_key) as c,
    ):
        exp_id = committed(c)
        run = c.run(exp_id, 0, 0).start()
        wait_until(lambda: run.refresh_state() == "lost")
        assert run.heartbeat().state == "running"  # back within the lost timeout
        wait_until(lambda: run.refresh_state() == "lost")
        wait_until(lambda: run.refresh_state() == "failed_lost")
        with pytest.raises(errors.ConflictError):
            run.heartbeat()
        # a terminal run lets the scheduler make the variation's next run
        assert srv.new_run(exp_id, 0) == 1
        assert srv.contract_violations == []


@pytest.mark.slow
def test_background_heartbeat_keeps_a_run_alive() -> None:
    with (
        LocalChronicle(heartbeat_timeout=0.5, lost_timeout=5, validate_contract=True) as srv,
        Chronicle(srv.url, srv.api_key) as c,
    ):
        exp_id = committed(c)
        run = c.run(exp_id, 0, 0)
        with run.lifecycle(heartbeat_interval=0.1):
            time.sleep(1.5)
            assert run.refresh_state() == "running"
        assert run.state == "succeeded"


def test_lifecycle_exit_paths_over_http() -> None:
    with (
        LocalChronicle(validate_contract=True) as srv,
        Chronicle(srv.url, srv.api_key) as c,
    ):
        exp_id = committed(c)
        with pytest.raises(ValueError), c.run(exp_id, 0, 0).lifecycle(heartbeat_interval=5):
            raise ValueError("diverged")
        run0 = c.run(exp_id, 0, 0)
        assert run0.state == "failed_crash"
        assert run0.failure_reason is not None and "diverged" in run0.failure_reason
        fresh = c.run(exp_id, 0, srv.new_run(exp_id, 0))
        with pytest.raises(KeyboardInterrupt), fresh.lifecycle(heartbeat_interval=5):
            raise KeyboardInterrupt
        assert fresh.refresh_state() == "failed_abandoned"
        third = c.run(exp_id, 0, srv.new_run(exp_id, 0))
        with third.lifecycle(heartbeat_interval=5):
            pass
        assert third.refresh_state() == "succeeded"


def test_a_new_run_resumes_from_the_newest_ready_checkpoint_an_earlier_run_left(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    exp_id, v, r = committed_run
    first = client.run(exp_id, v, r).start()
    written: dict[int, str] = {}
    for step in (2, 4):
        data = os.urandom(64 << 10)
        (tmp_path / f"save-{step}").mkdir()
        (tmp_path / f"save-{step}" / "model.bin").write_bytes(data)
        written[step] = hashlib.sha256(data).hexdigest()
        first.upload_directory_async(tmp_path / f"save-{step}", asset_type="checkpoint", asset_config={"step": step})
    first.wait_for_uploads()
    torn = first.create_asset_presigned("checkpoint", ["model.bin"], asset_config={"step": 6})  # never uploaded
    first.fail("crash: killed", drain_timeout=0)

    # the scheduler queues the variation again; the new run finds what run 0 saved, never the torn save
    second = client.run(exp_id, v, server.new_run(exp_id, v)).start()
    assert second.run == r + 1 and second.list_outputs() == []
    across = {a.id: a.state for a in second.list_outputs(across_runs=True)}
    assert len(across) == 3 and across[torn.asset_id] != "ready"  # listed across runs, and passed over
    found = second.find_checkpoint()
    assert found is not None and found.asset_config["step"] == 4 and found.id != torn.asset_id
    latest = second.latest_output("checkpoint")
    assert latest is not None and latest.id == found.id
    folder = second.download_checkpoint(tmp_path / "resume")
    assert folder == tmp_path / "resume" / "checkpoint-4"
    assert hashlib.sha256((folder / "model.bin").read_bytes()).hexdigest() == written[4]
    assert second.succeed().state == "succeeded"
