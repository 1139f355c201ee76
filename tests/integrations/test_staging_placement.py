"""Staging never shows in the folders a trainer lists (issue 26, finding 2), with the real frameworks on the CPU.

Storage is slowed down so that every save happens while earlier checkpoints are still uploading (their
staged links exist): exactly when accelerate's ``total_limit``, HF's ``save_total_limit`` and Lightning's
``save_top_k`` list their folders. The staging root is chosen automatically (no ``METHODIC_STAGING_DIR``),
with a per-user cache of the test's own on the same filesystem.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("accelerate")
pytest.importorskip("transformers")
pytest.importorskip("lightning")

import lightning.pytorch as pl
import torch
from transformers import TrainerCallback

from methodic import Chronicle
from methodic.transfer.staging_roots import STAGING_DIR_ENV, staging_root
from methodic_server import LocalChronicle
from tests.helpers import EXAMPLES, checkpoints_by_step, staged_leftovers


@pytest.fixture
def automatic_staging(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv(STAGING_DIR_ENV, raising=False)
    xdg = tmp_path_factory.mktemp("xdg-cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(xdg))
    return xdg / "methodic" / "staging"


@pytest.fixture
def fresh_accelerator_state() -> Iterator[None]:
    from accelerate.state import AcceleratorState, GradientState, PartialState

    yield
    AcceleratorState._reset_state(True)
    GradientState._reset_state()
    PartialState._reset_state()


def test_accelerate_automatic_naming_with_total_limit_rotates_past_uploads_in_flight(
    server: LocalChronicle,
    client: Chronicle,
    committed_run: tuple[str, int, int],
    tmp_path: Path,
    automatic_staging: Path,
    fresh_accelerator_state: None,
) -> None:
    from accelerate import Accelerator
    from accelerate.utils import ProjectConfiguration

    from methodic.integrations.accelerate import AccelerateSession

    exp_id, v, r = committed_run
    project = tmp_path / "project"
    accelerator = Accelerator(
        cpu=True,
        project_config=ProjectConfiguration(project_dir=str(project), automatic_checkpoint_naming=True, total_limit=2),
    )
    model = torch.nn.Linear(8, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    model, optimizer = accelerator.prepare(model, optimizer)
    server.faults.delay_storage(0.3)  # every save rotates while the previous checkpoints still upload
    listings: list[list[str]] = []
    with AccelerateSession(accelerator, client.run(exp_id, v, r), tracker_dir=tmp_path, heartbeat_interval=30) as s:
        for step in range(1, 5):
            loss = model(torch.randn(4, 8)).pow(2).mean()
            accelerator.backward(loss)
            optimizer.step()
            optimizer.zero_grad()
            s.save_state(project / "ignored", step=step, metrics={"loss": loss.item()})  # no IndexError
            listings.append(sorted(os.listdir(project / "checkpoints")))
            assert sorted(os.listdir(project)) == ["checkpoints"]
    server.faults.reset()
    assert staging_root(project / "checkpoints" / "checkpoint_3") == automatic_staging
    assert listings == [
        ["checkpoint_0"],
        ["checkpoint_0", "checkpoint_1"],
        ["checkpoint_1", "checkpoint_2"],
        ["checkpoint_2", "checkpoint_3"],
    ]
    assert client.run(exp_id, v, r).state == "succeeded"
    checkpoints = checkpoints_by_step(client, exp_id, v)
    assert sorted(checkpoints) == [1, 2, 3, 4]
    assert all(a.state == "ready" for a in checkpoints.values())
    assert [checkpoints[s].name for s in range(1, 5)] == [f"checkpoint_{i}" for i in range(4)]
    for i in range(4):
        assert staged_leftovers(project / "checkpoints" / f"checkpoint_{i}") == []


class ListOnSave(TrainerCallback):
    """Lists the output folder right after each save, as a user's tooling or HF's own rotation would."""

    def __init__(self) -> None:
        self.seen: list[tuple[list[str], list[str], list[str]]] = []

    def on_save(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        from transformers.trainer_utils import sort_checkpoints

        out = Path(args.output_dir)
        sorted_by_hf = [Path(p).name for p in sort_checkpoints(str(out))]
        self.seen.append((sorted(os.listdir(out)), sorted(p.name for p in out.glob("checkpoint-*")), sorted_by_hf))


def test_hf_save_total_limit_rotation_and_listings_of_the_output_dir_see_nothing_of_ours(
    server: LocalChronicle,
    client: Chronicle,
    committed_run: tuple[str, int, int],
    tmp_path: Path,
    automatic_staging: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.syspath_prepend(str(EXAMPLES))
    import hf_trainer

    exp_id, v, r = committed_run
    out = tmp_path / "out"
    listing = ListOnSave()
    server.faults.delay_storage(0.3)
    hf_trainer.train(
        out, run=client.run(exp_id, v, r), max_steps=6, save_steps=1, save_total_limit=2, extra_callbacks=[listing]
    )
    server.faults.reset()
    tracker_files = {"methodic-uploads.sqlite", "methodic-uploads.sqlite-wal", "methodic-uploads.sqlite-shm"}
    assert len(listing.seen) == 6
    for step, (entries, globbed, sorted_by_hf) in enumerate(listing.seen, start=1):
        # The integration's upload tracker is the one file of ours there (it is no checkpoint folder).
        assert [e for e in entries if e not in tracker_files] == globbed == sorted_by_hf
        assert globbed[-1] == f"checkpoint-{step}" and len(globbed) <= 2  # rotated before on_save
    assert sorted(p.name for p in out.glob("checkpoint-*")) == ["checkpoint-5", "checkpoint-6"]
    assert sorted(os.listdir(tmp_path)) == ["out"]
    assert staging_root(out / "checkpoint-6") == automatic_staging
    assert client.run(exp_id, v, r).state == "succeeded"
    checkpoints = checkpoints_by_step(client, exp_id, v)
    assert sorted(checkpoints) == [1, 2, 3, 4, 5, 6] and all(a.state == "ready" for a in checkpoints.values())
    for step in range(1, 7):
        assert staged_leftovers(out / f"checkpoint-{step}") == []


class ListDirpath(pl.Callback):
    """Lists ModelCheckpoint's dirpath before every batch: after the previous save was handed over."""

    def __init__(self, dirpath: Path) -> None:
        self.dirpath = dirpath
        self.seen: list[list[str]] = []

    def on_train_batch_start(self, trainer: pl.Trainer, *args: Any) -> None:
        if self.dirpath.exists():
            self.seen.append(sorted(os.listdir(self.dirpath)))

    def on_train_end(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        self.seen.append(sorted(os.listdir(self.dirpath)))


def test_lightning_save_top_k_dirpath_holds_only_checkpoint_files(
    server: LocalChronicle,
    client: Chronicle,
    committed_run: tuple[str, int, int],
    tmp_path: Path,
    automatic_staging: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.syspath_prepend(str(EXAMPLES))
    import lightning_runner

    exp_id, v, r = committed_run
    root = tmp_path / "root"
    dirpath = root / "checkpoints"
    listing = ListDirpath(dirpath)
    server.faults.delay_storage(0.2)
    lightning_runner.fit(root, run=client.run(exp_id, v, r), max_steps=12, extra_callbacks=[listing])
    server.faults.reset()
    assert len(listing.seen) >= 3
    for entries in listing.seen:
        assert entries and all(e.endswith(".ckpt") for e in entries), entries
    assert len(listing.seen[-1]) == 1  # save_top_k=1
    assert ".methodic-staging" not in os.listdir(root)
    assert client.run(exp_id, v, r).state == "succeeded"
    checkpoints = checkpoints_by_step(client, exp_id, v)
    assert len(checkpoints) >= 3 and all(a.state == "ready" for a in checkpoints.values())
    assert not any(automatic_staging.glob("*"))  # every staged folder is gone once its asset is ready
