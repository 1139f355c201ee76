"""Uploading assets: register every component, PUT each on the pool, finalize when all have landed.

The rule from the resumable-uploads design: every component of an asset is registered (with the
server and in the ledger: the :class:`~methodic.UploadTracker` when given, memory otherwise) before
any byte moves, and the asset is finalized only when the ledger says every component completed. A
partial asset can never become ``ready``; a crashed process leaves tracker rows that
:meth:`Uploads.resume` finishes. URLs, digests and completion are read from the ledger each time,
never from a copy kept here, so the tracker on disk is the one account of an upload.

What is uploaded is exactly what was registered: the files are staged at registration
(:mod:`methodic.transfer.staging`) and checked against their registered size, mtime and inode
before and after each PUT. An asset whose file changed, or that the server abandoned, is marked
dead in the ledger and never finalized; a resume goes through every asset and reports each.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import httpx

from methodic._constants import LOGGER_NAME, UPLOAD_TARGETS
from methodic.errors import (
    APIConnectionError,
    ChronicleError,
    ConflictError,
    FileChangedError,
    NotFoundError,
    ServerError,
    StorageError,
    TrackerError,
    UploadError,
)
from methodic.transfer import staging
from methodic.transfer.bounds import checked_max_part_bytes
from methodic.transfer.claims import release_claim
from methodic.transfer.config import DEFAULT_MIN_PART_SIZE, DEFAULT_MULTIPART_THRESHOLD
from methodic.transfer.display import TransferDisplay
from methodic.transfer.files import ComponentSpec, scan_directory, text_name
from methodic.transfer.gateway_parts import GatewayParts
from methodic.transfer.ledger import Ledger, MemoryLedger
from methodic.transfer.multipart import PartMemory, PartUpload, abort_upload, buffer_count, choose_part_size
from methodic.transfer.progress import ProgressOption, ProgressSink, make_progress
from methodic.transfer.put import upload_file
from methodic.transfer.retry import UploadResult, storage_full
from methodic.transfer.session import UploadSession
from methodic.transfer.staging import check_unchanged
from methodic.transfer.tracker import check_recordable
from methodic.types import ComponentDigest, PresignedUpload
from methodic.types import ResumeOutcome as ResumeOutcome  # its home is the one result model

if TYPE_CHECKING:
    from methodic.transfer.config import RetryPolicy
    from methodic.transfer.interfaces import AssetOperations
    from methodic.transfer.pool import TransferPool
    from methodic.transfer.tracker import PendingUpload, TrackedComponent, UploadTracker
    from methodic.types import AssetRecord

logger = logging.getLogger(f"{LOGGER_NAME}.uploads")

T = TypeVar("T")

#: The label under which a failed finalize is reported (it belongs to the asset, not to a file).
FINALIZE = "<finalize>"
#: The label of a failure that concerns the whole asset (abandoned, unreachable, files changed).
ASSET = "<asset>"


@dataclass(frozen=True)
class OutputTarget:
    """Where an asset belongs: the run (or variation, or experiment) it is an output of."""

    experiment_id: str
    variation: int | None = None
    run: int | None = None

    def as_dict(self) -> dict[str, Any]:
        """The ``output_of`` body field."""
        return {"experiment_id": self.experiment_id, "variation": self.variation, "run": self.run}


class AssetUpload(str):
    """A background upload of one multi-component asset. ``wait()`` returns the ready asset or raises.

    It is also the asset's id (a ``str`` equal to ``asset_id``), as the hosted SDK's
    ``register_and_upload_async`` returns the id: ``chronicle.assets.get(run.register_and_upload_async(...))``.
    """

    def __new__(cls, asset_id: str, components: Sequence[str] = ()) -> AssetUpload:
        """The string value is the asset id; the rest is set up by ``__init__``."""
        return super().__new__(cls, asset_id)

    def __init__(self, asset_id: str, components: Sequence[str] = ()) -> None:
        self.asset_id = asset_id
        self.components = tuple(components)
        self._done = threading.Event()
        self._result: AssetRecord | None = None
        self._errors: list[tuple[str, BaseException]] = []
        self._reported = False
        self._cancelled: set[str] = set()
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        state = "done" if self._done.is_set() else "uploading"
        return f"<AssetUpload asset_id={self.asset_id!r} components={len(self.components)} {state}>"

    def done(self) -> bool:
        """Whether every component finished (successfully or not)."""
        return self._done.is_set()

    def wait_done(self, timeout: float | None = None) -> bool:
        """Block until the upload is over, successfully or not (at most ``timeout`` s); return whether it is."""
        return self._done.wait(timeout)

    # The engine's side, as with concurrent.futures.Future: it records outcomes, waiters read them.
    def set_failure(self, label: str, error: BaseException) -> None:
        """Record that component ``label`` (or ``FINALIZE``) failed."""
        logger.warning("background upload of %s/%s failed: %s", self.asset_id, label, error)
        with self._lock:
            self._errors.append((label, error))

    def set_cancelled(self, label: str) -> None:
        """Record that component ``label`` was dropped by ``close(cancel_uploads=True)`` before it started."""
        with self._lock:
            self._cancelled.add(label)

    def has_failures(self) -> bool:
        """Whether any component (or the finalize) failed so far."""
        with self._lock:
            return bool(self._errors)

    def set_result(self, asset: AssetRecord) -> None:
        """Record the finalized asset."""
        self._result = asset

    def release(self) -> None:
        """Wake every waiter: the upload is over, one way or the other."""
        self._done.set()

    def failed(self) -> bool:
        """Whether the upload is over without a finalized asset (a component or the finalize failed)."""
        return self.done() and (self.has_failures() or self._result is None)

    def failures(self) -> list[tuple[str, str, BaseException]]:
        """Every failure of an upload that is over (reported or not): (asset id, component or label, error)."""
        if not self.failed():
            return []
        with self._lock:
            failures = [(self.asset_id, name, exc) for name, exc in self._errors]
        if not failures and self._result is None:  # over without an asset: never counted as a success
            failures = [(self.asset_id, FINALIZE, ChronicleError(f"asset {self.asset_id} was not finalized"))]
        return failures

    def take_failures(self, *, cancelled: bool = True) -> list[tuple[str, str, BaseException]]:
        """The failures of an upload that is over, the first time they are asked for (then none: reported once).

        ``cancelled=False`` leaves out the components a ``close(cancel_uploads=True)`` dropped: the client's
        own close asked for that and does not raise for it (a run's wait does: they never landed).
        """
        if not self.failed():
            return []
        with self._lock:
            if self._reported:
                return []
            self._reported = True
            dropped = set(self._cancelled)
        return [f for f in self.failures() if cancelled or f[1] not in dropped]

    def wait(self, timeout: float | None = None) -> AssetRecord:
        """Block until the asset is finalized; raise UploadError naming the failed components.

        A failure raised here is not raised again by its run's ``wait_for_uploads()``, nor by ``close()``.
        """
        if not self._done.wait(timeout):
            raise TimeoutError(f"upload of asset {self.asset_id} still running after {timeout}s")
        if self.failed():
            with self._lock:
                self._reported = True
            raise UploadError(self.failures())
        assert self._result is not None
        return self._result


def _expired(expires_at: str | None, margin: float = 30.0) -> bool:
    if not expires_at:
        return False
    try:
        when = datetime.fromisoformat(expires_at.replace("Z", "+00:00"))
    except ValueError:
        return False
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.timestamp() - margin <= time.time()


class _AssetJob:
    """The component tasks of one asset on the pool; the last one to finish finalizes.

    ``outstanding`` counts this process's tasks still running; everything about the upload itself
    (URLs, attempts, digests, completion) is asked of the ledger. Tasks never raise into the pool:
    each failure is recorded once, under the component it belongs to, or under ``FINALIZE``.
    """

    def __init__(
        self,
        uploads: Uploads,
        handle: AssetUpload,
        ledger: Ledger,
        to_send: Sequence[str],
        sink: ProgressSink,
        staging_dir: str | None,
        session: UploadSession,
    ) -> None:
        self.uploads = uploads
        self.handle = handle
        #: The run's uploads this one belongs to: told when it is over, so its waiters see it.
        self.session = session
        self.ledger = ledger
        self.outstanding = set(to_send)
        self.sink = sink
        self.staging_dir = staging_dir
        self.lock = threading.Lock()
        self.dead: ChronicleError | None = None
        #: Components whose tasks were dropped before they started, not yet written to the ledger.
        self.cancelled: list[str] = []

    @property
    def asset_id(self) -> str:
        return self.handle.asset_id

    def record(self) -> PendingUpload:
        """The asset's recorded state and route, without its components (asked once per component: O(1))."""
        recorded = self.ledger.get_asset(self.asset_id, components=False)
        if recorded is None:
            raise TrackerError(f"asset {self.asset_id} is no longer recorded in {self.ledger!r}")
        return recorded

    def component(self, name: str) -> TrackedComponent:
        """One component's row, by name (never a pass over the asset's components)."""
        component = self.ledger.get_component(self.asset_id, name)
        if component is None:
            raise TrackerError(f"component {name!r} of asset {self.asset_id} is no longer recorded in {self.ledger!r}")
        return component

    def url_for(self, name: str) -> str:
        component = self.component(name)
        if component.upload_url is None or _expired(component.url_expires_at):
            return self.refresh_url(name)
        return component.upload_url

    def refresh_url(self, name: str) -> str:
        """Ask the server for a fresh upload URL (the recorded one expired or was refused), and record it."""
        fresh = self.uploads._retrying(
            lambda: self.uploads.operations.presign(self.asset_id, operation="upload", components=[name])
        )
        urls = fresh.urls
        self.ledger.update_upload_urls(self.asset_id, urls, fresh.expires_at)
        return urls[name]

    def upload_one(self, name: str) -> None:
        """PUT one component, exactly as registered: its file is checked before and after the PUT."""
        if self.dead is not None or self.finalized_elsewhere():
            self.finish_one(name, None)  # nothing to send: the asset is dead (reported once) or already ready
            return
        try:
            registered = self.component(name).spec()
            check_unchanged(registered)
            self.ledger.mark_uploading(self.asset_id, name)
            result = self.send(name, registered)
            check_unchanged(registered)  # rewritten in place while it was being sent: what went up is torn
            self.check_registered_digest(registered, result.sha256, result.size)
            self.ledger.mark_completed(self.asset_id, name, sha256=result.sha256, size=result.size)
            self.sink.on_file_done()
        except BaseException as exc:
            if isinstance(exc, StorageError) and exc.status_code == 409 and self.dead is None:
                self.check_abandoned()  # the gateway takes no more uploads for it: has the server given up on it?
            if isinstance(exc, Exception) and self.dead is not None and exc is not self.dead:
                self.finish_one(name, None)  # the asset is dead (a file changed, or abandoned): reported once
                return
            if isinstance(exc, Exception) and self.finalized_elsewhere():
                if isinstance(exc, FileChangedError):  # our PUT may have replaced a ready object with other bytes
                    logger.error(
                        "asset %s was finalized by another process while this one sent %s, whose file changed:"
                        " the stored object may not match; verify it with a download",
                        self.asset_id,
                        name,
                    )
                    self.fail_one(name, exc)
                    return
                self.finish_one(name, None)  # another process resuming this tracker finished the asset
                return
            self.fail_one(name, exc)
            if not isinstance(exc, Exception):
                raise
            return
        self.finish_one(name, None)

    def send(self, name: str, registered: ComponentSpec) -> UploadResult:
        """Send one component by the route the server chose: gateway parts, one gateway PUT, or a presigned PUT."""
        recorded = self.record()
        path = Path(registered.local_path)
        route, max_part_bytes = recorded.route, recorded.max_part_bytes
        if route is None:  # registered without the route (the hosted tracker's mark_pending): ask the server
            fresh = self.uploads._retrying(
                lambda: self.uploads.operations.presign(self.asset_id, operation="upload", components=[name])
            )
            said = fresh.upload or {}
            route = str(said.get("via") or "gcs")
            max_part_bytes = checked_max_part_bytes(said.get("max_part_bytes"), asset_id=self.asset_id)
            self.ledger.update_upload_urls(self.asset_id, fresh.urls, fresh.expires_at)
            if route == "r2":
                self.ledger.set_route(self.asset_id, route, max_part_bytes)
                recorded = self.record()
        if route == "r2":
            url = self.component(name).upload_url
            if url is None:
                raise UploadError([(self.asset_id, name, ChronicleError("no gateway upload URL was recorded"))])
            started_in_parts = self.component(name).upload_id is not None  # a resume goes on in the same parts
            if started_in_parts or self.uploads.goes_in_parts(registered.size, max_part_bytes, asset_id=self.asset_id):
                return self.uploads.part_upload(self.asset_id, name, registered, self.ledger, self.sink, recorded).run()
            return self.uploads.put_whole(url, path, registered.content_type, self.sink, component=name, gateway=True)
        return self.uploads.put_whole(
            self.url_for(name),
            path,
            registered.content_type,
            self.sink,
            component=name,
            refresh_url=lambda: self.refresh_url(name),
        )

    def check_registered_digest(self, registered: ComponentSpec, sha256: str, size: int) -> None:
        """What was sent must be the bytes a shared asset's file had when it was hashed at the hand-over.

        Every node finalizes with those hashes; this names the file at once (and catches a rewrite that
        kept the file's size, mtime and inode) instead of a finalize refused later.
        """
        expected = self.ledger.asset_file(self.asset_id, registered.name)
        if expected is not None and expected.sha256 and (expected.sha256, expected.size) != (sha256, size):
            where = registered.source_path or registered.local_path
            raise FileChangedError(registered.name, where, "the bytes sent differ from those hashed at the hand-over")

    def finalized_elsewhere(self) -> bool:
        """Whether the ledger says the asset was finalized meanwhile (by a second resume of the same tracker)."""
        try:
            recorded = self.ledger.get_asset(self.asset_id, components=False)
        except TrackerError:
            return False
        return recorded is not None and recorded.state == "finalized"

    def fail_one(self, name: str, exc: BaseException) -> None:
        if isinstance(exc, FileChangedError) and exc is not self.dead:
            self.give_up("unrecoverable", exc)
        try:
            self.ledger.mark_failed(self.asset_id, name, f"{type(exc).__name__}: {exc}")
        except TrackerError as tracker_exc:
            logger.error("could not record the failure of %s/%s: %s", self.asset_id, name, tracker_exc)
        self.finish_one(name, exc)

    def cancel_one(self, name: str) -> None:
        """The component's task was dropped by ``close(cancel_uploads=True)`` before it started.

        Recorded in the ledger with the asset's other dropped components in one write, when the last task of
        the asset is over (a cancel of 10,000 components is one commit and one warning, not 10,000).
        """
        error = ChronicleError(f"{name} was not uploaded: the client was closed with cancel_uploads=True")
        with self.lock:
            self.cancelled.append(name)
        self.handle.set_cancelled(name)
        self.finish_one(name, error)

    def record_cancelled(self) -> None:
        """Write the components dropped before they started as failed, all at once (see :meth:`cancel_one`)."""
        with self.lock:
            names, self.cancelled = self.cancelled, []
        if not names:
            return
        with contextlib.suppress(TrackerError):
            self.ledger.mark_failed_many(
                self.asset_id, names, "not uploaded: the client was closed with cancel_uploads=True"
            )
        logger.warning(
            "upload of %d component(s) of asset %s cancelled before they started (%s%s)",
            len(names),
            self.asset_id,
            ", ".join(names[:3]),
            " ..." if len(names) > 3 else "",
        )

    def give_up(self, state: str, reason: ChronicleError) -> None:
        """The asset can never become ready: say so in the ledger, stop its other components, free its staging."""
        self.dead = reason
        self.ledger.mark_dead(self.asset_id, state, str(reason))
        staging.remove(self.staging_dir)
        logger.error("asset %s is %s and will not be finalized: %s", self.asset_id, state, reason)

    def finish_one(self, name: str, error: BaseException | None) -> None:
        with self.lock:
            self.outstanding.discard(name)
            if error is not None:
                self.handle.set_failure(name, error)
            last = not self.outstanding
        if last:
            self.record_cancelled()
            self.complete()

    def complete(self) -> None:
        """Finalize with the digests the ledger holds, when every component completed; always release waiters."""
        try:
            if not self.handle.has_failures():
                self.handle.set_result(self.uploads.finalize(self.asset_id, self.ledger))
                staging.remove(self.staging_dir)
            elif isinstance(self.ledger, MemoryLedger):
                staging.remove(self.staging_dir)  # no tracker: nothing can resume it, so nothing may keep its files
        except Exception as exc:
            self.handle.set_failure(FINALIZE, exc)
            if isinstance(exc, ConflictError):
                self.check_abandoned()
            if isinstance(self.ledger, MemoryLedger):
                staging.remove(self.staging_dir)
        finally:
            self.sink.on_done()
            self.handle.release()
            self.session.settled(self.handle)

    def check_abandoned(self) -> None:
        """After a refused finalize: if the server abandoned the asset (its run failed), it is dead here too."""
        try:
            state = self.uploads._retrying(lambda: self.uploads.operations.get(self.asset_id)).state
        except ChronicleError:
            return
        if state not in ("pending", "ready"):
            self.give_up("abandoned", ChronicleError(f"the server marked asset {self.asset_id} {state}"))


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
        try:
            if tracker is not None:  # a path the tracker cannot record is refused before the server hears of it
                check_recordable(
                    [os.fspath(folder.resolve()), os.fspath(staged.directory)]
                    + [p for c in staged.components for p in (c.local_path, c.source_path) if p is not None]
                )
            if create is not None:
                presigned = create(staged.components)
            else:
                if output_of is None:
                    raise ValueError("an asset uploaded without output_of needs its own create")
                presigned = self.operations.create_with_presigned(
                    asset_type=asset_type,
                    components=[s.name for s in staged.components],
                    name=name or text_name(folder.name),
                    output_of=output_of.as_dict(),
                    asset_config=asset_config,
                    upload_targets=list(UPLOAD_TARGETS),
                    ttl_days=ttl_days,
                )
            refuse_gateway_route(presigned)
            if presigned.via == "r2":  # URLs the key may not go to fail now, not at every resume of a registered asset
                for url in presigned.upload_urls.values():
                    self.operations.gateway_headers(url)
            ledger: Ledger = tracker if tracker is not None else MemoryLedger()
            ledger.register_components(
                presigned.asset_id,
                asset_type,
                staged.components,
                experiment_id=None if output_of is None else output_of.experiment_id,
                variation=None if output_of is None else output_of.variation,
                run=None if output_of is None else output_of.run,
                upload_urls=presigned.upload_urls,
                urls_expire_at=presigned.expires_at,
                local_dir=folder.resolve(),
                staging_dir=staged.directory,
                route=presigned.via,
                max_part_bytes=checked_max_part_bytes(presigned.max_part_bytes, asset_id=presigned.asset_id),
            )
        except BaseException:
            staging.remove(staged.directory)
            raise
        release_claim(staged.directory)  # recorded: from now on the ledger owns the staging folder
        return self._dispatch(presigned.asset_id, ledger, progress, output_of)

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
        job = _AssetJob(self, handle, ledger, to_send, sink, recorded.staging_dir, session)
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

    # -- crash recovery -------------------------------------------------------------------------------
    def resume(self, tracker: UploadTracker, *, progress: ProgressOption = None) -> list[AssetRecord]:
        """Finish what a crashed process left in ``tracker``; return the assets this call finalized.

        Every asset is tried, whatever happens to the others (see :meth:`resume_each`). Raises
        UploadError, after doing everything that could be done, naming each asset that could not be
        rescued and why.
        """
        outcomes = self.resume_each(tracker, progress=progress)
        failures: list[tuple[str, str, BaseException]] = []
        for outcome in outcomes:
            if outcome.rescued:
                continue
            if outcome.errors:
                failures.extend((outcome.asset_id, label, exc) for label, exc in outcome.errors)
            else:
                failures.append((outcome.asset_id, ASSET, ChronicleError(f"{outcome.status}: {outcome.detail}")))
        if failures:
            raise UploadError(failures)
        return [o.asset for o in outcomes if o.status == "finalized" and o.asset is not None]

    def resume_each(self, tracker: UploadTracker, *, progress: ProgressOption = None) -> list[ResumeOutcome]:
        """Try every pending asset of ``tracker`` and say, per asset, what became of it; never stops early."""
        outcomes: list[ResumeOutcome] = []
        started: list[tuple[PendingUpload, AssetUpload]] = []
        display = TransferDisplay(label="resume")  # a blocking call: a display of its own, not the background one
        tracker.sweep_staging()  # what a process killed before recording its registration left behind
        # ... and a session of its own: a resume reports each asset in its outcomes and waits for all of them, so
        # what it sends is no run's business (a rerun rescuing a first attempt's leftovers can still succeed).
        resumed = UploadSession(None)
        for pending in tracker.get_pending_uploads():
            try:
                outcome = self._before_resume(tracker, pending)
                if outcome is not None:
                    outcomes.append(outcome)
                    continue
                target = (
                    OutputTarget(pending.experiment_id, pending.variation, pending.run)
                    if pending.experiment_id
                    else None
                )
                started.append((pending, self._dispatch(pending.asset_id, tracker, progress, target, display, resumed)))
            except (ChronicleError, OSError) as exc:  # this asset only: the others are still tried
                outcomes.append(
                    ResumeOutcome.of(pending.asset_id, pending.asset_type, "failed", str(exc), errors=((ASSET, exc),))
                )
        for pending, handle in started:
            outcomes.append(self._after_resume(tracker, pending, handle))
        # Each failure is reported in these outcomes (handle.wait() marked it reported): not again at wait() or close().
        return outcomes

    def _before_resume(self, tracker: UploadTracker, pending: PendingUpload) -> ResumeOutcome | None:
        """Settle an asset that needs no upload (ready, abandoned, changed files); None if it must be uploaded."""

        def dead(state: str, detail: str) -> ResumeOutcome:
            tracker.mark_dead(pending.asset_id, state, detail)  # only if still pending
            recorded = tracker.get_asset(pending.asset_id)
            if recorded is not None and recorded.state == "finalized":  # a concurrent resume finished it
                return ResumeOutcome.of(pending.asset_id, pending.asset_type, "already_ready")
            staging.remove(pending.staging_dir)
            return ResumeOutcome.of(pending.asset_id, pending.asset_type, state, detail)

        try:
            asset = self._retrying(lambda: self.operations.get(pending.asset_id))
        except NotFoundError as exc:
            # Not proof that the asset is gone: a resume pointed at the wrong server (or a proxy) says the
            # same. Nothing is marked dead or deleted on a 404; the entry waits for the right server.
            detail = f"the server at hand does not know this asset (the wrong server?): {exc}"
            return ResumeOutcome.of(pending.asset_id, pending.asset_type, "failed", detail, errors=((ASSET, exc),))
        except ChronicleError as exc:
            return ResumeOutcome.of(pending.asset_id, pending.asset_type, "failed", str(exc), errors=((ASSET, exc),))
        if asset.state == "ready":
            # Finalized before the crash, but the tracker never heard: nothing to upload.
            tracker.mark_finalized(pending.asset_id)
            staging.remove(pending.staging_dir)
            return ResumeOutcome.of(pending.asset_id, pending.asset_type, "already_ready", asset=asset)
        if asset.state != "pending":
            return dead("abandoned", f"the server marked it {asset.state} (its run ended before it was finalized)")
        for component in pending.incomplete:
            change = staging.change_of(component.spec())
            if change is not None:
                where = component.source_path or component.local_path
                return dead("unrecoverable", f"{component.name} ({where}) changed after it was registered: {change}")
        return None

    def _after_resume(self, tracker: UploadTracker, pending: PendingUpload, handle: AssetUpload) -> ResumeOutcome:
        try:
            asset = handle.wait()
        except UploadError as exc:
            errors = tuple((component, error) for _, component, error in exc.failures)
            recorded = tracker.get_asset(pending.asset_id)
            state = recorded.state if recorded is not None and recorded.state != "pending" else "failed"
            detail = recorded.failure if recorded is not None and recorded.failure else str(exc)
            return ResumeOutcome.of(pending.asset_id, pending.asset_type, state, detail, errors=errors)
        if asset.state != "ready":  # a distributed asset: our part is in, another node's is not yet
            detail = "this node's components are in storage; the asset becomes ready when the other nodes' are"
            return ResumeOutcome.of(pending.asset_id, pending.asset_type, "partial", detail, asset=asset)
        return ResumeOutcome.of(pending.asset_id, pending.asset_type, "finalized", asset=asset)
