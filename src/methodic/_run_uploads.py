"""A run's uploads and downloads: its upload session, inline and presigned outputs, folders, asset files.

:class:`RunUploads` is the part of :class:`~methodic.run.Run` that moves bytes (``Run`` inherits it); the
lifecycle stays in ``methodic.run``. Every upload here is an output of the run and belongs to the run's
upload session (``run.uploads``), which ``succeed()``, ``fail()`` and ``wait_for_uploads()`` answer for.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, overload

from methodic._constants import DEFAULT_DRAIN_TIMEOUT, UPLOAD_TARGETS

if TYPE_CHECKING:
    from methodic._resources import Resources
    from methodic.transfer.distributed import DistributedUpload
    from methodic.transfer.download import ComponentFilter
    from methodic.transfer.futures import AssetUpload, OutputTarget
    from methodic.transfer.progress import ProgressOption
    from methodic.transfer.session import UploadSession
    from methodic.transfer.tracker import UploadTracker
    from methodic.types import AssetCreated, PresignedUpload


class RunUploads:
    """The run's uploads (its session, inline and presigned outputs, folders) and its asset downloads."""

    _api: Resources
    experiment_id: str
    variation: int
    run: int

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

    @property
    def _output_of(self) -> OutputTarget:
        from methodic.transfer.futures import OutputTarget

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
            sha256s[component] = self._api.assets.upload_component(url, path, content_type, progress=progress)
        self._api.assets.finalize(info.asset_id, sha256s)
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
