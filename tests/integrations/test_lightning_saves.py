"""Every checkpoint Lightning writes during ``fit`` is uploaded (issue 26, findings 4-6 and 8), with a real Trainer.

``ModelCheckpoint(save_on_exception=True)`` and ``OnExceptionCheckpoint`` write after the exception (the
run must not be failed before their file is handed over); ``trainer.save_checkpoint`` called by hand,
also with ``weights_only=True``; a weights-only checkpoint resumed through the callback; a requeued job
(the same command after a kill -9) resuming from the checkpoint the killed attempt never finished
uploading; and nothing of ours ever in the checkpoint folder, even for a moment.
"""

from __future__ import annotations

import filecmp
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("lightning")

import lightning.pytorch as pl
import torch
from lightning.pytorch.callbacks import ModelCheckpoint

from methodic import Chronicle
from methodic.transfer.staging_roots import staging_root
from methodic_server import LocalChronicle
from tests.helpers import chronicle_env

CHILD = Path(__file__).with_name("lightning_child.py")


def _runner() -> Any:
    import lightning_runner

    return lightning_runner


def _checkpoints(client: Chronicle, exp_id: str, v: int) -> list[Any]:
    return [a for a in client.variation(exp_id, v).list_outputs() if a.asset_type == "checkpoint"]


def _by_step(client: Chronicle, exp_id: str, v: int) -> dict[int, Any]:
    return {a.asset_config["step"]: a for a in _checkpoints(client, exp_id, v)}


def _trainer(root: Path, *callbacks: pl.Callback, max_steps: int = 6) -> pl.Trainer:
    pl.seed_everything(0, verbose=False)
    return pl.Trainer(
        default_root_dir=str(root),
        max_steps=max_steps,
        accelerator="cpu",
        devices=1,
        logger=False,
        enable_progress_bar=False,
        enable_model_summary=False,
        log_every_n_steps=1,
        callbacks=list(callbacks),
    )


def _step_in_file(client: Chronicle, asset_id: str, dest: Path) -> tuple[Path, dict[str, Any]]:
    client.assets.download(asset_id, dest, progress=False)
    (file,) = [p for p in dest.iterdir() if p.is_file()]
    return file, torch.load(file, weights_only=False)


class CrashAt(pl.Callback):
    def __init__(self, step: int) -> None:
        self.step = step

    def on_train_batch_end(self, trainer: pl.Trainer, *args: Any) -> None:
        if trainer.global_step == self.step:
            raise RuntimeError(f"boom at step {self.step}")


@pytest.mark.parametrize("which", ["save_on_exception", "OnExceptionCheckpoint"])
def test_sigterm_the_exception_checkpoint_is_uploaded_before_the_run_fails(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path, which: str
) -> None:
    exp_id, v, r = committed_run
    flag = "--save-on-exception" if which == "save_on_exception" else "--on-exception-checkpoint"
    root = tmp_path / "root"
    child = subprocess.Popen(
        [sys.executable, str(CHILD), str(root), "--max-steps", "100", "--every", "3", "--sleep", "0.1", flag],
        env=chronicle_env(server, committed_run),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    for line in child.stdout:
        if line.strip() == "STEP 4":  # step 3 was saved by ModelCheckpoint; 4 was not
            break
    else:
        raise AssertionError(child.stderr.read() if child.stderr else "no output")
    server.faults.delay_storage(0.5)  # the exception checkpoint's upload is still running when the drain starts
    sent = time.monotonic()
    child.send_signal(signal.SIGTERM)  # a scheduler's preemption; SIGKILL would follow after its 30 s grace
    try:
        child.wait(30)
    except subprocess.TimeoutExpired:
        child.kill()
        pytest.fail("the process outlived the scheduler's grace")
    finally:
        server.faults.reset()
    assert time.monotonic() - sent < 25
    run = client.run(exp_id, v, r)
    assert run.refresh_state() == "failed_abandoned", child.stderr.read() if child.stderr else ""
    saved_on_exception = [a for a in _checkpoints(client, exp_id, v) if a.asset_config.get("on_exception")]
    assert len(saved_on_exception) == 1 and saved_on_exception[0].state == "ready"
    asset = saved_on_exception[0]
    file, content = _step_in_file(client, asset.id, tmp_path / "down")
    assert content["global_step"] == asset.asset_config["step"] >= 4  # the state at the signal, not step 3's
    if which == "OnExceptionCheckpoint":
        assert file.name == "on_exception.ckpt"
    assert asset.asset_config["weights_only"] is False
    assert all(a.state == "ready" for a in _checkpoints(client, exp_id, v))


def test_a_crash_with_save_on_exception_fails_the_run_after_the_exception_checkpoint_is_ready(
    client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    from methodic.integrations.lightning import ChronicleCallback

    exp_id, v, r = committed_run
    callback = ChronicleCallback(client.run(exp_id, v, r), heartbeat_interval=30)
    every = ModelCheckpoint(dirpath=tmp_path / "ckpts", every_n_train_steps=2, save_top_k=-1, save_on_exception=True)
    with pytest.raises(RuntimeError, match="boom at step 5"):
        _trainer(tmp_path / "root", callback, every, CrashAt(5)).fit(_runner().Regression(), _runner().data())
    run = client.run(exp_id, v, r)
    assert run.state == "failed_crash" and "boom at step 5" in (run.failure_reason or "")
    checkpoints = _by_step(client, exp_id, v)
    assert sorted(checkpoints) == [2, 4, 5] and all(a.state == "ready" for a in checkpoints.values())
    assert checkpoints[5].asset_config["on_exception"] is True and "on_exception" not in checkpoints[4].asset_config
    _, content = _step_in_file(client, checkpoints[5].id, tmp_path / "down")
    assert content["global_step"] == 5


class SaveByHand(pl.Callback):
    """Calls ``trainer.save_checkpoint`` during fit, as users do for a milestone or an export."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.copies: dict[str, Path] = {}

    def on_train_batch_end(self, trainer: pl.Trainer, *args: Any) -> None:
        if trainer.global_step == 3:
            self._save(trainer, "milestone.ckpt", weights_only=False)
        if trainer.global_step == 5:
            self._save(trainer, "export-weights.ckpt", weights_only=True)

    def _save(self, trainer: pl.Trainer, name: str, *, weights_only: bool) -> None:
        trainer.save_checkpoint(self.folder / name, weights_only=weights_only)
        copy = self.folder.parent / f"as-saved-{name}"
        copy.write_bytes((self.folder / name).read_bytes())
        self.copies[name] = copy
        (self.folder / name).unlink()  # the user moves it away at once: the upload must not need it


def test_a_hand_called_save_checkpoint_during_fit_is_uploaded_weights_only_recorded_as_such(
    client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    from methodic.integrations.lightning import ChronicleCallback

    exp_id, v, r = committed_run
    (tmp_path / "hand").mkdir()
    by_hand = SaveByHand(tmp_path / "hand")
    callback = ChronicleCallback(client.run(exp_id, v, r), heartbeat_interval=30)
    _trainer(tmp_path / "root", callback, by_hand, max_steps=6).fit(_runner().Regression(), _runner().data())
    assert client.run(exp_id, v, r).state == "succeeded"
    named = {a.name: a for a in _checkpoints(client, exp_id, v)}
    assert {"milestone", "export-weights"} <= set(named)
    milestone, weights = named["milestone"], named["export-weights"]
    assert (milestone.asset_config["step"], milestone.asset_config["weights_only"]) == (3, False)
    assert (weights.asset_config["step"], weights.asset_config["weights_only"]) == (5, True)
    for asset, name in ((milestone, "milestone.ckpt"), (weights, "export-weights.ckpt")):
        assert asset.state == "ready"
        file, content = _step_in_file(client, asset.id, tmp_path / "down" / name)
        assert filecmp.cmp(file, by_hand.copies[name], shallow=False)
        assert ("optimizer_states" in content) is (name == "milestone.ckpt")


def test_resuming_from_a_weights_only_checkpoint_restores_weights_and_step_with_fresh_optimizers(
    server: LocalChronicle,
    client: Chronicle,
    committed_run: tuple[str, int, int],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from methodic.integrations.lightning import ChronicleCallback

    exp_id, v, r = committed_run
    first = ChronicleCallback(client.run(exp_id, v, r), heartbeat_interval=30)
    weights = ModelCheckpoint(dirpath=tmp_path / "ckpts", every_n_train_steps=2, save_top_k=1, save_weights_only=True)
    with pytest.raises(RuntimeError):
        _trainer(tmp_path / "first", first, weights, CrashAt(5), max_steps=10).fit(
            _runner().Regression(), _runner().data()
        )
    newest = _by_step(client, exp_id, v)[4]
    assert newest.asset_config["weights_only"] is True

    continuation = client.run(exp_id, v, server.new_run(exp_id, v))
    second = ChronicleCallback(continuation, heartbeat_interval=30)
    at_start = WeightsAtStart()
    trainer = _trainer(tmp_path / "second", second, ModelCheckpoint(every_n_train_steps=2), at_start, max_steps=8)
    model = _runner().Regression()
    ckpt = second.download_checkpoint(tmp_path / "second" / "resume", trainer=trainer)
    assert ckpt is not None and "holds the weights only" in caplog.text
    trainer.fit(model, _runner().data(), ckpt_path=ckpt)  # Lightning alone raises KeyError here
    assert min(model.losses) == 5  # the step was restored
    saved = torch.load(ckpt, weights_only=False)["state_dict"]
    assert saved.keys() == at_start.weights.keys()
    assert all(torch.equal(saved[k], at_start.weights[k]) for k in saved)  # the weights were restored
    adam = trainer.optimizers[0].state_dict()["state"]
    assert adam and all(int(s["step"]) == 8 - 4 for s in adam.values())  # fresh at the resume: 4 steps, not 8
    assert continuation.refresh_state() == "succeeded"


class WeightsAtStart(pl.Callback):
    """The module's weights when training starts (after Lightning restored the checkpoint)."""

    def __init__(self) -> None:
        self.weights: dict[str, torch.Tensor] = {}

    def on_train_start(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        self.weights = {k: v.detach().clone() for k, v in pl_module.state_dict().items()}


def test_a_requeued_job_resumes_from_the_checkpoint_the_killed_attempt_never_finished_uploading(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    exp_id, v, r = committed_run
    env = chronicle_env(server, committed_run)
    root = tmp_path / "root"
    server.faults.delay_storage(2.0)  # the uploads of steps 2 and 4 are in flight when the kill lands
    first = subprocess.run(
        [sys.executable, str(CHILD), str(root), "--kill-at", "4"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert first.returncode == -signal.SIGKILL, first.stderr[-3000:]
    server.faults.reset()
    assert _by_step(client, exp_id, v)[4].state == "pending"
    assert client.run(exp_id, v, r).state == "running"

    # The scheduler runs the same command again, on the same run and folder, without `methodic uploads resume`.
    again = subprocess.run(
        [sys.executable, str(CHILD), str(root)], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert again.returncode == 0, again.stderr[-3000:]
    assert "FIRST_STEP 5" in again.stdout  # it resumed from step 4, which was pending when it started
    checkpoints = _by_step(client, exp_id, v)
    assert sorted(checkpoints) == [2, 4, 6, 8]
    assert all(a.state == "ready" for a in checkpoints.values())  # nothing pending on the finished run
    assert client.run(exp_id, v, r).state == "succeeded"


def test_ranks_outside_a_process_group_wait_for_rank_zeros_rescue_and_choose_the_same_checkpoint(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    exp_id, v, _ = committed_run
    root = tmp_path / "root"
    server.faults.delay_storage(2.0)
    killed = subprocess.run(
        [sys.executable, str(CHILD), str(root), "--kill-at", "4"],
        env=chronicle_env(server, committed_run),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-3000:]
    server.faults.reset()
    assert {s: a.state for s, a in _by_step(client, exp_id, v).items()} == {2: "pending", 4: "pending"}

    def rank(n: int) -> subprocess.Popen[str]:
        env = chronicle_env(server, committed_run, RANK=str(n), WORLD_SIZE="2", LOCAL_RANK=str(n))
        argv = [sys.executable, str(CHILD), str(root), "--choose-only"]
        return subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    second = rank(1)  # torchrun starts every rank at once; this one may well choose first
    time.sleep(3.0)  # it is waiting: nothing is ready yet, and it cannot finish rank 0's uploads
    assert second.poll() is None
    first = rank(0)
    outputs = [p.communicate(timeout=120) for p in (first, second)]
    chosen = [out.strip().splitlines()[-1] if out.strip() else err[-2000:] for out, err in outputs]
    assert chosen == ["CHOSE checkpoint-4", "CHOSE checkpoint-4"]


def test_a_checkpoint_file_gets_its_folder_in_the_staging_root_never_in_the_checkpoint_folder(
    client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import methodic.integrations.lightning as integration

    seen: list[tuple[Path, Path, list[str]]] = []
    real = integration.folder_for_file

    def watched(file: Path | str, name: str | None = None) -> Path:
        folder = real(file, name)
        seen.append((Path(file), folder, sorted(os.listdir(Path(file).parent))))  # while the folder exists
        return folder

    monkeypatch.setattr(integration, "folder_for_file", watched)
    callback = integration.ChronicleCallback(client.run(*committed_run), heartbeat_interval=30)
    dirpath = tmp_path / "root" / "checkpoints"
    every = ModelCheckpoint(dirpath=dirpath, every_n_train_steps=2, save_top_k=2, monitor="train_loss", save_last=True)
    _trainer(tmp_path / "root", callback, every).fit(_runner().Regression(), _runner().data())
    assert len(seen) >= 4
    for file, folder, listing in seen:
        assert staging_root(file) in folder.parents
        assert all(name.endswith(".ckpt") for name in listing), listing
        assert not folder.exists()  # removed once staged
    assert sorted(os.listdir(tmp_path / "root")) == ["checkpoints", "methodic-uploads.sqlite"]
    assert client.run(*committed_run).state == "succeeded"
