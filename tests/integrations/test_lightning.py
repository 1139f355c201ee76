"""ChronicleCallback with a real Lightning Trainer (CPU) against the local server."""

from __future__ import annotations

import filecmp
import shutil
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("lightning")

import lightning.pytorch as pl
import torch
from lightning.pytorch.loggers import Logger

from methodic import Chronicle
from methodic_server import LocalChronicle
from tests.helpers import checkpoints_by_step


def _runner() -> Any:
    import lightning_runner

    return lightning_runner


class CopyAfterSave(Logger):
    """Copies each checkpoint file the moment Lightning wrote it, before save_top_k deletes the old one."""

    def __init__(self, into: Path) -> None:
        super().__init__()
        self.into = into
        self.copied: dict[int, Path] = {}

    name = "copy"  # type: ignore[assignment]
    version = "0"  # type: ignore[assignment]

    def log_metrics(self, metrics: Any, step: Any = None) -> None:
        pass

    def log_hyperparams(self, params: Any, *args: Any, **kwargs: Any) -> None:
        pass

    def after_save_checkpoint(self, checkpoint_callback: Any) -> None:
        source = Path(checkpoint_callback.best_model_path)
        step = torch.load(source, weights_only=False)["global_step"]
        self.into.mkdir(parents=True, exist_ok=True)
        self.copied[step] = Path(shutil.copy2(source, self.into / f"{step}.ckpt"))


class CopyingCallback(pl.Callback):
    """Attaches the CopyAfterSave logger (the test's own, so the runner needs no logger)."""

    def __init__(self, copier: CopyAfterSave) -> None:
        self.copier = copier

    def on_fit_start(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        trainer.loggers = [*trainer.loggers, self.copier]


class CrashAt(pl.Callback):
    """Raises inside fit once ``step`` is reached."""

    def __init__(self, step: int) -> None:
        self.step = step

    def on_train_batch_end(self, trainer: pl.Trainer, *args: Any) -> None:
        if trainer.global_step == self.step:
            raise RuntimeError(f"boom at step {self.step}")


def test_save_top_k_rotation_with_slow_storage_loses_nothing(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    exp_id, v, r = committed_run
    copier = CopyAfterSave(tmp_path / "as-saved")
    server.faults.delay_storage(0.2)
    _runner().fit(
        tmp_path / "root", run=client.run(exp_id, v, r), max_steps=12, extra_callbacks=[CopyingCallback(copier)]
    )
    server.faults.reset()
    on_disk = list((tmp_path / "root" / "checkpoints").glob("*.ckpt"))
    assert len(on_disk) == 1  # save_top_k=1 deleted the others
    assert not list((tmp_path / "root" / "checkpoints").glob(".methodic-*"))  # our link folders are gone
    run = client.run(exp_id, v, r)
    assert run.state == "succeeded"
    checkpoints = checkpoints_by_step(client, exp_id, v)
    # save_top_k=1 with a monitor saves on improvement only; every file it did write was uploaded.
    assert sorted(checkpoints) == sorted(copier.copied)
    assert len(checkpoints) >= 3
    for step, asset in checkpoints.items():
        assert asset.state == "ready"
        assert asset.asset_config["framework"] == "lightning"
        assert "train_loss" in asset.asset_config["metrics"]
        ckpt = _runner_download(run, tmp_path / "down", step)
        assert filecmp.cmp(copier.copied[step], ckpt, shallow=False)
    environment = next(a for a in run.list_outputs() if a.asset_type == "environment")
    content = client.assets.get(environment.id).content
    assert content["hyperparameters"] == {"hidden": 32, "lr": 0.05}
    assert content["trainer"]["framework"] == "lightning"


def _runner_download(run: Any, dest: Path, step: int) -> Path:
    folder = run.download_checkpoint(dest, step=step)
    files = list(folder.iterdir())
    assert len(files) == 1 and files[0].suffix == ".ckpt"
    return files[0]


def test_exception_fails_the_run_with_saved_checkpoints_ready_and_fit_resumes_from_the_newest(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    exp_id, v, r = committed_run
    with pytest.raises(RuntimeError, match="boom at step 7"):
        _runner().fit(tmp_path / "first", run=client.run(exp_id, v, r), max_steps=12, extra_callbacks=[CrashAt(7)])
    first = client.run(exp_id, v, r)
    assert first.state == "failed_crash" and "boom at step 7" in (first.failure_reason or "")
    assert sorted(checkpoints_by_step(client, exp_id, v)) == [2, 4, 6]
    assert all(a.state == "ready" for a in checkpoints_by_step(client, exp_id, v).values())

    continuation = client.run(exp_id, v, server.new_run(exp_id, v))
    model = _runner().fit(tmp_path / "second", run=continuation, max_steps=12)
    assert min(model.losses) == 7  # resumed at global_step 6
    assert continuation.refresh_state() == "succeeded"
    steps = sorted(checkpoints_by_step(client, exp_id, v))
    assert steps[:3] == [2, 4, 6] and len(steps) > 3  # the continuation saved more on top
    assert all(a.state == "ready" for a in checkpoints_by_step(client, exp_id, v).values())


def test_a_continuation_in_the_same_folder_uploads_each_file_once_under_its_own_step(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    from lightning.pytorch.callbacks import ModelCheckpoint

    from methodic.integrations.lightning import ChronicleCallback

    def fit(run: Any, *extra: pl.Callback, resume: bool = False) -> None:
        pl.seed_everything(0, verbose=False)
        callback = ChronicleCallback(run, heartbeat_interval=30)
        every = ModelCheckpoint(monitor="train_loss", save_top_k=-1, every_n_train_steps=2)
        trainer = pl.Trainer(
            default_root_dir=str(tmp_path / "root"),
            max_steps=10,
            accelerator="cpu",
            devices=1,
            logger=False,
            enable_progress_bar=False,
            enable_model_summary=False,
            log_every_n_steps=1,
            callbacks=[callback, every, *extra],
        )
        ckpt = callback.download_checkpoint(tmp_path / "root" / "resume") if resume else None
        trainer.fit(_runner().Regression(), _runner().data(), ckpt_path=ckpt)

    exp_id, v, r = committed_run
    with pytest.raises(RuntimeError):
        fit(client.run(exp_id, v, r), CrashAt(7))
    continuation = client.run(exp_id, v, server.new_run(exp_id, v))
    fit(continuation, resume=True)  # ModelCheckpoint restores best_k_models: the old files are listed again
    recorded = []
    for asset in client.variation(exp_id, v).list_outputs():
        if asset.asset_type == "checkpoint":
            file = continuation.download_asset(asset.id, tmp_path / "down" / asset.id)[0]
            recorded.append((asset.asset_config["step"], torch.load(file, weights_only=False)["global_step"]))
    assert sorted(recorded) == [(2, 2), (4, 4), (6, 6), (8, 8), (10, 10)]  # each once, under its real step
