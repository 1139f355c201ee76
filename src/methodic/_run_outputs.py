"""A run's reads: its outputs, the variation's checkpoints (find, download), the newest output.

:class:`RunOutputs` is the part of :class:`~methodic.run.Run` that reads what runs saved (``Run`` inherits
it); the helpers below judge one asset record (expired? saved at which step? which folder?).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from methodic._constants import LOGGER_NAME
from methodic._run_uploads import RunUploads
from methodic.errors import AssetExpiredError, CheckpointNotFoundError

if TYPE_CHECKING:
    from methodic.transfer.progress import ProgressOption
    from methodic.types import AssetRecord

logger = logging.getLogger(LOGGER_NAME)


class RunOutputs(RunUploads):
    """Outputs of the run or of every run of its variation, and the checkpoints a runner resumes from.

    It extends :class:`~methodic._run_uploads.RunUploads`: a checkpoint comes down through its downloads.
    """

    def list_outputs(self, *, across_runs: bool = False) -> list[AssetRecord]:
        """Outputs of this run, or (``across_runs=True``) every run's of the variation; newest first."""
        if across_runs:
            return self._api.variations.list_outputs(self.experiment_id, self.variation)
        return self._api.runs.list_outputs(self.experiment_id, self.variation, self.run)

    def find_checkpoint(
        self, step: int | None = None, *, from_inputs: bool = False, asset_type: str = "checkpoint"
    ) -> AssetRecord | None:
        """The newest ready checkpoint of this variation, or the one saved at ``step``; None when there is none.

        Outputs of every run of the variation are searched, newest first, since a continuation run
        resumes from what an earlier run saved. ``from_inputs=True`` searches the variation's inputs
        instead: a checkpoint a researcher linked to branch from another variation. ``step`` matches
        the ``step`` in the asset's ``asset_config`` (the integrations record it with every checkpoint).
        Invalidated and deprecated checkpoints are never chosen, nor expired ones (their bytes are gone:
        the state says ``expired``, or ``expires_at`` has passed), so the one before an expired newest
        is found.
        """
        return next(self._checkpoints(step, from_inputs=from_inputs, asset_type=asset_type), None)

    def _checkpoints(self, step: int | None, *, from_inputs: bool, asset_type: str) -> Iterator[AssetRecord]:
        """The checkpoints :meth:`find_checkpoint` may choose, best first (one listing, read lazily)."""
        if from_inputs:  # listed in link order: the newest first, like outputs
            linked = self._api.variations.list_inputs(self.experiment_id, self.variation)
            candidates = sorted(linked, key=lambda a: a.created_at or "", reverse=True)
        else:
            candidates = self.list_outputs(across_runs=True)
        for asset in candidates:
            if asset.asset_type != asset_type or asset.state != "ready" or has_expired(asset):
                continue
            if asset.invalidated or asset.deprecated:  # someone said not to build on it (NaN weights, say)
                continue
            if step is None or checkpoint_step(asset) == step:
                yield asset

    def download_checkpoint(
        self,
        dest: Path | str,
        step: int | None = None,
        *,
        from_inputs: bool = False,
        asset_type: str = "checkpoint",
        progress: ProgressOption = None,
    ) -> Path | None:
        """Download the newest ready checkpoint (or the one at ``step``) under ``dest``; return its folder or None.

        One line resumes a trainer: ``trainer.train(resume_from_checkpoint=run.download_checkpoint("resume"))``
        starts fresh when the variation has no checkpoint yet (None) and resumes otherwise. The files go
        to ``dest/checkpoint-<step>`` (``dest/checkpoint-<asset id>`` when no step was recorded), so
        checkpoints never mix in one folder; every file is verified against its sha256 before it
        appears. A checkpoint that turns out to have expired (its bytes deleted after it was listed) is
        skipped for the one before it, and the folder begun for it is removed. Asking for a ``step``
        that no ready checkpoint has raises :class:`~methodic.errors.CheckpointNotFoundError` rather
        than silently starting over.
        """
        import shutil

        for asset in self._checkpoints(step, from_inputs=from_inputs, asset_type=asset_type):
            folder = Path(dest) / checkpoint_folder_name(asset)
            existed = folder.exists()
            try:
                self.download_asset(asset.id, folder, progress=progress)
            except AssetExpiredError as exc:
                logger.warning(
                    "checkpoint %s expired before it could be downloaded (%s); trying an older one", asset.id, exc
                )
                if not existed:
                    shutil.rmtree(folder, ignore_errors=True)
                continue
            return folder
        if step is None:
            return None
        where = "inputs" if from_inputs else "outputs"
        raise CheckpointNotFoundError(
            f"no ready {asset_type} with step={step} among the {where} of variation "
            f"{self.variation} of experiment {self.experiment_id}"
        )

    def latest_output(
        self, asset_type: str | None = None, *, across_runs: bool = True, ready_only: bool = True
    ) -> AssetRecord | None:
        """The newest output (of ``asset_type``; ``ready`` unless ``ready_only=False``), across the variation's runs.

        None when there is none. The newest by ``created_at``, whatever order the server listed them in.
        Expired outputs (their bytes deleted: state ``expired``, or ``expires_at`` passed) are never the
        answer, even with ``ready_only=False``: there is nothing left to resume from.
        """
        matches = [
            asset
            for asset in self.list_outputs(across_runs=across_runs)
            if (asset_type is None or asset.asset_type == asset_type)
            and (not ready_only or asset.state == "ready")
            and asset.state != "expired"
            and not has_expired(asset)
        ]
        if not matches:
            return None
        return max(matches, key=lambda a: a.created_at or "")


def has_expired(asset: AssetRecord) -> bool:
    """Whether the asset's bytes are gone or due to go now: state ``expired``, or an ``expires_at`` in the past.

    A record listed before the server noticed its expiry still says ``ready``; its ``expires_at`` tells.
    An ``expires_at`` that cannot be read is not taken as expired.
    """
    if asset.state == "expired":
        return True
    when = asset.expires_at
    if not isinstance(when, str) or not when:
        return False
    try:
        moment = datetime.fromisoformat(when.replace("Z", "+00:00"))
    except ValueError:
        return False
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment <= datetime.now(timezone.utc)


def checkpoint_step(asset: AssetRecord) -> int | None:
    """The training step a checkpoint asset was saved at (``asset_config["step"]``), when it says so."""
    config = asset.asset_config
    step = config.get("step") if isinstance(config, Mapping) else None
    return step if isinstance(step, int) and not isinstance(step, bool) else None


def checkpoint_folder_name(asset: AssetRecord) -> str:
    """Where a downloaded checkpoint goes under its destination: ``checkpoint-<step>``, or ``checkpoint-<id>``."""
    step = checkpoint_step(asset)
    return f"checkpoint-{step}" if step is not None else f"checkpoint-{asset.id}"
