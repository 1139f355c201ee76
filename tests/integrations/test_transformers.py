"""ChronicleCallback with a real HF Trainer (tiny GPT-2 from a config, CPU) against the local server."""

from __future__ import annotations

import filecmp
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("transformers")
pytest.importorskip("accelerate")

from transformers import TrainerCallback

from methodic import CheckpointNotFoundError, Chronicle
from methodic_server import LocalChronicle
from tests.helpers import CONFIG, EXAMPLES, checkpoints_by_step, chronicle_env


def _hf() -> Any:
    import hf_trainer

    return hf_trainer


class CopyOnSave(TrainerCallback):
    """Copies every checkpoint folder the moment it is saved, before rotation can delete it."""

    def __init__(self, into: Path) -> None:
        self.into = into

    def on_save(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        name = f"checkpoint-{state.global_step}"
        shutil.copytree(Path(args.output_dir) / name, self.into / name)


class CrashAt(TrainerCallback):
    """Raises inside training once ``step`` is reached, as an OOM or a bad batch would."""

    def __init__(self, step: int) -> None:
        self.step = step

    def on_step_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        if state.global_step == self.step:
            raise RuntimeError(f"boom at step {self.step}")


def _same_tree(a: Path, b: Path) -> bool:
    names_a = sorted(p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file())
    names_b = sorted(p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file())
    if names_a != names_b:
        return False
    return all(filecmp.cmp(a / n, b / n, shallow=False) for n in names_a)


def test_every_save_becomes_a_ready_checkpoint_byte_identical_with_step_epoch_metrics(
    client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    exp_id, v, r = committed_run
    saved = tmp_path / "as-saved"
    _hf().train(
        tmp_path / "out",
        run=client.run(exp_id, v, r),
        max_steps=6,
        save_steps=2,
        save_total_limit=None,
        extra_callbacks=[CopyOnSave(saved)],
    )
    run = client.run(exp_id, v, r)
    assert run.state == "succeeded"
    checkpoints = checkpoints_by_step(client, exp_id, v)
    assert sorted(checkpoints) == [2, 4, 6]
    for step, asset in checkpoints.items():
        assert asset.state == "ready"
        assert asset.name == f"checkpoint-{step}"
        config = asset.asset_config
        assert config["framework"] == "transformers"
        assert config["epoch"] > 0
        assert set(config["metrics"]) >= {"loss", "learning_rate"}
        folder = run.download_checkpoint(tmp_path / "down", step=step)
        assert folder == tmp_path / "down" / f"checkpoint-{step}"
        assert _same_tree(saved / f"checkpoint-{step}", folder)
        assert json.loads((folder / "trainer_state.json").read_text())["global_step"] == step

    environments = [a for a in run.list_outputs() if a.asset_type == "environment"]
    assert len(environments) == 1
    env = client.assets.get(environments[0].id).content
    assert env["training_arguments"]["save_steps"] == 2
    assert env["trainer"]["framework"] == "transformers"
    assert env["model_config"]["n_layer"] == 2
    assert "python" in env and "packages" in env


def test_crash_fails_the_run_keeps_saved_checkpoints_and_a_continuation_resumes_with_identical_losses(
    server: LocalChronicle, client: Chronicle, tmp_path: Path
) -> None:
    # The reference: one uninterrupted run of 12 steps.
    ref = client.experiments.create(title="ref", hypothesis_summary="h", config_yaml=CONFIG)
    ref.commit()
    client.variation(ref.id, 0).commit(commit_without_hypothesis=True)
    uninterrupted = _hf().train(tmp_path / "ref", run=client.run(ref.id, 0, 0), max_steps=12, save_steps=4).losses

    exp = client.experiments.create(title="crash", hypothesis_summary="h", config_yaml=CONFIG)
    exp.commit()
    client.variation(exp.id, 0).commit(commit_without_hypothesis=True)
    with pytest.raises(RuntimeError, match="boom at step 9"):
        _hf().train(
            tmp_path / "first", run=client.run(exp.id, 0, 0), max_steps=12, save_steps=4, extra_callbacks=[CrashAt(9)]
        )
    first = client.run(exp.id, 0, 0)
    assert first.state == "failed_crash"
    assert "boom at step 9" in (first.failure_reason or "")
    checkpoints = checkpoints_by_step(client, exp.id, 0)
    assert sorted(checkpoints) == [4, 8]
    assert all(a.state == "ready" for a in checkpoints.values())

    continuation = client.run(exp.id, 0, server.new_run(exp.id, 0))
    resumed = _hf().train(tmp_path / "second", run=continuation, max_steps=12, save_steps=4).losses
    assert min(resumed) == 9  # resumed at global_step 8: the first new step is 9
    assert continuation.refresh_state() == "succeeded"
    for step in range(9, 13):
        assert resumed[step] == pytest.approx(uninterrupted[step], rel=1e-5), step
    assert sorted(checkpoints_by_step(client, exp.id, 0)) == [4, 8, 12]


def test_rotation_with_save_total_limit_1_and_slow_storage_loses_nothing(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    exp_id, v, r = committed_run
    saved = tmp_path / "as-saved"
    server.faults.delay_storage(0.3)  # every PUT lags: the Trainer saves and rotates faster than we upload
    _hf().train(
        tmp_path / "out",
        run=client.run(exp_id, v, r),
        max_steps=6,
        save_steps=1,
        save_total_limit=1,
        extra_callbacks=[CopyOnSave(saved)],
    )
    server.faults.reset()
    on_disk = sorted(p.name for p in (tmp_path / "out").glob("checkpoint-*"))
    assert on_disk == ["checkpoint-6"]  # the Trainer rotated the others away
    run = client.run(exp_id, v, r)
    assert run.state == "succeeded"
    checkpoints = checkpoints_by_step(client, exp_id, v)
    assert sorted(checkpoints) == [1, 2, 3, 4, 5, 6]
    for step in checkpoints:
        folder = run.download_checkpoint(tmp_path / "down", step=step)
        assert folder is not None and _same_tree(saved / f"checkpoint-{step}", folder)


def test_download_checkpoint_none_when_nothing_saved_and_typed_error_for_a_missing_step(
    client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    run = client.run(*committed_run)
    assert run.download_checkpoint(tmp_path) is None
    with pytest.raises(CheckpointNotFoundError, match="step=7"):
        run.download_checkpoint(tmp_path, step=7)
    assert not any(tmp_path.iterdir())


def test_input_linked_checkpoint_branches_a_new_variation_and_the_final_model_is_a_snapshot(
    client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    from methodic.integrations.transformers import ChronicleCallback

    exp_id, v, r = committed_run
    _hf().train(tmp_path / "source", run=client.run(exp_id, v, r), max_steps=4, save_steps=2)
    source = checkpoints_by_step(client, exp_id, v)[4]

    branch = client.experiments.create(title="branch", hypothesis_summary="h", config_yaml=CONFIG)
    branch.link_input(source.id, variation=0)
    branch.commit()
    client.variation(branch.id, 0).commit(commit_without_hypothesis=True)
    hf = _hf()
    callback = ChronicleCallback(client.run(branch.id, 0, 0), upload_final_model=True)
    losses = hf.LossRecorder()
    trainer = hf.Trainer(
        model=hf.tiny_gpt2(),
        args=hf.training_arguments(tmp_path / "branch", max_steps=6, save_steps=2, save_total_limit=1),
        train_dataset=hf.CountingDataset(),
        callbacks=[callback, losses],
    )
    callback.train(trainer, resume="inputs")
    assert min(losses.losses) == 5  # branched from the linked step-4 checkpoint
    assert client.run(branch.id, 0, 0).state == "succeeded"
    outputs = client.variation(branch.id, 0).list_outputs()
    assert sorted(a.asset_config["step"] for a in outputs if a.asset_type == "checkpoint") == [6]
    snapshot = next(a for a in outputs if a.asset_type == "snapshot")
    assert snapshot.state == "ready" and snapshot.name == "final-model"
    assert {"config.json", "model.safetensors"} <= {c["name"] for c in snapshot["components"]}


def test_without_the_wrapper_the_run_ends_in_on_train_end_and_end_run_false_leaves_it_running(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    from methodic.integrations.transformers import ChronicleCallback

    hf = _hf()
    exp_id, v, r = committed_run

    def trainer_with(callback: ChronicleCallback, out: Path) -> Any:
        args = hf.training_arguments(out, max_steps=2, save_steps=2, save_total_limit=None)
        return hf.Trainer(model=hf.tiny_gpt2(), args=args, train_dataset=hf.CountingDataset(), callbacks=[callback])

    trainer_with(ChronicleCallback(client.run(exp_id, v, r), environment=False), tmp_path / "a").train()
    assert client.run(exp_id, v, r).state == "succeeded"
    assert [a.asset_type for a in client.run(exp_id, v, r).list_outputs()] == ["checkpoint"]

    continuation = client.run(exp_id, v, server.new_run(exp_id, v))
    callback = ChronicleCallback(continuation, end_run=False)
    trainer_with(callback, tmp_path / "b").train()
    assert continuation.refresh_state() == "running"  # the caller ends it
    assert callback.session is not None
    callback.session.finish()
    assert continuation.refresh_state() == "succeeded"


def test_kill_9_right_after_a_save_the_automatic_tracker_finishes_the_upload(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    import subprocess
    import sys

    from methodic import UploadTracker

    exp_id, v, r = committed_run
    server.faults.delay_storage(2.0)  # the upload of checkpoint-4 is still in flight when the kill lands
    env = chronicle_env(server, committed_run)
    out = tmp_path / "out"
    child = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("hf_kill_child.py")), str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert child.returncode == -9, child.stderr[-3000:]
    server.faults.reset()
    assert client.run(exp_id, v, r).state == "running"  # nobody ended it: the watchdog would, later
    pending = {
        a.asset_config["step"]: a.state
        for a in client.variation(exp_id, v).list_outputs()
        if a.asset_type == "checkpoint"
    }
    tracker = UploadTracker(db_path=out / "methodic-uploads.sqlite")  # where the callback put it by default
    # The kill lands right after the hand-over: step 4 is registered (pending on the server) or, if the
    # registrar thread had not reached its create call yet, recorded in the tracker as a hand-over.
    from methodic.transfer.handover import leftovers

    handed = [h.asset_config["step"] for h in leftovers(tracker) if h.asset_config]
    assert pending.get(4) == "pending" or 4 in handed, (pending, handed)
    client.resume_uploads(tracker)
    checkpoints = checkpoints_by_step(client, exp_id, v)
    assert sorted(checkpoints) == [2, 4]
    assert all(a.state == "ready" for a in checkpoints.values())
    folder = client.run(exp_id, v, r).download_checkpoint(tmp_path / "down", step=4)
    assert folder is not None
    assert json.loads((folder / "trainer_state.json").read_text())["global_step"] == 4


def test_final_model_of_load_best_model_at_end_records_the_best_step_and_its_metrics(
    client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    from safetensors.torch import load_file
    from transformers import TrainingArguments

    from methodic.integrations.transformers import ChronicleCallback

    hf = _hf()
    args = TrainingArguments(
        output_dir=str(tmp_path / "out"),
        max_steps=6,
        save_steps=2,
        eval_strategy="steps",
        eval_steps=2,
        load_best_model_at_end=True,
        metric_for_best_model="eval_loss",
        greater_is_better=True,  # "best" is the highest eval loss: the first evaluation, never the last step
        logging_steps=1,
        per_device_train_batch_size=8,
        per_device_eval_batch_size=8,
        learning_rate=5e-3,
        seed=0,
        data_seed=0,
        report_to=[],
        use_cpu=True,
        dataloader_num_workers=0,
        disable_tqdm=True,
    )
    callback = ChronicleCallback(client.run(*committed_run), upload_final_model=True)
    copies = tmp_path / "copies"
    trainer = hf.Trainer(
        model=hf.tiny_gpt2(),
        args=args,
        train_dataset=hf.CountingDataset(),
        eval_dataset=hf.CountingDataset(size=32, seed=1),
        callbacks=[callback, CopyOnSave(copies)],
    )
    callback.train(trainer)
    best = trainer.state.best_model_checkpoint
    assert best is not None and Path(best).name == "checkpoint-2"
    evaluated = {e["step"]: e["eval_loss"] for e in trainer.state.log_history if "eval_loss" in e}
    assert evaluated[2] > evaluated[6]  # the final weights really are not the last step's

    outputs = client.variation(committed_run[0], committed_run[1]).list_outputs()
    snapshot = next(a for a in outputs if a.asset_type == "snapshot")
    config = snapshot.asset_config
    assert (config["step"], config["weights"], config["best_model_checkpoint"]) == (2, "best", "checkpoint-2")
    assert config["metrics"]["eval_loss"] == pytest.approx(evaluated[2])
    assert config["best_metric"] == pytest.approx(evaluated[2])
    # and the snapshot does hold step 2's weights
    got = tmp_path / "snapshot"
    client.assets.download(snapshot.id, got, progress=False)
    held, saved = load_file(got / "model.safetensors"), load_file(copies / "checkpoint-2" / "model.safetensors")
    assert held.keys() == saved.keys() and all(bool((held[k] == saved[k]).all()) for k in held)


def test_final_model_without_best_records_the_last_step(
    client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    from methodic.integrations.transformers import ChronicleCallback

    hf = _hf()
    callback = ChronicleCallback(client.run(*committed_run), upload_final_model=True)
    trainer = hf.Trainer(
        model=hf.tiny_gpt2(),
        args=hf.training_arguments(tmp_path / "out", max_steps=4, save_steps=2, save_total_limit=None),
        train_dataset=hf.CountingDataset(),
        callbacks=[callback],
    )
    callback.train(trainer)
    snapshot = next(a for a in client.variation(*committed_run[:2]).list_outputs() if a.asset_type == "snapshot")
    assert (snapshot.asset_config["step"], snapshot.asset_config["weights"]) == (4, "last")


def test_one_callback_reused_for_a_second_trainer_refuses_loudly_before_training(
    client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    from methodic import ChronicleError
    from methodic.integrations.transformers import ChronicleCallback

    hf = _hf()
    callback = ChronicleCallback(client.run(*committed_run))

    def trainer(out: str) -> Any:
        return hf.Trainer(
            model=hf.tiny_gpt2(),
            args=hf.training_arguments(tmp_path / out, max_steps=2, save_steps=2, save_total_limit=None),
            train_dataset=hf.CountingDataset(),
            callbacks=[callback],
        )

    trainer("first").train()  # without train()/guard(): on_train_end ends the run
    assert client.run(*committed_run).state == "succeeded"
    second = trainer("second")
    with pytest.raises(ChronicleError, match="already ended"):
        second.train()
    assert second.state.global_step == 0  # refused before any step: no checkpoint silently dropped
    steps = sorted(
        a.asset_config["step"]
        for a in client.variation(*committed_run[:2]).list_outputs()
        if a.asset_type == "checkpoint"
    )
    assert steps == [2] and client.run(*committed_run).state == "succeeded"


REQUEUE = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[2])
import hf_trainer
losses = hf_trainer.train(Path(sys.argv[1]), max_steps=8, save_steps=2, save_total_limit=1)
print("FIRST_STEP", min(losses.losses))
"""


def test_a_requeued_rerun_without_uploads_resume_finishes_the_first_attempts_checkpoints_first(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    import subprocess
    import sys

    exp_id, v, r = committed_run
    server.faults.delay_storage(2.0)  # checkpoint-4's upload is in flight when the kill lands
    env = chronicle_env(server, committed_run)
    out = tmp_path / "out"
    first = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("hf_kill_child.py")), str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert first.returncode == -9, first.stderr[-3000:]
    server.faults.reset()
    from methodic import UploadTracker
    from methodic.transfer.handover import leftovers

    with UploadTracker(db_path=out / "methodic-uploads.sqlite") as tracker:  # registered, or only handed over
        handed = [h.asset_config["step"] for h in leftovers(tracker) if h.asset_config]
    registered = checkpoints_by_step(client, exp_id, v)
    assert (4 in registered and registered[4].state == "pending") or 4 in handed, (registered, handed)

    # the scheduler reruns the same command on the same run and folder: no `methodic uploads resume`
    examples = str(EXAMPLES)
    rerun = subprocess.run(
        [sys.executable, "-c", REQUEUE, str(out), examples],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert "FIRST_STEP 5" in rerun.stdout  # it resumed from the first attempt's step 4, now ready
    checkpoints = checkpoints_by_step(client, exp_id, v)
    assert sorted(checkpoints) == [2, 4, 6, 8]
    assert all(a.state == "ready" for a in checkpoints.values())  # nothing left pending on a finished run
    assert client.run(exp_id, v, r).state == "succeeded"


JIT_CHILD = """
import sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[3])
import hf_trainer
from transformers import TrainerCallback
from methodic.integrations.transformers import ChronicleCallback

class Slow(TrainerCallback):
    def on_step_end(self, args, state, control, **kwargs):
        time.sleep(0.05)
        if state.global_step == 2:
            print("TRAINING", flush=True)

args = hf_trainer.training_arguments(Path(sys.argv[1]), max_steps=1000, save_steps=10000, save_total_limit=None)
args.enable_jit_checkpoint = True
callback = ChronicleCallback(heartbeat_interval=30)
trainer = hf_trainer.Trainer(model=hf_trainer.tiny_gpt2(), args=args, train_dataset=hf_trainer.CountingDataset(),
                             callbacks=[callback, Slow()])
if sys.argv[2] == "wrapped":
    callback.train(trainer)
else:
    trainer.train()
print("RETURNED", flush=True)
"""


@pytest.mark.parametrize("mode", ["wrapped", "plain"])
def test_hf_jit_checkpoint_on_sigterm_is_uploaded_and_the_run_ends_abandoned(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path, mode: str
) -> None:
    import signal
    import subprocess
    import sys
    import time

    exp_id, v, r = committed_run
    examples = str(EXAMPLES)
    log = tmp_path / "child.log"
    with log.open("w") as errors:
        child = subprocess.Popen(
            [sys.executable, "-c", JIT_CHILD, str(tmp_path / "out"), mode, examples],
            env=chronicle_env(server, committed_run),
            stdout=subprocess.PIPE,
            stderr=errors,  # a file: a full stderr pipe would stall the child
            text=True,
        )
        assert child.stdout is not None
        for line in child.stdout:  # the Trainer prints its log lines first
            if line.startswith("TRAINING"):
                break
        else:
            pytest.fail("the child ended before training: " + log.read_text()[-3000:])
        time.sleep(0.5)
        child.send_signal(signal.SIGTERM)  # HF waits 3 s (its kill_wait), then saves just in time and stops
        try:
            child.communicate(timeout=90)
        except subprocess.TimeoutExpired:
            child.kill()
            pytest.fail("training did not stop after SIGTERM")
    err = log.read_text()
    assert client.run(exp_id, v, r).state == "failed_abandoned", err[-3000:]  # preempted, never succeeded
    checkpoints = checkpoints_by_step(client, exp_id, v)
    # no periodic save happened: the one checkpoint is the one HF saved just in time, uploaded and ready
    assert len(checkpoints) == 1, err[-3000:]
    (jit,) = checkpoints.values()
    assert jit.asset_config.get("jit") is True and jit.state == "ready"
    step = jit.asset_config["step"]
    folder = client.run(exp_id, v, r).download_checkpoint(tmp_path / "down", step=step)
    assert folder is not None
    assert json.loads((folder / "trainer_state.json").read_text())["global_step"] == step


#: The periodic save of step 5 is handed over; HF's just-in-time save then lands on step 5 too (SIGTERM arrives
#: while the Trainer waits in on_save; 3 s later, at step 6's on_step_begin, global_step is still 5) and writes
#: checkpoint-5 again, in place, while the periodic upload of that folder is still in flight.
JIT_SAME_STEP_CHILD = """
import sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[3])
import hf_trainer
from transformers import TrainerCallback
from methodic.integrations.transformers import ChronicleCallback

class HoldAfterSave(TrainerCallback):
    def on_save(self, args, state, control, **kwargs):
        if state.global_step == 5:
            print("SAVED", flush=True)
            time.sleep(4.0)  # HF's kill_wait (3 s) runs out meanwhile

args = hf_trainer.training_arguments(Path(sys.argv[1]), max_steps=1000, save_steps=5, save_total_limit=None)
args.enable_jit_checkpoint = True
callback = ChronicleCallback(heartbeat_interval=30)
trainer = hf_trainer.Trainer(model=hf_trainer.tiny_gpt2(), args=args, train_dataset=hf_trainer.CountingDataset(),
                             callbacks=[callback, HoldAfterSave()])
if sys.argv[2] == "wrapped":
    callback.train(trainer)
else:
    trainer.train()
"""


@pytest.mark.parametrize("mode", ["wrapped", "plain"])
def test_a_jit_save_into_the_folder_still_uploading_keeps_that_checkpoint_and_ends_abandoned(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path, mode: str
) -> None:
    """Finding 3's second half: the just-in-time save rewrites checkpoint-5 while its periodic upload runs.

    The run must end ``failed_abandoned`` (never ``failed_crash``), and step 5 must be a ready checkpoint,
    whole: the bytes of one save or the other, never a mix.
    """
    import signal
    import subprocess
    import sys

    exp_id, v, r = committed_run
    examples = str(EXAMPLES)
    server.faults.delay_storage(1.5)  # each storage request 1.5 s late: the step-5 upload is still in flight
    log = tmp_path / "child.log"
    try:
        with log.open("w") as errors:
            child = subprocess.Popen(
                [sys.executable, "-c", JIT_SAME_STEP_CHILD, str(tmp_path / "out"), mode, examples],
                env=chronicle_env(server, committed_run),
                stdout=subprocess.PIPE,
                stderr=errors,
                text=True,
            )
            assert child.stdout is not None
            for line in child.stdout:
                if line.startswith("SAVED"):
                    break
            else:
                pytest.fail("the child ended before its step-5 save: " + log.read_text()[-3000:])
            child.send_signal(signal.SIGTERM)
            try:
                child.communicate(timeout=60)  # the scheduler's grace, then SIGKILL
            except subprocess.TimeoutExpired:
                child.kill()
                pytest.fail("the process outlived the grace after SIGTERM: " + log.read_text()[-3000:])
    finally:
        server.faults.reset()
    err = log.read_text()
    saved = sorted(f.name for f in (tmp_path / "out").glob("checkpoint-*"))
    assert saved == ["checkpoint-5"], saved  # the just-in-time save landed on step 5: the collision happened
    assert err.count("Writing model shards: 100%") == 2, err[-3000:]  # the periodic save, then HF's JIT one
    assert client.run(exp_id, v, r).state == "failed_abandoned", err[-3000:]
    checkpoints = [a for a in client.variation(exp_id, v).list_outputs() if a.asset_type == "checkpoint"]
    ready = [a for a in checkpoints if a.state == "ready" and a.asset_config["step"] == 5]
    assert ready, ([(a.asset_config["step"], a.state) for a in checkpoints], err[-3000:])
    for asset in ready:
        folder = client.run(exp_id, v, r).download_checkpoint(tmp_path / "down" / asset.id, step=5)
        assert folder is not None
        assert json.loads((folder / "trainer_state.json").read_text())["global_step"] == 5
        import torch

        torch.load(folder / "optimizer.pt", weights_only=False)  # whole, not torn


class PlantOutsideLink(TrainerCallback):
    """Before ChronicleCallback's on_save: a symlink out of checkpoint-<step>, which registration refuses."""

    def __init__(self, step: int, target: Path) -> None:
        self.step, self.target = step, target

    def on_save(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        if state.global_step == self.step:
            (Path(args.output_dir) / f"checkpoint-{self.step}" / "outside.bin").symlink_to(self.target)


@pytest.mark.parametrize("mode", ["wrapped", "plain"])
def test_a_checkpoint_refused_at_save_time_fails_the_run_at_the_end_never_a_log_line_after_succeeded(
    client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path, mode: str
) -> None:
    """Finding 7's second half, with a real Trainer: the step-4 folder cannot be registered (a link outside it).

    Training goes on (one refused checkpoint must not crash a long run) and later saves are uploaded, but
    the run ends ``failed_crash`` with an ``UploadError`` naming step 4, from ``callback.train`` or, without
    it, from the Trainer's ``on_train_end``: never ``succeeded`` with a checkpoint missing.
    """
    import hf_trainer
    from transformers import Trainer

    from methodic import UploadError
    from methodic.integrations.transformers import ChronicleCallback

    exp_id, v, r = committed_run
    outside = tmp_path / "elsewhere.bin"
    outside.write_bytes(b"x")
    callback = ChronicleCallback(client.run(exp_id, v, r), heartbeat_interval=30)
    args = hf_trainer.training_arguments(tmp_path / "out", max_steps=6, save_steps=2, save_total_limit=None)
    trainer = Trainer(
        model=hf_trainer.tiny_gpt2(),
        args=args,
        train_dataset=hf_trainer.CountingDataset(),
        callbacks=[PlantOutsideLink(4, outside), callback],
    )
    with pytest.raises(UploadError, match="step 4"):
        callback.train(trainer) if mode == "wrapped" else trainer.train()
    assert client.run(exp_id, v, r).state == "failed_crash"
    checkpoints = checkpoints_by_step(client, exp_id, v)
    assert sorted(checkpoints) == [2, 6] and all(a.state == "ready" for a in checkpoints.values())


class Clock(TrainerCallback):
    """Notes when the Trainer reached it in ``on_train_begin`` (placed before and after ChronicleCallback)."""

    def __init__(self) -> None:
        self.at = 0.0

    def on_train_begin(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        import time

        self.at = time.monotonic()


def test_the_environment_snapshot_is_captured_and_uploaded_off_the_training_thread(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    from transformers import Trainer

    from methodic.integrations.transformers import ChronicleCallback

    hf = _hf()
    run = client.run(*committed_run).start()
    before, after = Clock(), Clock()
    callback = ChronicleCallback(client.run(*committed_run), heartbeat_interval=30)
    trainer = Trainer(
        model=hf.tiny_gpt2(),
        args=hf.training_arguments(tmp_path / "out", max_steps=2, save_steps=2, save_total_limit=None),
        train_dataset=hf.CountingDataset(),
        callbacks=[before, callback, after],
    )
    server.faults.delay_api(0.6)  # every API call now takes 0.6 s
    try:
        callback.train(trainer)
    finally:
        server.faults.reset()
    # on_train_begin made one call (the run's state); capturing the packages and uploading them would add one
    # more and the capture itself. The snapshot is still the run's first output, and complete.
    assert 0.6 <= after.at - before.at < 1.0
    assert run.refresh_state() == "succeeded"
    outputs = sorted(run.list_outputs(), key=lambda a: a.created_at or "")
    assert [a.asset_type for a in outputs] == ["environment", "checkpoint"]
    content = client.assets.get(outputs[0].id).content
    assert content["trainer"]["framework"] == "transformers" and content["packages"]
    assert any(p.lower().startswith("transformers==") for p in content["packages"])


class RewriteAfterSave(TrainerCallback):
    """Rewrites a file of each saved checkpoint in place (same inode) after it was handed over: its upload fails."""

    def on_save(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        state_file = Path(args.output_dir) / f"checkpoint-{state.global_step}" / "trainer_state.json"
        state_file.write_text(state_file.read_text() + " ")


def test_two_trainers_in_one_process_each_runs_end_answers_for_its_own_uploads(
    server: LocalChronicle, client: Chronicle, tmp_path: Path
) -> None:
    from methodic import UploadError
    from methodic.integrations.transformers import ChronicleCallback

    hf = _hf()
    server.faults.delay_storage(0.3)  # B's checkpoint is still uploading (then failing) while A trains and ends
    runs = []
    for title in ("A", "B"):
        exp = client.experiments.create(title=title, hypothesis_summary="h", config_yaml=CONFIG)
        exp.commit()
        client.variation(exp.id, 0).commit(commit_without_hypothesis=True)
        runs.append(client.run(exp.id, 0, 0))
    run_a, run_b = runs

    def trainer(callbacks: list[Any], out: Path) -> Any:
        args = hf.training_arguments(out, max_steps=2, save_steps=2, save_total_limit=None)
        return hf.Trainer(model=hf.tiny_gpt2(), args=args, train_dataset=hf.CountingDataset(), callbacks=callbacks)

    callback_b = ChronicleCallback(run_b, environment=False, end_run=False)
    trainer([callback_b, RewriteAfterSave()], tmp_path / "b").train()
    trainer([ChronicleCallback(run_a, environment=False)], tmp_path / "a").train()  # ends run A at train end

    assert run_a.refresh_state() == "succeeded"
    (checkpoint_a,) = [a for a in run_a.list_outputs() if a.asset_type == "checkpoint"]
    assert checkpoint_a.state == "ready"

    assert callback_b.session is not None
    with pytest.raises(UploadError) as info:
        callback_b.session.finish()  # B's end answers for B's torn checkpoint, which A's end left alone
    (checkpoint_b,) = [a for a in run_b.list_outputs() if a.asset_type == "checkpoint"]
    assert {asset for asset, _, _ in info.value.failures} == {checkpoint_b.id}
    assert checkpoint_b.state != "ready"
    assert run_b.refresh_state() == "failed_crash"
