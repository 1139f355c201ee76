"""The accelerate integration: checkpoints that are right on any number of processes.

``accelerator.save_state(dir)`` is written by every process (the main one writes the model and the
optimizer, each one its own ``random_states_<i>.pkl``); uploading from every process makes one asset
per process, and uploading before the others finished makes a ready asset with files missing (both
seen with the integrations guide's snippet on two processes). :class:`AccelerateSession` saves on
every process, waits for all of them, and uploads once from the main process; it downloads once per
node and loads on every process::

    accelerator = Accelerator()
    with AccelerateSession(accelerator) as chronicle:          # run from CHRONICLE_* variables
        start = chronicle.load_state("resume") or 0            # newest checkpoint's step, or None
        for step in range(start + 1, steps + 1):
            ...
            if step % 100 == 0:
                chronicle.save_state(f"out/checkpoint-{step}", step=step, metrics={"loss": loss})

Leaving the block ends the run: succeeded once every upload is ready, failed (after queued uploads
drain) if it raised. Importing this module does not import accelerate; the accelerator you pass in
is used as it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import ExitStack
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal

from methodic._constants import DEFAULT_DRAIN_TIMEOUT, DEFAULT_HEARTBEAT_INTERVAL
from methodic.environment import capture
from methodic.integrations._node_local import NodeLocalCheckpoints
from methodic.integrations.session import (
    TrainingSession,
    download_checkpoint_on_every_node,
    open_tracker,
    owns_tracker,
    resolve_run,
)

if TYPE_CHECKING:
    from methodic._client import Chronicle
    from methodic.run import Run
    from methodic.transfer.distributed import DistributedUpload
    from methodic.transfer.futures import AssetUpload
    from methodic.transfer.tracker import UploadTracker

__all__ = ["AccelerateSession"]


class AccelerateSession:
    """One Chronicle run driven by an accelerate loop on any number of processes.

    Args:
        accelerator: the loop's ``accelerate.Accelerator``.
        run: the run to record; by default from ``experiment_id`` / ``variation`` / ``run_index`` or the
            ``CHRONICLE_*`` variables, on ``chronicle`` or ``Chronicle.from_env()``.
        upload_tracker: crash-recovery state: a path or tracker, ``"auto"`` for
            ``methodic-uploads.sqlite`` in ``tracker_dir`` (the working directory by default), or None.
        environment: a mapping merged into ``methodic.environment.capture()`` (your resolved config,
            say); False skips the snapshot.
    """

    def __init__(
        self,
        accelerator: Any,
        run: Run | None = None,
        *,
        chronicle: Chronicle | None = None,
        experiment_id: str | None = None,
        variation: int | None = None,
        run_index: int | None = None,
        upload_tracker: UploadTracker | Path | str | Literal["auto"] | None = "auto",
        tracker_dir: Path | str = ".",
        environment: Mapping[str, Any] | bool = True,
        heartbeat_interval: float = DEFAULT_HEARTBEAT_INTERVAL,
        drain_timeout: float = DEFAULT_DRAIN_TIMEOUT,
    ) -> None:
        self.accelerator = accelerator
        self.run = resolve_run(
            run, chronicle=chronicle, experiment_id=experiment_id, variation=variation, run_index=run_index
        )
        self.environment = environment
        self._session: TrainingSession | None = None
        self._stack = ExitStack()
        # The first process of every other node keeps that node's upload state for node-local checkpoints.
        self._node_local = NodeLocalCheckpoints(self.run, "accelerate", upload_tracker)
        self._tracker_dir = tracker_dir
        self._drain_timeout = drain_timeout
        if accelerator.is_main_process:
            self._session = TrainingSession(
                self.run,
                framework="accelerate",
                upload_tracker=open_tracker(upload_tracker, auto_dir=tracker_dir),
                heartbeat_interval=heartbeat_interval,
                drain_timeout=drain_timeout,
                owns_tracker=owns_tracker(upload_tracker),
            )

    def __repr__(self) -> str:
        return f"<AccelerateSession {self.run!r} process {self.accelerator.process_index}>"

    @property
    def session(self) -> TrainingSession | None:
        """The session on the main process (None on the others)."""
        return self._session

    def __enter__(self) -> AccelerateSession:
        """Start the run on the main process (heartbeats, environment snapshot)."""
        if self._session is not None:
            try:
                self._session.begin(self._environment)  # captured off the training thread
            except BaseException as exc:
                self._session.abort(exc)
                raise
            self._stack.enter_context(self._session.guard())
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        """End the run: succeeded when the block returned and every upload is ready, failed otherwise.

        Node-local checkpoints are waited for collectively first (every process is here when the block
        returned normally), so the run never succeeds before every node's files are in the asset.
        """
        if exc is None:
            try:
                self._node_local.wait(self._session)
            except BaseException as failure:
                self._stack.__exit__(type(failure), failure, failure.__traceback__)
                raise
        else:
            self._node_local.drain(self._drain_timeout)  # this node's part; the other processes may be gone
        self._stack.__exit__(exc_type, exc, tb)

    def save_state(
        self,
        folder: Path | str,
        *,
        step: int,
        epoch: float | None = None,
        metrics: Mapping[str, Any] | None = None,
        node_local: bool = False,
    ) -> AssetUpload | DistributedUpload | None:
        """``accelerator.save_state(folder)`` on every process, then one upload of the whole checkpoint.

        Every process must call it (it is collective). By default the main process hands the folder
        over once all processes finished writing (a folder every process writes into: one machine, or
        a shared filesystem) and gets the :class:`~methodic.transfer.AssetUpload`; the others get None.

        ``node_local=True`` is for nodes without a shared filesystem, each saving into its own local
        ``folder``: the first process of each node contributes that node's files, and the ranks make
        them one asset together (``upload_directory_async(distributed=True)``). Every process gets a
        handle (None on every process if the registration was refused: the run then fails at the end);
        leaving the ``with`` block waits for all of them before the run ends.

        Saving into a folder whose previous upload is still running (a fixed ``latest/``) first removes
        the old files there: their staged links keep them for that upload, and the save writes new ones.
        """
        node_local = node_local and self.accelerator.num_processes > 1
        if node_local and self.accelerator.is_local_main_process:
            self._node_local.in_flight.release(folder)
        elif not node_local and self._session is not None:
            self._session.in_flight.release(folder)
        self.accelerator.wait_for_everyone()  # nobody writes before the old files made way
        # With automatic checkpoint naming accelerate saves elsewhere and says where: upload that.
        saved = self.accelerator.save_state(str(folder))
        folder = Path(saved) if isinstance(saved, (str, Path)) and str(saved) else Path(folder)
        self.accelerator.wait_for_everyone()  # every random_states_<i>.pkl is on disk before the scan
        if node_local:
            local_first = self.accelerator.is_local_main_process
            return self._node_local.save(
                lambda: Path(folder) if local_first else None,
                tracker=lambda: self._node_local.tracker(self._session, self._tracker_dir) if local_first else None,
                name=Path(folder).name,
                step=step,
                epoch=epoch,
                metrics=metrics,
                session=self._session,
            )
        if self._session is None:
            return None
        return self._session.checkpoint(folder, step=step, epoch=epoch, metrics=metrics, name=Path(folder).name)

    def load_state(
        self,
        dest: Path | str,
        step: int | None = None,
        *,
        from_inputs: bool = False,
        shared_filesystem: bool = False,
    ) -> int | None:
        """Download the newest ready checkpoint (or the one at ``step``) and ``load_state`` it on every process.

        Returns the step it was saved at (None when there is no checkpoint yet: start fresh).
        ``from_inputs=True`` takes a checkpoint linked as an input of the variation instead.
        """
        got = download_checkpoint_on_every_node(
            self.run, dest, step, from_inputs=from_inputs, shared_filesystem=shared_filesystem
        )
        if got is None:
            return None
        self.accelerator.load_state(str(got.path))
        self.accelerator.wait_for_everyone()
        return got.step

    def _environment(self) -> dict[str, Any] | None:
        if self.environment is False:
            return None
        import importlib.metadata

        extra: dict[str, Any] = {
            "trainer": {
                "framework": "accelerate",
                "version": importlib.metadata.version("accelerate"),
                "num_processes": self.accelerator.num_processes,
                "mixed_precision": str(self.accelerator.mixed_precision),
                "distributed_type": str(self.accelerator.distributed_type),
            }
        }
        if isinstance(self.environment, Mapping):
            extra.update(self.environment)
        return capture(**extra)
