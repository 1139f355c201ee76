"""The ``Run`` handle: what a training runner holds for its (experiment, variation, run) triple."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, overload

from methodic._constants import DEFAULT_DRAIN_TIMEOUT, DEFAULT_HEARTBEAT_INTERVAL, LOGGER_NAME, UPLOAD_TARGETS
from methodic.errors import AssetExpiredError, CheckpointNotFoundError

if TYPE_CHECKING:
    from methodic._resources import Resources
    from methodic.heartbeat import HeartbeatThread
    from methodic.transfer.distributed import DistributedUpload
    from methodic.transfer.download import ComponentFilter
    from methodic.transfer.progress import ProgressOption
    from methodic.transfer.session import UploadSession
    from methodic.transfer.tracker import UploadTracker
    from methodic.transfer.upload import AssetUpload, OutputTarget
    from methodic.types import (
        AssetCreated,
        AssetRecord,
        FileSha256,
        PresignedUpload,
        PresignedUrls,
        RunRecord,
        VariationConfig,
    )


logger = logging.getLogger(LOGGER_NAME)


class Run:
    """One run. Lifecycle methods return ``self`` so they chain: ``chronicle.run(e, 0, 0).start().heartbeat()``.

    ``run.state`` and the other record attributes reflect the server after the last mutation
    (each mutation stores the server's answer).
    """

    def __init__(self, api: Resources, experiment_id: str, variation: int, run: int) -> None:
        self._api = api
        self.experiment_id = experiment_id
        self.variation = variation
        self.run = run
        self._record: RunRecord | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        state = f" state={self._record.state!r}" if self._record is not None else ""
        return f"<Run experiment_id={self.experiment_id!r} variation={self.variation} run={self.run}{state}>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Run) and other._triple == self._triple

    def __hash__(self) -> int:
        return hash(("run", *self._triple))

    @property
    def _triple(self) -> tuple[str, int, int]:
        return (self.experiment_id, self.variation, self.run)

    # -- server record --------------------------------------------------------------------------
    def _store(self, record: RunRecord) -> Run:
        """Keep the server's answer when it describes the run; an empty answer (allowed) just drops the cache."""
        with self._lock:
            self._record = record if record.get("state") else None
        return self

    @property
    def data(self) -> RunRecord:
        """The server's record of this run (fetched when nothing is cached)."""
        with self._lock:
            record = self._record
        if record is None:
            record = self._api.runs.get_status(*self._triple)
            self._store(record)
        return record

    def refresh_state(self) -> str | None:
        """Re-read the state from the server (useful when something else, like the watchdog, changed it)."""
        self._store(self._api.runs.get_status(*self._triple))
        return self.state

    def get_status(self) -> RunRecord:
        """The run's state and timestamps, read from the server now (``["state"]``, ``.state``)."""
        record = self._api.runs.get_status(*self._triple)
        self._store(record)
        return record

    @property
    def state(self) -> str | None:
        """pending, running, succeeded, failed_crash, failed_abandoned, lost or failed_lost."""
        return self.data.state

    @property
    def failure_reason(self) -> str | None:
        """The reason given to ``fail()``, verbatim."""
        return self.data.failure_reason

    @property
    def started_at(self) -> str | None:
        """When the run started."""
        return self.data.started_at

    @property
    def finished_at(self) -> str | None:
        """When the run reached a terminal state."""
        return self.data.finished_at

    @property
    def last_heartbeat_at(self) -> str | None:
        """The last heartbeat the server saw."""
        return self.data.last_heartbeat_at

    # -- lifecycle --------------------------------------------------------------------------------
    def get_variation_config(self) -> VariationConfig:
        """The variation to train: ``["config_json"]`` (a dict), ``config_yaml``, the accelerate and launch configs."""
        return self._api.variations.get(self.experiment_id, self.variation)

    def start(
        self,
        *,
        wandb_run_id: str | None = None,
        wandb_entity: str | None = None,
        wandb_project: str | None = None,
        wandb_dashboard_url: str | None = None,
    ) -> Run:
        """Start the run (pending → running), optionally linking the W&B run (id and entity at the minimum)."""
        return self._store(
            self._api.runs.start(
                *self._triple,
                wandb_run_id=wandb_run_id,
                wandb_entity=wandb_entity,
                wandb_project=wandb_project,
                wandb_dashboard_url=wandb_dashboard_url,
            )
        )

    def heartbeat(self) -> Run:
        """Tell the 15-minute watchdog the run is alive."""
        return self._store(self._api.runs.heartbeat(*self._triple))

    def succeed(self) -> Run:
        """Wait for this run's background uploads, then mark the run succeeded.

        If one of them failed, raises :class:`~methodic.errors.UploadError` and does not report success, also
        when the failure was reported before (a run whose checkpoint was lost never succeeds: ``fail()`` it).
        Other runs' uploads on the same client are none of its business: their failures are theirs to report.
        """
        session = self._api.upload_session(self._output_of)
        if session is not None:
            session.wait(raise_errors=True, every_failure=True)
        return self._store(self._api.runs.succeed(*self._triple))

    def fail(self, reason: str = "crash", *, drain_timeout: float = DEFAULT_DRAIN_TIMEOUT) -> Run:
        """Fail the run: ``"crash"`` for unrecoverable errors, ``"abandoned"`` for cancels.

        The server abandons every output that is still pending when its run fails, so this first lets
        this run's queued and in-flight uploads finish and finalize, for up to ``drain_timeout``
        seconds (``0``: fail at once). What is still unfinished then is abandoned: it stays in its
        tracker, and ``methodic uploads resume`` reports it as abandoned.
        """
        unfinished = self.drain_uploads(drain_timeout)
        if unfinished:
            logger.warning(
                "failing %r with %d upload(s) unfinished after %gs; the server abandons them: %s",
                self,
                len(unfinished),
                drain_timeout,
                ", ".join(u.asset_id for u in unfinished),
            )
        return self._store(self._api.runs.fail(*self._triple, reason=reason))

    def _report_failed(self, reason: str) -> Run:
        """Fail the run on the server now, without a drain of its own (the caller drained and said so)."""
        return self._store(self._api.runs.fail(*self._triple, reason=reason))

    def drain_uploads(self, timeout: float = DEFAULT_DRAIN_TIMEOUT) -> list[AssetUpload]:
        """Wait up to ``timeout`` seconds for this run's background uploads; return those still unfinished.

        Unlike :meth:`wait_for_uploads` it never raises for a failed upload (failures stay recorded
        for ``wait_for_uploads()``, ``succeed()`` and ``chronicle.close()``).
        """
        session = self._api.upload_session(self._output_of)
        return session.drain(timeout) if session is not None else []

    @property
    def uploads(self) -> UploadSession:
        """The run's own upload session: its background uploads, their failures, ``drain()`` and ``wait()``.

        Every handle on the same run (``chronicle.run(e, v, r)`` twice) shares it.
        """
        return self._api.transfers.session(self._output_of)

    # -- uploads ------------------------------------------------------------------------------------
    @property
    def _output_of(self) -> OutputTarget:
        from methodic.transfer.upload import OutputTarget

        return OutputTarget(self.experiment_id, self.variation, self.run)

    def upload_asset(
        self,
        asset_type: str,
        content: Any,
        name: str | None = None,
        content_type: str | None = None,
        asset_config: Mapping[str, Any] | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> AssetCreated:
        """Store a small inline payload (JSON value, or text) as an output of this run; it is ready at once."""
        return self._api.assets.create_inline(
            asset_type=asset_type,
            content=content,
            content_type=content_type,
            asset_config=asset_config,
            metadata=metadata,
            name=name,
            output_of=self._output_of.as_dict(),
        )

    def upload_environment(self, environment: Mapping[str, Any]) -> AssetCreated:
        """Store a JSON-serializable environment snapshot as an ``environment`` output of this run.

        ``methodic.environment.capture()`` builds the standard one.
        """
        return self.upload_asset("environment", dict(environment))

    def create_asset_presigned(
        self,
        asset_type: str,
        components: Sequence[str],
        name: str | None = None,
        content_type: str = "application/octet-stream",
        asset_config: Mapping[str, Any] | None = None,
        metadata: Mapping[str, Any] | None = None,
        ttl_days: int | None = None,
    ) -> PresignedUpload:
        """Register a pending output asset; returns ``.asset_id`` and ``.upload_urls`` (component → URL)."""
        return self._api.assets.create_with_presigned(
            asset_type=asset_type,
            components=components,
            name=name,
            content_type=content_type,
            asset_config=asset_config,
            metadata=metadata,
            output_of=self._output_of.as_dict(),
            upload_targets=list(UPLOAD_TARGETS),
            ttl_days=ttl_days,
        )

    def upload_component(
        self,
        upload_url: str,
        local_path: Path | str,
        content_type: str = "application/octet-stream",
        *,
        progress: ProgressOption = None,
    ) -> FileSha256:
        """PUT one file to its presigned URL (streamed, retried); returns its hex sha256 (with ``.size``)."""
        return self._api.assets.upload_component(upload_url, local_path, content_type, progress=progress)

    def finalize_asset(self, asset_id: str, sha256s: Mapping[str, str] | None = None) -> AssetRecord:
        """Finalize an asset (pending → ready), the server checking each given sha256 first. Safe to call twice."""
        return self._api.assets.finalize(asset_id, sha256s)

    def get_asset(self, asset_id: str, include_presigned: bool = False) -> AssetRecord:
        """An asset's record (with read URLs when ``include_presigned``)."""
        return self._api.assets.get(asset_id, include_presigned=include_presigned)

    def presign_asset(
        self, asset_id: str, operation: str = "read", components: Sequence[str] | None = None
    ) -> PresignedUrls:
        """Fresh presigned URLs for an asset's components (``"read"``, or ``"upload"`` while pending)."""
        return self._api.assets.presign(asset_id, operation=operation, components=components)

    def upload_file(
        self,
        local_path: Path | str,
        asset_type: str,
        content_type: str = "application/octet-stream",
        name: str | None = None,
        asset_config: Mapping[str, Any] | None = None,
        metadata: Mapping[str, Any] | None = None,
        ttl_days: int | None = None,
        *,
        progress: ProgressOption = None,
    ) -> str:
        """Upload one file as an output asset of this run, now (register, PUT, finalize); returns the asset id."""
        path = Path(local_path)
        info = self.create_asset_presigned(
            asset_type,
            [path.name],
            name=name,
            content_type=content_type,
            asset_config=asset_config,
            metadata=metadata,
            ttl_days=ttl_days,
        )
        from methodic.transfer.upload import refuse_gateway_route

        refuse_gateway_route(info)  # a route this SDK does not speak fails before a byte moves
        sha256s: dict[str, str] = {}
        for component, url in info.upload_urls.items():
            sha256s[component] = self.upload_component(url, path, content_type, progress=progress)
        self.finalize_asset(info.asset_id, sha256s)
        return info.asset_id

    @overload
    def upload_directory_async(
        self,
        local_dir: Path | str,
        asset_type: str,
        content_type: str = ...,
        upload_tracker: UploadTracker | None = None,
        asset_config: Mapping[str, Any] | None = None,
        metadata: Mapping[str, Any] | None = None,
        ttl_days: int | None = None,
        *,
        name: str | None = None,
        progress: ProgressOption = None,
        distributed: Literal[False] = False,
        group: Any = None,
    ) -> AssetUpload: ...

    @overload
    def upload_directory_async(
        self,
        local_dir: Path | str | None,
        asset_type: str,
        content_type: str = ...,
        upload_tracker: UploadTracker | None = None,
        asset_config: Mapping[str, Any] | None = None,
        metadata: Mapping[str, Any] | None = None,
        ttl_days: int | None = None,
        *,
        name: str | None = None,
        progress: ProgressOption = None,
        distributed: bool,
        group: Any = None,
    ) -> AssetUpload | DistributedUpload: ...

    def upload_directory_async(
        self,
        local_dir: Path | str | None,
        asset_type: str,
        content_type: str = "application/octet-stream",
        upload_tracker: UploadTracker | None = None,
        asset_config: Mapping[str, Any] | None = None,
        metadata: Mapping[str, Any] | None = None,
        ttl_days: int | None = None,
        *,
        name: str | None = None,
        progress: ProgressOption = None,
        distributed: bool = False,
        group: Any = None,
    ) -> AssetUpload | DistributedUpload:
        """Presign, upload and finalize every file under ``local_dir`` as one asset, on the background pool.

        Returns at once with an :class:`~methodic.transfer.AssetUpload` (``.asset_id``, ``.wait()``).
        Failures surface at this run's ``wait_for_uploads()`` and ``succeed()`` (or the client's ``close()``).
        ``metadata`` nests into ``asset_config["metadata"]``; ``ttl_days`` (checkpoints, 1-180) expires the
        bytes sooner.
        Components are stored as ``application/octet-stream`` whatever ``content_type`` says.

        ``distributed=True`` makes it a collective call of a ``torch.distributed`` process group (``group``,
        or the default one): every rank passes its own local folder (on its own node), and the files of
        all ranks become one asset. A component name held by two ranks raises
        :class:`~methodic.errors.DuplicateComponentError` on every rank before any byte moves. Each rank
        uploads its own files (with its own ``upload_tracker``, for ``methodic uploads resume`` on its
        node) and gets a :class:`~methodic.transfer.distributed.DistributedUpload` whose ``wait()`` is
        collective too: every rank gets the ready asset, or the same UploadError naming the failed
        components and their ranks. A rank with no files of its own (another process on its node wrote
        the node's folder) passes ``local_dir=None``. Without an initialised process group of more than one
        process it is the ordinary upload.
        """
        from methodic.namespaces.assets import with_metadata

        asset_config = with_metadata(asset_config, metadata)
        if distributed:
            from methodic.transfer.distributed import TorchGroup

            members = TorchGroup.active(group)
            if members is not None:
                if ttl_days is not None:
                    raise ValueError("ttl_days is not supported with distributed=True yet")
                return self._api.transfers.upload_directory_collective(
                    local_dir,
                    group=members,
                    asset_type=asset_type,
                    output_of=self._output_of,
                    tracker=upload_tracker,
                    name=name,
                    asset_config=asset_config,
                    progress=progress,
                )
        if local_dir is None:
            raise ValueError("local_dir=None is only for ranks of a distributed upload that add no files of their own")
        return self._api.transfers.upload_directory(
            local_dir,
            asset_type=asset_type,
            output_of=self._output_of,
            tracker=upload_tracker,
            name=name,
            asset_config=asset_config,
            progress=progress,
            ttl_days=ttl_days,
        )

    def register_and_upload_async(
        self,
        local_dir: Path | str,
        asset_type: str,
        upload_tracker: UploadTracker,
        content_type: str = "application/octet-stream",
        asset_config: Mapping[str, Any] | None = None,
        metadata: Mapping[str, Any] | None = None,
        ttl_days: int | None = None,
        *,
        name: str | None = None,
        progress: ProgressOption = None,
    ) -> AssetUpload:
        """Like :meth:`upload_directory_async`, with crash recovery through ``upload_tracker``.

        Every component is registered in the tracker, in one transaction, before any upload starts.
        Returns the :class:`~methodic.transfer.AssetUpload` (its ``.asset_id`` is what the hosted SDK returns).
        """
        return self.upload_directory_async(
            local_dir,
            asset_type,
            content_type,
            upload_tracker,
            asset_config,
            metadata,
            ttl_days,
            name=name,
            progress=progress,
        )

    def wait_for_uploads(self) -> None:
        """Block until this run's background uploads are over; raise UploadError naming its failed components.

        Each failure is raised once; an upload still unfinished because the client stopped its uploads is
        named every time. ``chronicle.wait_for_uploads()`` answers for every run of the client.
        """
        session = self._api.upload_session(self._output_of)
        if session is not None:
            session.wait(raise_errors=True)

    def download_asset(
        self,
        asset_id: str,
        local_dir: Path | str,
        *,
        progress: ProgressOption = None,
        components: ComponentFilter = None,
    ) -> list[Path]:
        """Stream every component of an asset into ``local_dir`` (verified, atomic per file); the written paths.

        ``components`` selects some of them: a glob (``"*.distcp"``), several globs, a set of names, or
        a predicate on the name; each rank of a sharded load can fetch only the shards it reads.
        """
        return self._api.assets.download(asset_id, local_dir=local_dir, progress=progress, components=components)

    def download_rank_files(
        self,
        asset_id: str,
        local_dir: Path | str,
        *,
        shared: ComponentFilter = ".metadata",
        group: Any = None,
        progress: ProgressOption = None,
    ) -> list[Path]:
        """The calling rank's files of a distributed asset plus the shared ones (``.metadata`` by default).

        For a sharded load on nodes without a shared filesystem: the asset records which rank uploaded
        which files (``upload_directory_async(distributed=True)``), so each rank downloads what it wrote
        (``__<rank>_0.distcp`` of a ``torch.distributed.checkpoint`` save) and every rank the files
        ``shared`` selects. Not collective; outside a process group it is rank 0's share. An asset not
        uploaded by ranks downloads whole.
        """
        from methodic.transfer.distributed import TorchGroup, components_of_rank
        from methodic.transfer.download import component_selector

        members = TorchGroup.active(group)
        rank = members.rank if members is not None else 0
        own = components_of_rank(self._api.assets.get(asset_id), rank)
        if own is None:
            return self.download_asset(asset_id, local_dir, progress=progress)
        mine, common = set(own), component_selector(shared)
        return self.download_asset(
            asset_id, local_dir, progress=progress, components=lambda name: name in mine or common(name)
        )

    # -- heartbeats and the managed lifecycle -------------------------------------------------------
    def background_heartbeat(self, interval: float = DEFAULT_HEARTBEAT_INTERVAL) -> HeartbeatThread:
        """A started heartbeat thread; stop it with ``.stop()`` or use it as a context manager."""
        from methodic.heartbeat import HeartbeatThread

        return HeartbeatThread(self, interval).start()

    @contextmanager
    def lifecycle(
        self,
        *,
        heartbeat_interval: float = DEFAULT_HEARTBEAT_INTERVAL,
        wandb_run_id: str | None = None,
        wandb_entity: str | None = None,
        wandb_project: str | None = None,
        wandb_dashboard_url: str | None = None,
        handle_sigterm: bool = True,
        drain_timeout: float = DEFAULT_DRAIN_TIMEOUT,
    ) -> Iterator[Run]:
        """Start the run, heartbeat in the background, and always leave it in an honest terminal state.

        Normal exit → ``succeed()`` once every upload finished; if an upload failed, the run is failed
        with a reason naming the failed components and the UploadError propagates. An exception →
        ``fail("crash: ...")`` and the exception propagates; KeyboardInterrupt or SIGTERM →
        ``fail("abandoned")``. Before failing, the run's queued and in-flight uploads get up to
        ``drain_timeout`` seconds to finish and finalize (heartbeats continue meanwhile), so the
        checkpoint saved just before a crash or a preemption notice is not lost.
        """
        from methodic.heartbeat import managed_lifecycle

        with managed_lifecycle(
            self,
            heartbeat_interval=heartbeat_interval,
            start_kwargs={
                "wandb_run_id": wandb_run_id,
                "wandb_entity": wandb_entity,
                "wandb_project": wandb_project,
                "wandb_dashboard_url": wandb_dashboard_url,
            },
            handle_sigterm=handle_sigterm,
            drain_timeout=drain_timeout,
        ):
            yield self

    # -- outputs ----------------------------------------------------------------------------------
    def list_outputs(self, *, across_runs: bool = False) -> list[AssetRecord]:
        """Outputs of this run, or (``across_runs=True``) every run's of the variation; newest first."""
        if across_runs:
            return self._api.variations.list_outputs(self.experiment_id, self.variation)
        return self._api.runs.list_outputs(*self._triple)

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
