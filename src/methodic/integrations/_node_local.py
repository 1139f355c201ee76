"""Checkpoints that every node writes on its own disk, made one asset by all ranks together.

On nodes without a shared filesystem (FSDP shards, each node's RNG state) no single
process sees every file of a checkpoint, so the rank-0 upload the integrations use by default would
make an asset with files missing. Here each node's first process contributes its node's folder to a
collective upload (``upload_directory_async(distributed=True)``), and all ranks wait for every part
together before the run ends, so a run never succeeds before every node's files are in their asset.

Every method marked collective must be called by every rank at the same point of training; the
integrations call them from hooks that every rank runs (``on_save``, ``save_state``, the wrapped
``save_checkpoint``), never from rank-zero-only ones.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from methodic._constants import LOGGER_NAME
from methodic.errors import ChronicleError, DuplicateComponentError, UploadError
from methodic.integrations import _distributed
from methodic.integrations.session import (
    InFlightFolders,
    TrainingSession,
    checkpoint_config,
    open_tracker,
    owns_tracker,
)

if TYPE_CHECKING:
    from methodic.run import Run
    from methodic.transfer.distributed import DistributedUpload
    from methodic.transfer.futures import AssetUpload
    from methodic.transfer.tracker import UploadTracker

logger = logging.getLogger(LOGGER_NAME)


class NodeLocalCheckpoints:
    """One integration's node-local checkpoints: handed over collectively, waited for collectively.

    Rank 0 keeps its upload state in the session's tracker (one file for the run, as for rank-0
    uploads); the first process of every other node opens its own tracker there (``tracker_option``
    resolved against ``tracker_dir``), so ``methodic uploads resume --tracker`` on that node finds
    that node's files after a crash.
    """

    def __init__(self, run: Run, framework: str, tracker_option: Any) -> None:
        self.run = run
        self.framework = framework
        self._tracker_option = tracker_option
        self._tracker: UploadTracker | None = None
        self._uploads: list[DistributedUpload | AssetUpload] = []  # AssetUpload outside a process group
        self.in_flight = InFlightFolders()  # this node's folders whose upload still runs

    def tracker(self, session: TrainingSession | None, tracker_dir: Path | str) -> UploadTracker | None:
        """Where this node's first process records its uploads (rank 0: the session's tracker)."""
        if session is not None:
            return session.upload_tracker
        if self._tracker is None and self._tracker_option is not None:
            self._tracker = open_tracker(self._tracker_option, auto_dir=tracker_dir)
        return self._tracker

    def save(
        self,
        contribution: Callable[[], Path | None],
        *,
        tracker: Callable[[], UploadTracker | None],
        name: str,
        step: int,
        epoch: float | None,
        metrics: Mapping[str, Any] | None,
        session: TrainingSession | None,
        extra: Mapping[str, Any] | None = None,
    ) -> DistributedUpload | AssetUpload | None:
        """Collective: make every node's files (``contribution()``; None where a process adds nothing) one asset.

        ``contribution`` and ``tracker`` run first, on this process only; if either fails on any rank,
        every rank learns it before the upload's own collectives, so none is left waiting for another.
        That, and a registration the server refuses, raise the same error on every rank: it is recorded
        on rank 0's session (which then fails the run at the end, naming the step) and training goes on,
        as for a refused rank-0 upload. Two nodes holding a file of the same name (node-local uploads on
        a shared filesystem) is a misconfiguration and raises ``DuplicateComponentError`` on every rank.
        """
        folder: Path | None = None
        recorder: UploadTracker | None = None
        problem: str | None = None
        try:
            recorder = tracker()
            folder = contribution()
        except Exception as exc:
            problem = f"rank {_distributed.rank()}: {type(exc).__name__}: {exc}"
        problems = [p for p in _distributed.gather_everywhere(problem) if p is not None]
        try:
            if problems:
                raise ChronicleError("the checkpoint could not be prepared: " + "; ".join(problems))
            upload = self.run.upload_directory_async(
                folder,
                asset_type="checkpoint",
                upload_tracker=recorder,
                name=name,
                asset_config=checkpoint_config(self.framework, step=step, epoch=epoch, metrics=metrics, extra=extra),
                distributed=True,
            )
        except DuplicateComponentError:
            raise  # every later save would clash too: stop now rather than train on without checkpoints
        except ChronicleError as exc:
            if session is not None:
                session.refused.append((int(step), exc))
            logger.error("checkpoint of step %d could not be handed over from every node: %s", step, exc)
            return None
        self._uploads.append(upload)
        if folder is not None:
            self.in_flight.record(folder, upload)
        if session is not None:
            logger.info("checkpoint step %d handed over from every node as asset %s", step, upload.asset_id)
        return upload

    def wait(self, session: TrainingSession | None) -> None:
        """Collective: every node's part of every checkpoint; on failure rank 0's session fails the run.

        Every checkpoint is waited for even after one failed (a failure never costs the others), and every
        rank raises the same ``UploadError`` naming the rank of each failed component, so no rank is left
        waiting for another.
        """
        uploads, self._uploads = self._uploads, []
        try:
            failures: list[tuple[str, str, BaseException]] = []
            for upload in uploads:
                try:
                    upload.wait()
                except UploadError as exc:
                    failures.extend(exc.failures)
            if failures:
                raise UploadError(failures)
        except BaseException as exc:
            if session is not None:
                session.abort(exc)
            raise
        finally:
            self.in_flight.clear()
            self.close()

    def drain(self, timeout: float) -> None:
        """Not collective: give this process's own part of every checkpoint up to ``timeout`` s to finish.

        For the way out of a failed run, where other ranks may be gone. Every node's tracker holds every
        node's file digests (exchanged when the checkpoint was handed over), so whichever node sends the
        last component of an asset finalizes it, a node still sending, or resumed later with ``methodic
        uploads resume``, included (the local server keeps a failed run's checkpoint from several nodes
        pending; by its documented states the hosted platform abandons it, so resume before failing there).
        """
        uploads, self._uploads = self._uploads, []
        deadline = time.monotonic() + timeout
        for upload in uploads:
            upload.wait_done(max(0.0, deadline - time.monotonic()))
        self.in_flight.clear()
        self.close()

    @property
    def pending(self) -> bool:
        """Whether checkpoints were handed over that nobody waited for yet."""
        return bool(self._uploads)

    def close(self) -> None:
        """Close the tracker this node opened for its own uploads (rank 0's belongs to its session)."""
        if self._tracker is not None and owns_tracker(self._tracker_option):
            self._tracker.close()
            self._tracker = None
