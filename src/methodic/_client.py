"""``Chronicle``: the one client object per process, for researchers and runners alike.

It only wires the parts together: the API transport, one namespace per API area, the transfer
engine, and handles. Behaviour lives in those parts.
"""

from __future__ import annotations

import logging
import threading
from functools import cached_property
from types import TracebackType
from typing import TYPE_CHECKING, Any

import httpx

from methodic._config import resolve_settings
from methodic._constants import DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_MAX_UPLOAD_WORKERS, DEFAULT_TIMEOUT, LOGGER_NAME
from methodic._transport import Transport
from methodic.errors import ChronicleError, UploadError
from methodic.handles import Experiment, Variation
from methodic.run import Run
from methodic.transfer.config import DEFAULT_MIN_PART_SIZE, DEFAULT_MULTIPART_THRESHOLD, TransferConfig

if TYPE_CHECKING:
    from methodic.namespaces.assets import AssetsNamespace
    from methodic.namespaces.experiments import ExperimentsNamespace
    from methodic.namespaces.me import MeNamespace
    from methodic.namespaces.runs import RunsNamespace
    from methodic.namespaces.search import SearchNamespace
    from methodic.namespaces.variations import VariationsNamespace
    from methodic.transfer.manager import TransferManager
    from methodic.transfer.progress import ProgressOption
    from methodic.transfer.tracker import UploadTracker
    from methodic.transfer.upload import AssetUpload
    from methodic.types import AssetRecord, ExperimentDetail, VariationRecord

logger = logging.getLogger(LOGGER_NAME)


class Chronicle:
    """The Chronicle client. Construct one per process and share it; it is thread-safe.

    Use it as a context manager (``with Chronicle(...) as chronicle:``) or call :meth:`close`, which
    waits for queued background uploads and closes the HTTP connections.

    Args:
        server_url: e.g. ``https://api.methodiclabs.ai``.
        api_key: an ``sk_...`` API key or an Auth0 access token, sent verbatim as ``Authorization: Bearer``.
        timeout: seconds for every API call from start to end (and for each storage connect, read, write).
        max_upload_workers: threads in the shared transfer pool (background uploads and downloads).
        organization_id: the default organization, as the hosted SDK takes it (kept on the client).
        http_client: an ``httpx.Client`` to use for API calls (tests, proxies, custom TLS); it is not modified.
        transport: an httpx transport for the client this object builds (e.g. ``httpx.MockTransport``).
        storage_transport: an httpx transport for presigned storage requests.
        max_response_bytes: the largest API response body accepted, after decompression (32 MiB).
        multipart_threshold: components larger than this (bytes; 256 MiB) go up in parallel parts and,
            once stored in parts, come down in parallel ranges, each verified (see ``methodic.transfer.multipart``).
        min_part_size: the smallest part (bytes; 8 MiB); larger files get larger parts, at most 10,000 of them.
    """

    def __init__(
        self,
        server_url: str,
        api_key: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        max_upload_workers: int = DEFAULT_MAX_UPLOAD_WORKERS,
        organization_id: str | None = None,
        http_client: httpx.Client | None = None,
        transport: httpx.BaseTransport | None = None,
        storage_transport: httpx.BaseTransport | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        multipart_threshold: int = DEFAULT_MULTIPART_THRESHOLD,
        min_part_size: int = DEFAULT_MIN_PART_SIZE,
    ) -> None:
        self._transport = Transport(
            server_url,
            api_key,
            timeout=timeout,
            http_client=http_client,
            transport=transport,
            max_response_bytes=max_response_bytes,
        )
        self._transfer_config = TransferConfig(
            max_workers=max_upload_workers,
            timeout=timeout,
            multipart_threshold=multipart_threshold,
            min_part_size=min_part_size,
        )
        self._storage_transport = storage_transport
        self.server_url = self._transport.server_url
        self.organization_id = organization_id
        self.timeout = timeout
        self._transfers: TransferManager | None = None
        self._closed = False
        self._lock = threading.Lock()

    @classmethod
    def from_env(cls, **overrides: Any) -> Chronicle:
        """Build a client from keyword arguments, then ``CHRONICLE_*`` variables, then ``~/.methodic``.

        Raises :class:`~methodic.errors.ChronicleConfigError` before any network call when no API key is found.
        """
        settings = resolve_settings(overrides)
        passthrough = {
            "http_client",
            "transport",
            "storage_transport",
            "max_response_bytes",
            "multipart_threshold",
            "min_part_size",
        }
        extra = {k: v for k, v in overrides.items() if k in passthrough}
        return cls(
            settings.server_url,
            settings.api_key,
            timeout=settings.timeout,
            max_upload_workers=settings.max_upload_workers,
            organization_id=settings.organization_id,
            **extra,
        )

    def __repr__(self) -> str:
        state = " closed" if self._closed else ""
        return f"<Chronicle server_url={self._transport.display_url!r}{state}>"

    # -- namespaces ---------------------------------------------------------------------------------
    # Each namespace (and the generated endpoints and models it needs) loads on first use, so
    # ``import methodic`` stays light; building one twice under a race is harmless (they are stateless).
    @cached_property
    def experiments(self) -> ExperimentsNamespace[Experiment]:
        """Experiments: create, list, commit, conclude, retract, delete, lineage, inputs and outputs."""
        from methodic.namespaces.experiments import ExperimentsNamespace

        return ExperimentsNamespace(
            self._transport, lambda detail: self.experiment(detail.experiment.id, _detail=detail)
        )

    @cached_property
    def variations(self) -> VariationsNamespace[Variation]:
        """Variations: create, list, get, configs, outputs and inputs."""
        from methodic.namespaces.variations import VariationsNamespace

        return VariationsNamespace(
            self._transport, lambda eid, record: self.variation(eid, record.variation, _data=record)
        )

    @cached_property
    def runs(self) -> RunsNamespace:
        """Runs: create, start, heartbeat, succeed, fail, resume, list."""
        from methodic.namespaces.runs import RunsNamespace

        return RunsNamespace(self._transport)

    @cached_property
    def assets(self) -> AssetsNamespace:
        """Assets: inline and presigned creation, finalize, get, list, download, deprecate, invalidate."""
        from methodic.namespaces.assets import AssetsNamespace

        return AssetsNamespace(self._transport, lambda: self.transfers)

    @cached_property
    def search(self) -> SearchNamespace:
        """Full-text search over research documents."""
        from methodic.namespaces.search import SearchNamespace

        return SearchNamespace(self._transport)

    @cached_property
    def me(self) -> MeNamespace:
        """The scopes the current API key grants."""
        from methodic.namespaces.me import MeNamespace

        return MeNamespace(self._transport)

    @property
    def transfers(self) -> TransferManager:
        """The transfer engine: storage client, pool and retries; built on first use (its TLS setup costs ~20 ms)."""
        with self._lock:
            if self._transfers is None:
                if self._closed:
                    raise ChronicleError("the Chronicle client is closed; no more transfers can start")
                from methodic.transfer.manager import TransferManager

                self._transfers = TransferManager(
                    self.assets, self._transfer_config, storage_transport=self._storage_transport
                )
            return self._transfers

    # -- handles ------------------------------------------------------------------------------------
    def experiment(self, experiment_id: str, *, _detail: ExperimentDetail | None = None) -> Experiment:
        """A handle on an experiment; nothing is fetched until an attribute is read."""
        return Experiment(self, experiment_id, _detail=_detail)

    def variation(self, experiment_id: str, variation: int, *, _data: VariationRecord | None = None) -> Variation:
        """A handle on a variation (by its integer index)."""
        return Variation(self, experiment_id, variation, _data=_data)

    def run(self, experiment_id: str, variation: int, run: int) -> Run:
        """A handle on a run: ``chronicle.run(exp_id, 0, 0)`` or ``chronicle.run(exp_id, variation=0, run=0)``."""
        return Run(self, experiment_id, variation, run)

    # -- uploads ------------------------------------------------------------------------------------
    def resume_uploads(self, tracker: UploadTracker, *, progress: ProgressOption = None) -> list[AssetRecord]:
        """Finish every upload a crashed process left in ``tracker``; returns the assets it finalized.

        Incomplete components are uploaded again (with fresh URLs when the recorded ones expired), each
        file first checked against what was registered; each asset whose components are all complete
        is finalized. Every asset is tried, whatever happens to the others; then, if any could not be
        rescued (abandoned on the server, files changed or gone, still failing), UploadError names
        them. Abandoned and unrecoverable assets are marked dead so later resumes skip them
        (``chronicle.transfers.resume_each`` reports per asset instead of raising). Safe to run twice
        or concurrently: uploads are idempotent and so is finalize.
        """
        return self.transfers.resume(tracker, progress=progress)

    def wait_for_uploads(self) -> None:
        """Block until every background upload of this client finished; raise UploadError for failures."""
        if self._transfers is not None:
            self._transfers.wait(raise_errors=True)

    def drain_uploads(self, experiment_id: str, variation: int, run: int, timeout: float) -> list[AssetUpload]:
        """Wait up to ``timeout`` s for one run's uploads; return those still unfinished."""
        if self._transfers is None:
            return []
        return self._transfers.drain(experiment_id, variation, run, timeout)

    # -- lifetime -----------------------------------------------------------------------------------
    def close(self, *, cancel_uploads: bool = False) -> None:
        """Wait for queued uploads (or drop those not started, with ``cancel_uploads=True``), then close.

        Raises :class:`~methodic.errors.UploadError` for background upload failures that no
        ``wait_for_uploads()`` or ``succeed()`` has reported yet, naming each component (or the asset,
        for a failed finalize). Idempotent.
        """
        with self._lock:
            if self._closed:
                return
            self._closed = True
            manager = self._transfers
        try:
            if manager is not None:
                manager.close(cancel=cancel_uploads)
        finally:
            self._transport.close()

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._closed

    def __enter__(self) -> Chronicle:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc is None:
            self.close()
            return
        try:
            self.close()
        except UploadError as upload_error:  # the exception already propagating is the one to see
            logger.error("while handling %s: %s", type(exc).__name__, upload_error)
