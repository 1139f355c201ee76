"""``Chronicle``: the one client object per process, for researchers and runners alike.

It only wires the parts together, each from what it needs and none holding the client: the API
transport, the default organization, the asset calls and the one transfer manager built from them
(:class:`~methodic._resources.Transfers`), one namespace per API area, and handles that hold ids and
:class:`~methodic._resources.Resources`. Behaviour lives in those parts; each is built on first use.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Mapping
from functools import cached_property, partial
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

import httpx

from methodic._client_settings import from_settings, settings_overrides
from methodic._compat import ChronicleAliases
from methodic._config import check_timeout, resolve_settings
from methodic._constants import DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_MAX_UPLOAD_WORKERS, DEFAULT_TIMEOUT, LOGGER_NAME
from methodic._resources import DefaultOrganization, Resources, Transfers, asset_calls
from methodic._scope import OrganizationArg
from methodic._transport import Transport
from methodic.errors import ChronicleConfigError, RunTerminated, UploadError
from methodic.handles import Experiment, Variation
from methodic.run import Run
from methodic.transfer.config import (
    DEFAULT_MAX_PART_WORKERS,
    DEFAULT_MIN_PART_SIZE,
    DEFAULT_MULTIPART_THRESHOLD,
    StallPolicy,
    TransferConfig,
)

if TYPE_CHECKING:
    from methodic.namespaces.activity import ActivityNamespace
    from methodic.namespaces.api_keys import ApiKeysNamespace
    from methodic.namespaces.assets import AssetsNamespace
    from methodic.namespaces.collections import CollectionsNamespace
    from methodic.namespaces.datasets import DatasetsNamespace
    from methodic.namespaces.errata import ErrataNamespace
    from methodic.namespaces.experiments import ExperimentsNamespace
    from methodic.namespaces.feed import FeedNamespace
    from methodic.namespaces.feedback import FeedbackNamespace
    from methodic.namespaces.imports import ImportsNamespace
    from methodic.namespaces.lessons import LessonsNamespace
    from methodic.namespaces.me import MeNamespace
    from methodic.namespaces.publications import PublicationsNamespace
    from methodic.namespaces.reasoning import (
        FailureModesNamespace,
        OperationalChecksNamespace,
        ReasoningErrorsNamespace,
        ReviewQueueNamespace,
    )
    from methodic.namespaces.reports import ReportsNamespace
    from methodic.namespaces.research_prompts import ResearchPromptsNamespace
    from methodic.namespaces.runs import RunsNamespace
    from methodic.namespaces.search import SearchNamespace
    from methodic.namespaces.tags import TagsNamespace
    from methodic.namespaces.variations import VariationsNamespace
    from methodic.transfer.manager import TransferManager
    from methodic.transfer.progress import ProgressOption
    from methodic.transfer.tracker import UploadTracker
    from methodic.types import AssetRecord, ExperimentCreated, ExperimentDetail, VariationRecord

logger = logging.getLogger(LOGGER_NAME)


class Chronicle(ChronicleAliases):
    """The Chronicle client. Construct one per process and share it; it is thread-safe.

    Use it as a context manager (``with Chronicle(...) as chronicle:``) or call :meth:`close`, which
    waits for queued background uploads and closes the HTTP connections.

    The first seven arguments are positional in the hosted SDK's order (``Chronicle(server_url, api_key,
    timeout, max_upload_workers, organization_id, organization_slug, scribe_url)``); the rest are keyword-only.

    Args:
        server_url: e.g. ``https://api.methodiclabs.ai``.
        api_key: an ``sk_...`` API key or an Auth0 access token, sent verbatim as ``Authorization: Bearer``.
        timeout: seconds for every API call from start to end (and for each storage connect, read, write).
            A storage GET that keeps dripping bytes is held to ``download_stall`` instead: a floor rate.
        download_stall: the slowest storage GET a download accepts (a ``methodic.transfer.StallPolicy``; None:
            128 KiB per 60 s). Fewer bytes in any window is a stall, and a GET of ``n`` bytes must end within
            ``timeout`` plus the time ``n`` bytes take at that rate; either is retried as a read timeout.
        max_upload_workers: threads in the shared transfer pool (background uploads and downloads).
        organization_id: the default organization of calls that take one (``experiments.create``, standalone
            assets); None or ``methodic.PERSONAL`` for your personal scope.
        organization_slug: the default organization by slug instead, resolved through ``me.scopes()`` the
            first time it is needed (ChronicleConfigError if you have no such organization).
        scribe_url: the storage gateway to ask for read URLs first (falling back to Chronicle); None: the one
            ``/v1/public/client-config`` names, if any; ``""``: never a gateway.
        http_client: an ``httpx.Client`` to use for API calls (tests, proxies, custom TLS); it is not modified.
        transport: an httpx transport for the client this object builds (e.g. ``httpx.MockTransport``).
        storage_transport: an httpx transport for presigned storage requests.
        max_response_bytes: the largest API response body accepted, after decompression (32 MiB).
        multipart_threshold: components larger than this (bytes; 256 MiB) go up in parallel parts and,
            once stored in parts, come down in parallel ranges, each verified (see ``methodic.transfer.multipart``).
        min_part_size: the smallest part (bytes; 5 MiB); larger files get larger parts, at most 10,000 of them.
        max_part_workers: parts of one large component (or ranges of one download) in flight at once (8), apart
            from ``max_upload_workers``, which bounds how many components move at once.
        download_range_size: bytes per ranged GET of one file (None, the default: 16 MiB; at least 1 MiB); a
            file larger than that comes down in parallel ranges, verified by its sha256. For a component stored
            in parts it is rounded up to whole parts (None: one part per GET). A size at least the file's reads
            it in one GET: for stores where every GET costs the whole object (moto).
    """

    def __init__(
        self,
        server_url: str,
        api_key: str,
        timeout: float = DEFAULT_TIMEOUT,
        max_upload_workers: int = DEFAULT_MAX_UPLOAD_WORKERS,
        organization_id: OrganizationArg = None,
        organization_slug: str | None = None,
        scribe_url: str | None = None,
        *,
        http_client: httpx.Client | None = None,
        transport: httpx.BaseTransport | None = None,
        storage_transport: httpx.BaseTransport | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        multipart_threshold: int = DEFAULT_MULTIPART_THRESHOLD,
        min_part_size: int = DEFAULT_MIN_PART_SIZE,
        download_range_size: int | None = None,
        max_part_workers: int = DEFAULT_MAX_PART_WORKERS,
        download_stall: StallPolicy | None = None,
    ) -> None:
        timeout = check_timeout(timeout)  # NaN, infinite or not positive: an error now, not at the first call
        self._transport = Transport(
            server_url,
            api_key,
            timeout=timeout,
            http_client=http_client,
            transport=transport,
            max_response_bytes=max_response_bytes,
        )
        config = TransferConfig(
            max_workers=max_upload_workers,
            max_part_workers=max_part_workers,
            timeout=timeout,
            multipart_threshold=multipart_threshold,
            min_part_size=min_part_size,
            download_range_size=download_range_size,
            stall=download_stall if download_stall is not None else StallPolicy(),
        )
        self.server_url = self._transport.server_url
        self.timeout = timeout
        self._organization = DefaultOrganization(self._transport, organization_id, organization_slug)
        self._transfer_door = Transfers(
            partial(asset_calls, self._transport, self._organization, scribe_url),
            config,
            storage_transport=storage_transport,
        )
        self._resources = Resources(self._transport, self._organization, self._transfer_door)
        self._closed = False
        self._close_lock = threading.Lock()

    @classmethod
    def from_env(cls, **overrides: Any) -> Chronicle:
        """Build a client from keyword arguments, then ``CHRONICLE_*`` variables, then ``~/.methodic``.

        Raises :class:`~methodic.errors.ChronicleConfigError` before any network call when no API key is found.
        """
        return from_settings(cls, resolve_settings(settings_overrides(overrides)), overrides)

    @classmethod
    def from_file(
        cls,
        config: str | os.PathLike[str] | None = None,
        credentials: str | os.PathLike[str] | None = None,
        **overrides: Any,
    ) -> Chronicle:
        """Build a client from YAML files, as the hosted SDK's ``from_file`` does: a config and/or credentials file.

        Each is a mapping with any of ``api_key``, ``server_url``, ``organization_id`` or ``organization_slug``,
        ``timeout``, ``max_upload_workers`` and ``scribe_url`` (one combined file can be passed as ``config``);
        ``credentials`` wins on overlap and keyword arguments win over both. The environment and
        ``~/.methodic`` are not read. Raises ChronicleConfigError when a named file is missing or no API key is found.
        """
        if config is None and credentials is None:
            raise ChronicleConfigError("from_file needs a config file, a credentials file, or both")
        settings = resolve_settings(
            settings_overrides(overrides),
            environ={},
            config_file=Path(config) if config is not None else None,
            credentials_file=Path(credentials) if credentials is not None else None,
        )
        return from_settings(cls, settings, overrides)

    # -- default organization -----------------------------------------------------------------------
    @property
    def organization_id(self) -> str | None:
        """The default organization (None: personal). Given by slug, it is looked up in ``me.scopes()`` once."""
        return self._organization.get()

    @organization_id.setter
    def organization_id(self, value: OrganizationArg) -> None:
        self._organization.set(value)

    @property
    def organization_slug(self) -> str | None:
        """The slug the default organization was given by, while it is not resolved yet."""
        return self._organization.slug

    # -- raw requests -------------------------------------------------------------------------------
    def get(self, path: str, *, params: Mapping[str, Any] | None = None) -> Any:
        """GET any endpoint by path, for the few without a wrapper; returns the parsed JSON.

        Paths are version-free as in the hosted SDK (``chronicle.get(f"/experiments/{eid}/outputs")``;
        ``/v1`` is added, a ``/v1/...`` path is kept). Errors are the usual typed ones. The same
        methods are on ``chronicle._transport`` (``.get``, ``.post``, ...), where hosted code calls them.
        """
        return self._transport.get(path, params=params)

    def post(self, path: str, *, json: Any = None, params: Mapping[str, Any] | None = None) -> Any:
        """POST ``json`` to any endpoint by path; returns the parsed JSON (see :meth:`get`)."""
        return self._transport.post(path, json=json, params=params)

    def put(self, path: str, *, json: Any = None, params: Mapping[str, Any] | None = None) -> Any:
        """PUT ``json`` to any endpoint by path; returns the parsed JSON (see :meth:`get`)."""
        return self._transport.put(path, json=json, params=params)

    def patch(self, path: str, *, json: Any = None, params: Mapping[str, Any] | None = None) -> Any:
        """PATCH ``json`` to any endpoint by path; returns the parsed JSON (see :meth:`get`)."""
        return self._transport.patch(path, json=json, params=params)

    def delete(self, path: str, *, params: Mapping[str, Any] | None = None) -> Any:
        """DELETE any endpoint by path; returns the parsed JSON (see :meth:`get`)."""
        return self._transport.delete(path, params=params)

    def __repr__(self) -> str:
        state = " closed" if self._closed else ""
        return f"<Chronicle server_url={self._transport.display_url!r}{state}>"

    # -- namespaces ---------------------------------------------------------------------------------
    # Each namespace (and the generated endpoints and models it needs) loads on first use, so
    # ``import methodic`` stays light; building one twice under a race is harmless (they are stateless).
    @property
    def experiments(self) -> ExperimentsNamespace[Experiment]:
        """Experiments: create, list, commit, conclude, retract, delete, lineage, inputs and outputs."""
        return self._resources.experiments

    @property
    def variations(self) -> VariationsNamespace[Variation]:
        """Variations: create, list, get, configs, outputs and inputs."""
        return self._resources.variations

    @property
    def runs(self) -> RunsNamespace:
        """Runs: create, start, heartbeat, succeed, fail, resume, list."""
        return self._resources.runs

    @property
    def assets(self) -> AssetsNamespace:
        """Assets: inline and presigned creation, finalize, get, list, download, deprecate, invalidate."""
        return self._resources.assets

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

    @cached_property
    def api_keys(self) -> ApiKeysNamespace:
        """Your API keys: mint, list, rotate, restrict, revoke."""
        from methodic.namespaces.api_keys import ApiKeysNamespace

        return ApiKeysNamespace(self._transport)

    @cached_property
    def errata(self) -> ErrataNamespace:
        """Corrections attached to experiments, variations and assets."""
        from methodic.namespaces.errata import ErrataNamespace

        resources = self._resources  # not the client: the namespace holds no way back to it
        return ErrataNamespace(self._transport, lambda: resources.assets)

    @cached_property
    def lessons(self) -> LessonsNamespace:
        """Research lessons across the experiments of a scope (an experiment's own: ``experiments.list_lessons``)."""
        from methodic.namespaces.lessons import LessonsNamespace

        return LessonsNamespace(self._transport)

    @cached_property
    def tags(self) -> TagsNamespace:
        """Keywords a scope owns, applied to assets and experiments by name, and filterable in search."""
        from methodic.namespaces.tags import TagsNamespace

        return TagsNamespace(self._transport)

    @cached_property
    def collections(self) -> CollectionsNamespace:
        """Named groupings of assets and experiments; search within one, or boost its members by association."""
        from methodic.namespaces.collections import CollectionsNamespace

        return CollectionsNamespace(self._transport)

    @cached_property
    def datasets(self) -> DatasetsNamespace:
        """Datasets: upload a folder as one asset (the transfer engine), describe, list the catalog, link."""
        from methodic.namespaces.datasets import DatasetsNamespace

        return DatasetsNamespace(self._transport, self.assets, self.experiments, self._transfer_door.manager)

    @cached_property
    def imports(self) -> ImportsNamespace:
        """Imports: research-report PDFs into an organization's library, finalized as one batch."""
        from methodic.namespaces.imports import ImportsNamespace

        return ImportsNamespace(self._transport, self.assets, self._organization.get)

    @cached_property
    def publications(self) -> PublicationsNamespace:
        """Cited works: register from a DOI, BibTeX or arXiv id, search by title, finalize a draft."""
        from methodic.namespaces.publications import PublicationsNamespace

        return PublicationsNamespace(self._transport)

    @cached_property
    def reasoning_errors(self) -> ReasoningErrorsNamespace:
        """Report how an AI reasoned (or executed) badly; list your reports; reclassify one."""
        from methodic.namespaces.reasoning import ReasoningErrorsNamespace

        return ReasoningErrorsNamespace(self._transport)

    @cached_property
    def failure_modes(self) -> FailureModesNamespace:
        """The human-confirmed catalog of ways research reasoning goes wrong: read it before drawing conclusions."""
        from methodic.namespaces.reasoning import FailureModesNamespace

        return FailureModesNamespace(self._transport)

    @cached_property
    def operational_checks(self) -> OperationalChecksNamespace:
        """What to verify before acting, found by what a problem looks like."""
        from methodic.namespaces.reasoning import OperationalChecksNamespace

        return OperationalChecksNamespace(self._transport)

    @cached_property
    def review_queue(self) -> ReviewQueueNamespace:
        """What waits for a human's review decision (read-only)."""
        from methodic.namespaces.reasoning import ReviewQueueNamespace

        return ReviewQueueNamespace(self._transport)

    @cached_property
    def feed(self) -> FeedNamespace:
        """Your event feed, with seen pointers you advance after acting (at least once)."""
        from methodic.namespaces.feed import FeedNamespace

        return FeedNamespace(self._transport)

    @cached_property
    def activity(self) -> ActivityNamespace:
        """The audited actions on the experiments you can read, newest first."""
        from methodic.namespaces.activity import ActivityNamespace

        return ActivityNamespace(self._transport)

    @cached_property
    def feedback(self) -> FeedbackNamespace:
        """Send feedback or report a reproducible error to the platform's makers."""
        from methodic.namespaces.feedback import FeedbackNamespace

        return FeedbackNamespace(self._transport)

    @property
    def reports(self) -> ReportsNamespace:
        """Report settings of an experiment (``exp.set_report_settings`` for one)."""
        return self._resources.reports

    @property
    def research_prompts(self) -> ResearchPromptsNamespace:
        """Research prompts: create, read, associate with experiments (``exp.research_prompts`` for one)."""
        return self._resources.research_prompts

    @property
    def transfers(self) -> TransferManager:
        """The transfer engine: storage client, pool and retries; built on first use (its TLS setup costs ~20 ms)."""
        return self._transfer_door.manager()

    # -- handles ------------------------------------------------------------------------------------
    def experiment(
        self,
        experiment_id: str,
        *,
        _detail: ExperimentDetail | None = None,
        _create_response: ExperimentCreated | None = None,
    ) -> Experiment:
        """A handle on an experiment; nothing is fetched until an attribute is read."""
        return Experiment(self._resources, experiment_id, _detail=_detail, _create_response=_create_response)

    def variation(self, experiment_id: str, variation: int, *, _data: VariationRecord | None = None) -> Variation:
        """A handle on a variation (by its integer index)."""
        return Variation(self._resources, experiment_id, variation, _data=_data)

    def run(self, experiment_id: str, variation: int, run: int) -> Run:
        """A handle on a run: ``chronicle.run(exp_id, 0, 0)`` or ``chronicle.run(exp_id, variation=0, run=0)``."""
        return Run(self._resources, experiment_id, variation, run)

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
        """Block until every background upload of every run finished; raise UploadError for failures.

        A failure that its run's ``succeed()`` or ``wait_for_uploads()`` (or the upload's ``wait()``) already
        reported is not raised again; ``run.wait_for_uploads()`` answers for one run only.
        """
        manager = self._transfer_door.current()
        if manager is not None:
            manager.wait(raise_errors=True)

    def stop_uploads(self) -> None:
        """Stop this client's transfers now: queued ones are dropped, those in flight cut off, none waited for at exit.

        What a second Ctrl-C or SIGTERM during ``run.lifecycle()``'s drain does: the run is being failed, so
        its uploads could not land any more (the server abandons a failed run's pending outputs), and a
        process that was asked twice to stop must not keep sending to 100%. What did not land stays in its
        tracker. The client stays usable: a later upload starts a fresh transfer engine.
        """
        self._resources.stop_uploads()

    # -- lifetime -----------------------------------------------------------------------------------
    def close(self, *, cancel_uploads: bool = False, interrupt_uploads: bool = False) -> None:
        """Wait for queued uploads (or drop those not started, with ``cancel_uploads=True``), then close.

        ``interrupt_uploads=True`` (what leaving the ``with`` block on Ctrl-C, SIGTERM in ``run.lifecycle()``
        or SystemExit does) also cuts the uploads in flight short instead of waiting for them: the process
        is being stopped, and what did not finish stays in its tracker for ``methodic uploads resume``.
        Raises :class:`~methodic.errors.UploadError` for background upload failures that no
        ``wait_for_uploads()`` or ``succeed()`` has reported yet, naming each component (or the asset,
        for a failed finalize). Idempotent.
        """
        with self._close_lock:
            if self._closed:
                return
            self._closed = True
        manager = self._transfer_door.close()
        try:
            if manager is not None:
                manager.close(cancel=cancel_uploads or interrupt_uploads, interrupt=interrupt_uploads)
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
        # Being stopped (Ctrl-C, SIGTERM inside run.lifecycle(), SystemExit): never wait for uploads in flight,
        # which could outlast a scheduler's grace; the lifecycle already gave them their drain.
        stopping = isinstance(exc, (KeyboardInterrupt, SystemExit, RunTerminated))
        try:
            self.close(cancel_uploads=stopping, interrupt_uploads=stopping)
        except UploadError as upload_error:  # the exception already propagating is the one to see
            logger.error("while handling %s: %s", type(exc).__name__, upload_error)
