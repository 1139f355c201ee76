"""The integrations' shared pieces: binding to a run, the W&B link, JSON-safe snapshots, lazy imports."""

from __future__ import annotations

import math
import subprocess
import sys
import types
from pathlib import Path

import pytest

from methodic import Chronicle, ChronicleConfigError
from methodic.integrations.session import TrainingSession, jsonable, numeric_metrics, resolve_run, wandb_link


def test_resolve_run_takes_the_triple_from_the_environment(
    client: Chronicle, committed_run: tuple[str, int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    exp_id, v, r = committed_run
    monkeypatch.setenv("CHRONICLE_EXPERIMENT_ID", exp_id)
    monkeypatch.setenv("CHRONICLE_VARIATION", str(v))
    monkeypatch.setenv("CHRONICLE_RUN", str(r))
    run = resolve_run(chronicle=client)
    assert (run.experiment_id, run.variation, run.run) == committed_run
    assert resolve_run(chronicle=client, run_index=5).run == 5  # an argument beats the variable


def test_resolve_run_names_what_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CHRONICLE_EXPERIMENT_ID", "CHRONICLE_VARIATION", "CHRONICLE_RUN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CHRONICLE_EXPERIMENT_ID", "e")
    with pytest.raises(ChronicleConfigError, match="CHRONICLE_VARIATION, CHRONICLE_RUN"):
        resolve_run()
    monkeypatch.setenv("CHRONICLE_VARIATION", "zero")
    with pytest.raises(ChronicleConfigError, match="must be an integer"):
        resolve_run()


def test_an_active_wandb_run_is_linked_when_the_run_starts(
    client: Chronicle, committed_run: tuple[str, int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    active = types.SimpleNamespace(
        id="abc123", entity="team", project="ripple", get_url=lambda: "https://wandb.ai/team/ripple/runs/abc123"
    )
    monkeypatch.setitem(sys.modules, "wandb", types.SimpleNamespace(run=active))
    assert wandb_link()["wandb_run_id"] == "abc123"
    session = TrainingSession(client.run(*committed_run), framework="test", heartbeat_interval=30)
    session.begin({"note": "x"})
    session.finish()
    record = client.run(*committed_run).data
    assert record.state == "succeeded"
    assert record.to_dict()["wandb_run_id"] == "abc123"
    monkeypatch.setitem(sys.modules, "wandb", types.SimpleNamespace(run=None))
    assert wandb_link() == {}


def test_a_run_that_already_ended_is_refused_before_training(
    client: Chronicle, committed_run: tuple[str, int, int]
) -> None:
    run = client.run(*committed_run).start()
    run.succeed()
    with pytest.raises(Exception, match="already ended"):
        TrainingSession(client.run(*committed_run), framework="test").begin()


def test_snapshots_and_metrics_are_json_safe() -> None:
    class Scalar:
        def item(self) -> float:
            return 0.5

    assert jsonable({"a": (1, 2.0), "nan": math.nan, "p": Path("/x"), "s": Scalar()}) == {
        "a": [1, 2.0],
        "nan": None,
        "p": "/x",
        "s": 0.5,
    }
    assert numeric_metrics({"loss": Scalar(), "name": "x", "flag": True, "inf": math.inf}) == {"loss": 0.5}


def test_importing_methodic_and_its_integrations_loads_no_framework() -> None:
    code = (
        "import sys, methodic, methodic.integrations, methodic.integrations.accelerate, methodic.integrations.session;"
        "loaded = [m for m in ('torch', 'transformers', 'lightning', 'accelerate') if m in sys.modules];"
        "assert not loaded, loaded"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_checkpoint_that_cannot_be_handed_over_does_not_stop_training_but_fails_the_run(
    client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    from methodic import UploadError

    session = TrainingSession(client.run(*committed_run), framework="test", heartbeat_interval=30)
    session.begin()
    empty = tmp_path / "checkpoint-3"
    empty.mkdir()  # nothing to upload: registration refuses it
    assert session.checkpoint(empty, step=3) is None
    good = tmp_path / "checkpoint-4"
    good.mkdir()
    (good / "w.bin").write_bytes(b"w")
    assert session.checkpoint(good, step=4) is not None
    with pytest.raises(UploadError, match="step 3"):
        session.finish()
    run = client.run(*committed_run)
    assert run.state == "failed_crash"
    assert [a.asset_config["step"] for a in run.list_outputs() if a.asset_type == "checkpoint"] == [4]


def test_heartbeats_stop_when_the_trainer_stops_making_progress(
    client: Chronicle, committed_run: tuple[str, int, int]
) -> None:
    from methodic.heartbeat import HeartbeatThread

    run = client.run(*committed_run).start()
    idle = HeartbeatThread(run, 0.05, progressing=lambda: False).start()
    busy = HeartbeatThread(run, 0.05, progressing=lambda: True).start()
    import time

    time.sleep(0.4)
    idle.stop()
    busy.stop()
    assert idle.beats == 0 and idle.skipped > 0
    assert busy.beats > 0


def test_a_run_the_session_starts_gets_its_first_heartbeat_an_interval_later_a_running_one_at_once(
    client: Chronicle, committed_run: tuple[str, int, int]
) -> None:
    """Starting stamps the run's heartbeat, so a beat right after it would repeat it; a requeued run needs one."""
    import time

    started = TrainingSession(client.run(*committed_run), framework="test", heartbeat_interval=0.5)
    started.begin()
    assert started._heart is not None
    time.sleep(0.2)
    assert started._heart.beats == 0
    record = client.run(*committed_run).data
    assert record.state == "running" and record.last_heartbeat_at == record.started_at
    deadline = time.monotonic() + 10
    while started._heart.beats == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert started._heart.beats >= 1  # then every interval, as before
    started._stop_heartbeat()

    requeued = TrainingSession(client.run(*committed_run), framework="test", heartbeat_interval=30)
    requeued.begin()  # the run is running already: nothing to start, so a beat goes at once
    assert requeued._heart is not None
    deadline = time.monotonic() + 10
    while requeued._heart.beats == 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert requeued._heart.beats == 1
    requeued.finish()
    assert client.run(*committed_run).state == "succeeded"


def test_a_sigterm_exception_of_a_framework_is_a_preemption_not_a_crash() -> None:
    from methodic.heartbeat import failure_reason

    class SIGTERMException(SystemExit):  # Lightning's, by name: the SDK never imports Lightning for it
        pass

    assert failure_reason(SIGTERMException(1)) == "abandoned"
    assert failure_reason(KeyboardInterrupt()) == "abandoned"
    assert failure_reason(ValueError("x")).startswith("crash: ValueError")


def test_find_checkpoint_skips_invalidated_ones_and_takes_the_newest_input(
    client: Chronicle, committed_run: tuple[str, int, int]
) -> None:
    from tests.helpers import CONFIG

    exp_id, v, r = committed_run
    run = client.run(exp_id, v, r).start()
    four = run.upload_asset(asset_type="checkpoint", content={"w": 1}, asset_config={"step": 4})
    eight = run.upload_asset(asset_type="checkpoint", content={"w": 2}, asset_config={"step": 8})
    run.succeed()
    assert run.find_checkpoint().id == eight.id
    client.assets.invalidate(eight.id, reason="weights are NaN")
    assert run.find_checkpoint().id == four.id  # never resume from an invalidated checkpoint

    branch = client.experiments.create(title="b", hypothesis_summary="h", config_yaml=CONFIG)
    branch.link_input(four.id, variation=0)
    latest = client.assets.create_inline(asset_type="checkpoint", content={"w": 3}, asset_config={"step": 12})
    branch.link_input(latest.id, variation=0)
    branch.commit()
    client.variation(branch.id, 0).commit(commit_without_hypothesis=True)
    assert client.run(branch.id, 0, 0).find_checkpoint(from_inputs=True).id == latest.id  # newest, not first linked


def test_a_deferred_hand_over_the_server_refuses_fails_the_run_at_finish_and_leaves_nothing_behind(
    client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    """The create call of a deferred hand-over runs on the registrar's thread: its refusal still fails the run."""
    from methodic import UploadError, UploadTracker
    from methodic.transfer.handover import leftovers

    tracker = UploadTracker(db_path=tmp_path / "uploads.sqlite")
    session = TrainingSession(
        client.run(*committed_run),
        framework="test",
        heartbeat_interval=30,
        upload_tracker=tracker,
        defer_registration=True,
    )
    session.begin()
    folder = tmp_path / "checkpoint-7"
    folder.mkdir()
    (folder / "model.bin").write_bytes(b"weights")
    client.run(*committed_run).fail("crash: ended from elsewhere", drain_timeout=0)  # creates are refused now
    deferred = session.hand_over(folder, step=7)
    assert deferred is not None and not isinstance(deferred, str)  # staged and recorded, not registered yet
    assert [h.asset_config["step"] for h in leftovers(tracker) if h.asset_config] == [7]
    assert deferred.registered(30) and deferred.has_failures() and deferred.asset_id is None
    with pytest.raises(UploadError, match="step 7"):
        session.finish()
    assert [step for step, _ in session.refused] == [7]
    reopened = UploadTracker(db_path=tmp_path / "uploads.sqlite")
    assert leftovers(reopened) == [] and reopened.get_pending_uploads() == []  # no row left for a resume to retry
    assert not Path(deferred.handover.staging_dir).exists()  # and no staged links
    reopened.close()
