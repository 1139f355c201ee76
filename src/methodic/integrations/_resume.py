"""Resuming from Chronicle on every node: rank 0 chooses the checkpoint, one process per node downloads it.

Split from :mod:`methodic.integrations.session` (which re-exports :func:`download_checkpoint_on_every_node`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from methodic.errors import CheckpointNotFoundError, ChronicleError
from methodic.integrations import _distributed
from methodic.types import DownloadedCheckpoint

if TYPE_CHECKING:
    from methodic.run import Run


def _choose_checkpoint(run: Run, dest: Path | str, step: int | None, from_inputs: bool) -> DownloadedCheckpoint | None:
    """The checkpoint to resume from and where it goes; CheckpointNotFoundError for a ``step`` never saved."""
    from methodic.run import checkpoint_folder_name, checkpoint_step

    asset = run.find_checkpoint(step, from_inputs=from_inputs)
    if asset is None:
        if step is not None:
            raise CheckpointNotFoundError(f"no ready checkpoint with step={step} for {run!r}")
        return None
    config = dict(asset.asset_config) if isinstance(asset.asset_config, Mapping) else {}
    return DownloadedCheckpoint.of(Path(dest) / checkpoint_folder_name(asset), asset.id, checkpoint_step(asset), config)


def download_checkpoint_on_every_node(
    run: Run,
    dest: Path | str,
    step: int | None = None,
    *,
    from_inputs: bool = False,
    shared_filesystem: bool = False,
) -> DownloadedCheckpoint | None:
    """The collective form of ``run.download_checkpoint``: every rank gets the same checkpoint.

    Rank 0 chooses the checkpoint (so no rank can pick a newer one that landed meanwhile), one process
    per node downloads it (only rank 0 with ``shared_filesystem=True``), and every rank returns once
    the files are in place. A failure on any rank raises on every rank, instead of leaving the others
    waiting at a barrier. Outside a process group (a single process, or torchrun's processes before
    the framework initialised the group) each process chooses and downloads for itself; downloads are
    atomic per file, so processes sharing a folder never see a torn file.
    """
    if not _distributed.in_process_group():
        alone = _choose_checkpoint(run, dest, step, from_inputs)
        if alone is not None:
            run.download_asset(alone.asset_id, alone.path)
        return alone

    choice: DownloadedCheckpoint | None = None
    problem: tuple[bool, str] | None = None  # (is "not found", message)
    if _distributed.is_main_process():
        try:
            choice = _choose_checkpoint(run, dest, step, from_inputs)
        except CheckpointNotFoundError as exc:
            problem = (True, str(exc))
        except Exception as exc:
            problem = (False, f"{type(exc).__name__}: {exc}")
    choice, problem = _distributed.broadcast_from_main((choice, problem))
    if problem is not None:
        not_found, message = problem
        raise CheckpointNotFoundError(message) if not_found else ChronicleError(message)
    if choice is None:
        return None
    downloads_here = _distributed.is_main_process() if shared_filesystem else _distributed.local_rank() == 0
    failure: str | None = None
    if downloads_here:
        try:
            run.download_asset(choice.asset_id, choice.path)
        except Exception as exc:
            failure = f"rank {_distributed.rank()}: {type(exc).__name__}: {exc}"
    failures = [f for f in _distributed.gather_everywhere(failure) if f is not None]
    if failures:
        raise ChronicleError(f"downloading checkpoint {choice.asset_id} failed: {'; '.join(failures)}")
    return choice
