"""Uploading assets: register every component, PUT each on the pool, finalize when all have landed.

The rule from the resumable-uploads design: every component of an asset is registered (with the
server and in the ledger: the :class:`~methodic.UploadTracker` when given, memory otherwise) before
any byte moves, and the asset is finalized only when the ledger says every component completed. A
partial asset can never become ``ready``; a crashed process leaves tracker rows that
:func:`methodic.transfer.resume.resume` finishes.

What is uploaded is exactly what was registered: the files are staged at registration
(:mod:`methodic.transfer.staging`) and checked against their registered size, mtime and inode
before and after each PUT (:mod:`methodic.transfer.job`, the per-asset job). This module is the
service: registration, dispatch onto the pool, the wire of one component, finalize, and the runs'
upload sessions. The public future is :class:`~methodic.transfer.futures.AssetUpload`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import httpx

from methodic._constants import LOGGER_NAME, UPLOAD_TARGETS
from methodic.errors import APIConnectionError, ChronicleError, ConflictError, ServerError, TrackerError
from methodic.transfer import staging
from methodic.transfer.bounds import checked_max_part_bytes
from methodic.transfer.config import DEFAULT_MIN_PART_SIZE, DEFAULT_MULTIPART_THRESHOLD
from methodic.transfer.display import TransferDisplay
from methodic.transfer.files import ComponentSpec, scan_directory
from methodic.transfer.futures import FINALIZE, AssetUpload, OutputTarget
from methodic.transfer.gateway_parts import GatewayParts
from methodic.transfer.job import AssetJob
from methodic.transfer.ledger import Ledger, MemoryLedger
from methodic.transfer.multipart import PartMemory, PartUpload, abort_upload, buffer_count, choose_part_size
from methodic.transfer.progress import ProgressOption, ProgressSink, make_progress
from methodic.transfer.put import upload_file
from methodic.transfer.register import register_staged
from methodic.transfer.retry import UploadResult, storage_full
from methodic.transfer.session import UploadSession
from methodic.transfer.staging import check_unchanged
from methodic.types import ComponentDigest, PresignedUpload

if TYPE_CHECKING:
    from methodic.transfer.config import RetryPolicy
    from methodic.transfer.interfaces import AssetOperations
    from methodic.transfer.pool import TransferPool
    from methodic.transfer.tracker import PendingUpload, UploadTracker
    from methodic.types import AssetRecord

logger = logging.getLogger(f"{LOGGER_NAME}.uploads")

T = TypeVar("T")


#: Finalize answers for a distributed asset whose other components are not in storage yet.
WAITING_FOR_OTHERS = ("components_missing",)


def refuse_gateway_route(presigned: PresignedUpload) -> None:
    """Refuse a route this engine does not speak, before any byte moves (``r2`` and ``gcs`` are spoken).

    On ``r2``, the gateway's ``max_part_bytes`` must be a sane size too (PartLayoutError), before it is recorded.
    """
    if presigned.via not in UPLOAD_TARGETS:
        raise ChronicleError(
            f"asset {presigned.asset_id}: the server chose the {presigned.via!r} upload route although this client"
            f" asked for {list(UPLOAD_TARGETS)}; this SDK version uploads through {' or '.join(UPLOAD_TARGETS)} only"
        )
    if presigned.via == "r2":
        checked_max_part_bytes(presigned.max_part_bytes, asset_id=presigned.asset_id)


class Uploads:
    """Asset uploads through one storage client, one pool and one set of asset operations."""

    def __init__(
        self,
        operations: AssetOperations,
        storage_http: httpx.Client,
        pool: TransferPool,
        retry: RetryPolicy,
        *,
        part_pool: TransferPool | None = None,
        multipart_threshold: int = DEFAULT_MULTIPART_THRESHOLD,
        min_part_size: int = DEFAULT_MIN_PART_SIZE,
    ) -> None:
        self.operations = operations
        self.storage_http = storage_http
        self.pool = pool
        #: Where the parts of one large component go (the manager's part pool; ``pool`` when not given).
        self.part_pool = part_pool or pool
        self.retry = retry
        self.multipart_threshold = multipart_threshold
        self.min_part_size = min_part_size
        #: One budget for the part buffers of every component this client sends in parts at once.
        self.part_memory = PartMemory()
        #: One upload session per run (key: its output target; None for uploads that are no run's output).
        self._sessions: dict[OutputTarget | None, UploadSession] = {}
        self._active_lock = threading.Lock()
        self._display: TransferDisplay | None = None

    @property
    def display(self) -> TransferDisplay:
        """The one display every background upload of this client reports into (built on first use)."""
        with self._active_lock:
            if self._display is None:
                self._display = TransferDisplay(label="upload", leave=False)
            return self._display

    def __repr__(self) -> str:
        return f"<Uploads {self.pool!r} sessions={len(self._sessions)}>"

    def _retrying(self, call: Callable[[], T]) -> T:
        """Run an idempotent asset operation (get, presign, finalize), retrying what may pass on retry.

        The SDK does not retry API calls in general (only the caller knows what is safe), but these
        three are idempotent, and one 502 from a load balancer must not cost a checkpoint whose bytes
        are all in storage: connection errors, timeouts and 5xx are retried with the storage policy. A 507
        (or the code ``insufficient_storage``) says storage is full: not transient, raised at once.
        """
        for attempt in range(self.retry.max_attempts):
            try:
                return call()
            except (APIConnectionError, ServerError) as exc:
                if isinstance(exc, ServerError) and storage_full(exc.status_code, exc.code):
                    logger.error("storage is full; not retrying: %s", exc)
                    raise
                if attempt + 1 == self.retry.max_attempts:
                    raise
                logger.debug("retrying an asset operation (attempt %d) after: %s", attempt + 2, exc)
                self.retry.sleep(self.retry.delay(attempt + 1))
        raise AssertionError("unreachable")

    def goes_in_parts(self, size: int, max_part_bytes: object, *, asset_id: str = "") -> bool:
        """Whether a component of ``size`` bytes goes in gateway parts (the ``r2`` route only).

        Above the gateway's ``max_part_bytes`` it must; above ``multipart_threshold`` it should, because
        parallel parts are what fill storage that paces each connection. A ``max_part_bytes`` that is not a
        sane size (a tracker's, or the server's word) raises PartLayoutError.
        """
        stated = checked_max_part_bytes(max_part_bytes, asset_id=asset_id)
        limit = self.multipart_threshold if stated is None else min(stated, self.multipart_threshold)
        return size > limit

    def put_whole(
        self,
        url: str,
        path: Path,
        content_type: str,
        sink: ProgressSink | None,
        *,
        component: str | None = None,
        gateway: bool = False,
        refresh_url: Callable[[], str] | None = None,
    ) -> UploadResult:
        """One streamed PUT of a whole file: to the gateway with the API key's header, or to a presigned URL.

        A presigned URL that was refused is renewed through ``refresh_url``; a gateway URL has no signature
        to renew, and the key goes only where :meth:`AssetOperations.gateway_headers` allows.
        """
        return upload_file(
            self.storage_http,
            url,
            path,
            content_type=content_type,
            progress=sink,
            retry=self.retry,
            refresh_url=refresh_url,
            component=component,
            headers=self.operations.gateway_headers(url) if gateway else None,
        )

    def part_upload(
        self,
        asset_id: str,
        name: str,
        registered: ComponentSpec,
        ledger: Ledger,
        sink: ProgressSink | None,
        recorded: PendingUpload,
    ) -> PartUpload:
        """The gateway multipart upload of one registered component (started, or resumed from the ledger)."""
        component = ledger.get_component(asset_id, name)
        url = None if component is None else component.upload_url
        if url is None:
            raise ChronicleError(f"{asset_id}/{name}: no gateway upload URL was recorded")
        wire = GatewayParts(
            self.storage_http,
            url,
            self.operations.gateway_headers(url),
            self.retry,
            component=name,
            content_type=registered.content_type,
        )
        part_size = choose_part_size(
            registered.size, self.min_part_size, checked_max_part_bytes(recorded.max_part_bytes, asset_id=asset_id)
        )
        return PartUpload(
            wire=wire,
            ledger=ledger,
            asset_id=asset_id,
            name=name,
            path=Path(registered.local_path),
            size=registered.size,
            part_size=part_size,
            pool=self.part_pool,
            buffers=buffer_count(part_size, self.part_pool.max_workers),
            sink=sink,
            check_file=lambda: check_unchanged(registered),
            source=registered.source_path or registered.local_path,
            memory=self.part_memory,
        )

    # -- single components ----------------------------------------------------------------------------
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
        """Upload one file now; returns its size and whole-file sha256 (for finalize).

        ``route="gcs"``: one streamed PUT to a presigned URL, with retries (``refresh_url`` renews a
        refused URL). ``route="r2"``: the storage gateway's URL, with the API key; a file above the
        gateway's ``max_part_bytes`` (or above ``multipart_threshold``) goes in parallel parts, read once,
        as a background upload's would (recorded in memory only: without a tracker nothing resumes it).
        """
        path = Path(local_path)
        stat = path.stat()
        spec = ComponentSpec(
            name=path.name,
            local_path=str(path),
            size=stat.st_size,
            content_type=content_type,
            mtime_ns=stat.st_mtime_ns,
            inode=stat.st_ino,
        )
        sink = make_progress(progress, total=spec.size, description=path.name, files=1, label="upload")
        try:
            if route == "r2":
                if self.goes_in_parts(spec.size, max_part_bytes, asset_id="(upload_component)"):
                    ledger = MemoryLedger()
                    key = f"component:{id(ledger)}"
                    ledger.register_components(
                        key,
                        "component",
                        [spec],
                        upload_urls={spec.name: url},
                        route="r2",
                        max_part_bytes=max_part_bytes,
                    )
                    recorded = ledger.get_asset(key)
                    assert recorded is not None
                    result = self.part_upload(key, spec.name, spec, ledger, sink, recorded).run()
                else:
                    result = self.put_whole(url, path, content_type, sink, gateway=True)
            else:
                result = self.put_whole(url, path, content_type, sink, refresh_url=refresh_url)
        finally:
            sink.on_done()
        return ComponentDigest(size=result.size, sha256=result.sha256)

    def finalize(self, asset_id: str, ledger: Ledger) -> AssetRecord:
        """Finalize with the sizes and checksums the ledger recorded, then mark it finalized there."""
        recorded = ledger.get_asset(asset_id)
        if recorded is None or recorded.incomplete:
            raise ChronicleError(f"asset {asset_id} has components that did not complete; it was not finalized")
        digests = {c.name: ComponentDigest(size=c.size, sha256=c.sha256 or "") for c in recorded.components}
        if recorded.shared:
            # Other ranks or nodes upload the rest: finalize with every file's digest, as the ranks exchanged
            # them at registration, so whichever process finishes last makes the asset ready.
            digests = {**self.shared_files(asset_id, ledger), **digests}
        try:
            asset = self._retrying(lambda: self.operations.finalize(asset_id, components=digests))
        except ConflictError as exc:
            if not (recorded.shared and exc.code in WAITING_FOR_OTHERS):
                raise
            logger.info("asset %s: this process's components are in; waiting for the others (%s)", asset_id, exc)
            return self._retrying(lambda: self.operations.get(asset_id))
        ledger.mark_finalized(asset_id)
        logger.debug("finalized asset %s (%d components)", asset_id, len(digests))
        return asset

    @staticmethod
    def shared_files(asset_id: str, ledger: Ledger) -> dict[str, ComponentDigest]:
        """Every file of a shared asset with its registered digest; refuses one recorded without them."""
        files = ledger.asset_files(asset_id)
        if not files:
            raise ChronicleError(
                f"asset {asset_id} was registered by an older methodic that did not record the other nodes'"
                " checksums; it can only be finalized where they are known (or with assets.finalize)"
            )
        return files

    # -- whole directories ----------------------------------------------------------------------------
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
        """Register every file of ``local_dir`` as one asset, then upload them on the pool and finalize.

        Scanning (symlinks outside the directory, unreadable files, an empty directory) fails before
        anything is registered. The files are staged (hard-linked) at once, so what gets uploaded is
        the folder as it is now, whatever the trainer deletes, renames or rewrites next. Returns at
        once; the transfer continues in the background.

        ``create`` registers the asset instead of the run-output create (an asset owned by a scope, not
        a run: ``output_of=None``); it gets the staged components, whose files are what will be uploaded.
        """
        folder = Path(local_dir)
        staged = staging.stage(folder, scan_directory(folder), tracker=None if tracker is None else tracker.db_path)
        return register_staged(
            self,
            folder,
            staged,
            asset_type=asset_type,
            output_of=output_of,
            tracker=tracker,
            name=name,
            asset_config=asset_config,
            progress=progress,
            ttl_days=ttl_days,
            create=create,
        )

    def _dispatch(
        self,
        asset_id: str,
        ledger: Ledger,
        progress: ProgressOption,
        output_of: OutputTarget | None,
        display: TransferDisplay | None = None,
        session: UploadSession | None = None,
    ) -> AssetUpload:
        """Queue a task per component the ledger does not hold as completed (finalize alone if none).

        The upload goes into ``session``, by default the session of the run it is an output of.
        """
        recorded = ledger.get_asset(asset_id)
        if recorded is None:
            raise TrackerError(f"asset {asset_id} is not registered")
        to_send = sorted(c.name for c in recorded.components if c.state != "completed" or not c.sha256)
        sending = set(to_send)
        total = sum(c.size for c in recorded.components if c.name in sending)
        handle = AssetUpload(asset_id, [c.name for c in recorded.components])
        sink = make_progress(
            progress,
            total=total,
            description=f"upload {asset_id[:8]}",
            display=display if display is not None else self.display,
            files=len(to_send),
        )
        session = session if session is not None else self.session(output_of)
        job = AssetJob(self, handle, ledger, to_send, sink, recorded.staging_dir, session)
        if not to_send:
            self.pool.submit_background(asset_id, FINALIZE, job.complete, on_cancel=job.complete)
        for component in to_send:
            self.pool.submit_background(
                asset_id,
                component,
                lambda c=component: job.upload_one(c),  # type: ignore[misc]
                on_cancel=lambda c=component: job.cancel_one(c),  # type: ignore[misc]
            )
        # Only once every task is queued: an upload that could not start (a closed client) raises to the caller
        # and must not leave its run waiting forever. One that ends before this line is kept all the same.
        session.add(handle)
        return handle

    def abort_unfinished(self, recorded: PendingUpload) -> int:
        """Abort the gateway multipart uploads an asset that was given up left unfinished; returns how many.

        For ``methodic uploads forget``/``prune``: the parts' bytes are freed in storage now rather than at
        the gateway's idle sweep. Never called on a crash or a failure (that is what resume is for).
        A failed abort is logged, not raised: the sweep frees the bytes anyway.
        """
        aborted = 0
        if recorded.route != "r2":
            return 0
        for component in recorded.components:
            if component.upload_id is None or component.upload_url is None or component.state == "completed":
                continue
            try:
                headers = self.operations.gateway_headers(component.upload_url)
            except ChronicleError as exc:
                logger.warning("not aborting the upload of %s/%s: %s", recorded.asset_id, component.name, exc)
                continue
            wire = GatewayParts(self.storage_http, component.upload_url, headers, self.retry, component=component.name)
            abort_upload(wire, component.upload_id)
            aborted += 1
        return aborted

    def session(self, output_of: OutputTarget | None) -> UploadSession:
        """The upload session of one run (made on first use); every upload of that run goes into it."""
        with self._active_lock:
            session = self._sessions.get(output_of)
            if session is None:
                session = self._sessions[output_of] = UploadSession(output_of)
            return session

    def sessions(self) -> list[UploadSession]:
        """Every run's upload session so far."""
        with self._active_lock:
            return list(self._sessions.values())

    def in_flight(self, output_of: OutputTarget | None = None) -> list[AssetUpload]:
        """Uploads not finished yet, all of them (None) or those of one run."""
        sessions = self.sessions() if output_of is None else [self.session(output_of)]
        return [upload for session in sessions for upload in session.in_flight()]

    def drain(self, output_of: OutputTarget | None, timeout: float) -> list[AssetUpload]:
        """Wait up to ``timeout`` seconds for the uploads of ``output_of`` (all if None); return those not done.

        Their failures are not raised here: they stay with their uploads for the next wait.
        """
        if output_of is not None:
            return self.session(output_of).drain(timeout)
        deadline = time.monotonic() + max(0.0, timeout)
        return [u for s in self.sessions() for u in s.drain(max(0.0, deadline - time.monotonic()))]

    def take_failures(self) -> list[tuple[str, str, BaseException]]:
        """Every session's failures that nobody was told of yet (each reported once).

        Components a ``close(cancel_uploads=True)`` dropped are left out: the client's close asked for it.
        """
        return [failure for session in self.sessions() for failure in session.take_failures(cancelled=False)]

    def stop(self) -> None:
        """The client stops its uploads: no session's wait waits any longer."""
        for session in self.sessions():
            session.stop()
