"""``Chronicle``: the one client object per process, for researchers and runners alike."""

from __future__ import annotations

import threading
from functools import cached_property
from types import TracebackType
from typing import TYPE_CHECKING, Any

import httpx

from methodic._config import resolve_settings
from methodic._constants import DEFAULT_MAX_UPLOAD_WORKERS, DEFAULT_TIMEOUT
from methodic._pool import UploadPool
from methodic._transport import USER_AGENT, Transport
from methodic.handles import Experiment, Variation

if TYPE_CHECKING:
    from methodic._uploads import Uploader
    from methodic.namespaces.assets import AssetsNamespace
    from methodic.namespaces.experiments import ExperimentsNamespace
    from methodic.namespaces.me import MeNamespace
    from methodic.namespaces.runs import RunsNamespace
    from methodic.namespaces.search import SearchNamespace
    from methodic.namespaces.variations import VariationsNamespace
    from methodic.progress import ProgressOption
    from methodic.tracker import UploadTracker
    from methodic.types import AssetRecord, ExperimentDetail, VariationRecord
from methodic.run import Run


class Chronicle:
    """The Chronicle client. Construct one per process and share it; it is thread-safe.

    Use it as a context manager (``with Chronicle(...) as chronicle:``) or call :meth:`close`, which
    waits for queued background uploads and closes the HTTP connections.

    Args:
        server_url: e.g. ``https://api.methodiclabs.ai``.
        api_key: an ``sk_...`` API key or an Auth0 access token, sent verbatim as ``Authorization: Bearer``.
        timeout: seconds for every HTTP call (connect, read, write); never unlimited.
        max_upload_workers: threads in the shared background upload pool.
        organization_id: the default organization for calls that take one.
        http_client: an ``httpx.Client`` to use for API calls (tests, proxies, custom TLS).
        transport: an httpx transport for the client this object builds (e.g. ``httpx.MockTransport``).
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
    ) -> None:
        if not api_key:
            from methodic.errors import ChronicleConfigError

            raise ChronicleConfigError("api_key is empty")
        if max_upload_workers < 1:
            raise ValueError("max_upload_workers must be at least 1")
        self.server_url = server_url.rstrip("/")
        self.organization_id = organization_id
        self.timeout = timeout
        self._transport = Transport(
            self.server_url, api_key, timeout=timeout, http_client=http_client, transport=transport
        )
        self._storage_transport = storage_transport
        self._storage_http_instance: httpx.Client | None = None
        self._uploads = UploadPool(max_upload_workers)
        self._uploader_instance: Uploader | None = None
        self._closed = False
        self._close_lock = threading.Lock()

    @classmethod
    def from_env(cls, **overrides: Any) -> Chronicle:
        """Build a client from keyword arguments, then ``CHRONICLE_*`` variables, then ``~/.methodic``.

        Raises :class:`~methodic.errors.ChronicleConfigError` before any network call when no API key is found.
        """
        settings = resolve_settings(overrides)
        extra = {k: v for k, v in overrides.items() if k in {"http_client", "transport", "storage_transport"}}
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
        return f"<Chronicle server_url={self.server_url!r}{state}>"

    # -- namespaces ---------------------------------------------------------------------------------
    # Each namespace (and the generated endpoints and models it needs) loads on first use, so
    # ``import methodic`` stays light; building one twice under a race is harmless (they are stateless).
    @cached_property
    def experiments(self) -> ExperimentsNamespace:
        """Experiments: create, list, commit, conclude, retract, delete, lineage, inputs and outputs."""
        from methodic.namespaces.experiments import ExperimentsNamespace

        return ExperimentsNamespace(self)

    @cached_property
    def variations(self) -> VariationsNamespace:
        """Variations: create, list, get, configs, outputs and inputs."""
        from methodic.namespaces.variations import VariationsNamespace

        return VariationsNamespace(self)

    @cached_property
    def runs(self) -> RunsNamespace:
        """Runs: create, start, heartbeat, succeed, fail, resume, list."""
        from methodic.namespaces.runs import RunsNamespace

        return RunsNamespace(self)

    @cached_property
    def assets(self) -> AssetsNamespace:
        """Assets: inline and presigned creation, finalize, get, list, download, deprecate, invalidate."""
        from methodic.namespaces.assets import AssetsNamespace

        return AssetsNamespace(self)

    @cached_property
    def search(self) -> SearchNamespace:
        """Full-text search over research documents."""
        from methodic.namespaces.search import SearchNamespace

        return SearchNamespace(self)

    @cached_property
    def me(self) -> MeNamespace:
        """The scopes the current API key grants."""
        from methodic.namespaces.me import MeNamespace

        return MeNamespace(self)

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

    @property
    def _uploader(self) -> Uploader:
        """The transfer machinery, built on first use (keeps ``import methodic`` light)."""
        with self._close_lock:
            if self._uploader_instance is None:
                from methodic._uploads import Uploader

                self._uploader_instance = Uploader(self, self._build_storage_client())
            return self._uploader_instance

    def _build_storage_client(self) -> httpx.Client:
        """The storage client, built with the uploader on first transfer (its TLS setup costs ~20 ms).

        Storage gets its own client: presigned URLs carry their own auth, and the bearer token must
        never be sent to a storage host.
        """
        self._storage_http_instance = httpx.Client(
            timeout=httpx.Timeout(self.timeout),
            headers={"User-Agent": USER_AGENT},
            transport=self._storage_transport,
            follow_redirects=False,
            limits=httpx.Limits(max_connections=max(10, self._uploads.max_workers * 2)),
        )
        return self._storage_http_instance

    # -- uploads ------------------------------------------------------------------------------------
    def resume_uploads(self, tracker: UploadTracker, *, progress: ProgressOption = None) -> list[AssetRecord]:
        """Finish every upload a crashed process left in ``tracker``; returns the assets it finalized.

        Incomplete components are uploaded again (with fresh URLs when the recorded ones expired);
        each asset whose components are all complete is finalized. Safe to run twice or concurrently:
        uploads are idempotent and so is finalize.
        """
        return self._uploader.resume(tracker, progress=progress)

    # -- lifecycle ----------------------------------------------------------------------------------
    def wait_for_uploads(self) -> None:
        """Block until every background upload of this client finished; raise UploadError for failures."""
        self._uploads.wait(raise_errors=True)

    def close(self, *, cancel_uploads: bool = False) -> None:
        """Wait for queued uploads (or drop those not started, with ``cancel_uploads=True``), then close.

        Idempotent.
        """
        with self._close_lock:
            if self._closed:
                return
            self._closed = True
        try:
            self._uploads.close(cancel=cancel_uploads)
        finally:
            if self._storage_http_instance is not None:
                self._storage_http_instance.close()
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
        self.close()
