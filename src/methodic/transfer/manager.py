"""``TransferManager``: the transfer engine's front door, shaped like s3transfer's ``TransferManager(client, config)``.

It owns what transfers share (the storage HTTP client, the thread pool, the retry policy, the
direct-GET connections) and hands work to :class:`~methodic.transfer.upload.Uploads` and
:class:`~methodic.transfer.download.Downloads`. It sits below the API layer: the few asset calls it
needs arrive as an :class:`~methodic.transfer.interfaces.AssetOperations`, and nothing here imports
the client, the namespaces or the handles.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from methodic._constants import LOGGER_NAME
from methodic._tls import default_ssl_context
from methodic._version import USER_AGENT
from methodic.errors import UploadError
from methodic.transfer.config import TransferConfig
from methodic.transfer.directget import DirectGetter
from methodic.transfer.download import Downloads
from methodic.transfer.futures import AssetUpload, OutputTarget
from methodic.transfer.pool import TransferPool
from methodic.transfer.resume import resume, resume_each
from methodic.transfer.upload import Uploads
from methodic.types import ResumeOutcome

if TYPE_CHECKING:
    from methodic.transfer.distributed import DistributedUpload, ProcessGroup
    from methodic.transfer.download import ComponentFilter
    from methodic.transfer.files import ComponentSpec
    from methodic.transfer.interfaces import AssetOperations
    from methodic.transfer.progress import ProgressOption
    from methodic.transfer.session import UploadSession
    from methodic.transfer.tracker import PendingUpload, UploadTracker
    from methodic.types import AssetRecord, ComponentDigest, PresignedUpload

logger = logging.getLogger(f"{LOGGER_NAME}.uploads")


class TransferManager:
    """Uploads and downloads of asset components through presigned storage URLs.

    Storage gets its own HTTP client: presigned URLs carry their own auth, and the bearer token must
    never be sent to a storage host. Downloads take a faster ``http.client`` path unless the caller
    supplied its own ``storage_transport`` (tests, proxies).
    """

    def __init__(
        self,
        operations: AssetOperations,
        config: TransferConfig | None = None,
        *,
        storage_transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.config = config or TransferConfig()
        self.pool = TransferPool(self.config.max_workers)
        #: The parts (and download ranges) of one large component; apart from ``pool`` so that parallel parts
        #: are not capped by how many components may move at once, and never wait behind them.
        self.part_pool = TransferPool(self.config.max_part_workers)
        limits = httpx.Limits(max_connections=max(10, (self.config.max_workers + self.config.max_part_workers) * 2))
        self.storage_http = httpx.Client(
            timeout=httpx.Timeout(self.config.timeout),
            headers={"User-Agent": USER_AGENT},
            # TCP_NODELAY: a PUT's headers and its body go in separate writes, and with Nagle's algorithm the body
            # of a small file waits for the ACK of the headers, which the server delays (~40 ms a file).
            transport=storage_transport
            if storage_transport is not None
            else httpx.HTTPTransport(
                verify=default_ssl_context(),
                limits=limits,
                socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)],
            ),
            follow_redirects=False,
            limits=limits,
        )
        direct = DirectGetter(timeout=self.config.timeout, user_agent=USER_AGENT) if storage_transport is None else None
        self.uploads = Uploads(
            operations,
            self.storage_http,
            self.pool,
            self.config.retry,
            part_pool=self.part_pool,
            multipart_threshold=self.config.multipart_threshold,
            min_part_size=self.config.min_part_size,
        )
        self.downloads = Downloads(
            operations,
            self.storage_http,
            self.pool,
            self.config.retry,
            direct,
            part_pool=self.part_pool,
            stall=self.config.stall,
            range_size=self.config.download_range_size,
        )

    def __repr__(self) -> str:
        return f"<TransferManager {self.pool!r}>"

    def upload_directory(
        self,
        local_dir: Path | str,
        *,
        asset_type: str,
        output_of: OutputTarget | None,
        tracker: UploadTracker | None = None,
        name: str | None = None,
        asset_config: Mapping[str, Any] | None = None,
        progress: ProgressOption = None,
        ttl_days: int | None = None,
        create: Callable[[Sequence[ComponentSpec]], PresignedUpload] | None = None,
    ) -> AssetUpload:
        """Register every file under ``local_dir`` as one asset and upload it in the background.

        ``create`` replaces the run-output create, for an asset a scope owns (``output_of=None``).
        """
        return self.uploads.upload_directory(
            local_dir,
            asset_type=asset_type,
            output_of=output_of,
            tracker=tracker,
            name=name,
            asset_config=asset_config,
            progress=progress,
            ttl_days=ttl_days,
            create=create,
        )

    def upload_directory_collective(
        self,
        local_dir: Path | str | None,
        *,
        group: ProcessGroup,
        asset_type: str,
        output_of: OutputTarget,
        tracker: UploadTracker | None = None,
        name: str | None = None,
        asset_config: Mapping[str, Any] | None = None,
        progress: ProgressOption = None,
    ) -> DistributedUpload:
        """Every rank's folder as one asset (collective over ``group``); this rank's files upload in the background."""
        from methodic.transfer.distributed import upload_directory_collective

        return upload_directory_collective(
            self.uploads,
            local_dir,
            group=group,
            asset_type=asset_type,
            output_of=output_of,
            tracker=tracker,
            name=name,
            asset_config=asset_config,
            progress=progress,
        )

    def upload_component(
        self,
        url: str,
        local_path: Path | str,
        *,
        content_type: str = "application/octet-stream",
        progress: ProgressOption = None,
        refresh_url: Callable[[], str] | None = None,
        route: str = "gcs",
        max_part_bytes: int | None = None,
    ) -> ComponentDigest:
        """Upload one file now (streamed, hashed, retried); returns its size and sha256.

        ``route="gcs"``: a presigned URL, one PUT. ``route="r2"``: a storage-gateway URL, with the API key,
        in parallel parts when the file is big (see :meth:`Uploads.upload_component`).
        """
        return self.uploads.upload_component(
            url,
            local_path,
            content_type=content_type,
            progress=progress,
            refresh_url=refresh_url,
            route=route,
            max_part_bytes=max_part_bytes,
        )

    def abort_unfinished(self, recorded: PendingUpload) -> int:
        """Free in storage the unfinished gateway uploads of an asset that was given up; returns how many."""
        return self.uploads.abort_unfinished(recorded)

    def resume(self, tracker: UploadTracker, *, progress: ProgressOption = None) -> list[AssetRecord]:
        """Finish every upload a crashed process left in ``tracker``; returns the assets it finalized."""
        return resume(self.uploads, tracker, progress=progress)

    def download(
        self,
        asset_id: str,
        local_dir: Path | str,
        *,
        progress: ProgressOption = None,
        components: ComponentFilter = None,
    ) -> list[Path]:
        """Download every component of a ready asset (or those ``components`` selects) into ``local_dir``, verified."""
        return self.downloads.download(asset_id, local_dir, progress=progress, components=components)

    def resume_each(self, tracker: UploadTracker, *, progress: ProgressOption = None) -> list[ResumeOutcome]:
        """Try every asset left in ``tracker``; say per asset what became of it (never raises for one asset)."""
        return resume_each(self.uploads, tracker, progress=progress)

    def session(self, output_of: OutputTarget | None) -> UploadSession:
        """The upload session of one run: its uploads, its failures, its drain and its wait."""
        return self.uploads.session(output_of)

    def drain(self, experiment_id: str, variation: int, run: int, timeout: float) -> list[AssetUpload]:
        """Wait up to ``timeout`` s for one run's uploads; return those still unfinished (failures stay recorded)."""
        return self.uploads.drain(OutputTarget(experiment_id, variation, run), timeout)

    def wait(self, *, raise_errors: bool = True) -> None:
        """Block until every background upload of every run finished; raise UploadError for those that failed.

        Each failure is reported once: one its run (or its upload's ``wait()``) reported already is not raised again.
        """
        self.pool.wait()
        failures = self.uploads.take_failures()
        if failures and raise_errors:
            raise UploadError(failures)
        for asset_id, label, exc in failures:
            logger.error("upload of %s/%s failed: %s", asset_id, label, exc)

    def close(self, *, cancel: bool = False, interrupt: bool = False) -> None:
        """Wait for queued uploads (or drop those not started, with ``cancel=True``), then close connections.

        ``interrupt=True`` waits for nothing: queued transfers are dropped and those in flight are left to stop
        with the process (their components stay incomplete in the tracker, resumable); a run's wait then
        names them as unfinished instead of waiting for them.
        Raises UploadError for background failures of any run that no wait has reported yet.
        """
        if interrupt:
            self.uploads.stop()
            self.pool.interrupt()
            self.part_pool.interrupt()
        try:
            self.pool.close(cancel=cancel)
            self.part_pool.close(cancel=cancel)
        finally:
            self.storage_http.close()
            if self.downloads.direct is not None:
                self.downloads.direct.close_idle()
        self.wait(raise_errors=True)
