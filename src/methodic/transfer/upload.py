"""Uploading assets: register every component, PUT each on the pool, finalize when all have landed.

The rule from the resumable-uploads design: every component of an asset is registered (with the
server and in the ledger: the :class:`~methodic.UploadTracker` when given, memory otherwise) before
any byte moves, and the asset is finalized only when the ledger says every component completed. A
partial asset can never become ``ready``; a crashed process leaves tracker rows that
:meth:`Uploads.resume` finishes. URLs, digests and completion are read from the ledger each time,
never from a copy kept here, so the tracker on disk is the one account of an upload.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from methodic._constants import LOGGER_NAME
from methodic.errors import ChronicleError, TrackerError, UploadError
from methodic.transfer.files import scan_directory
from methodic.transfer.ledger import Ledger, MemoryLedger
from methodic.transfer.progress import ProgressOption, ProgressSink, make_progress
from methodic.transfer.storage import upload_file
from methodic.types import ComponentDigest

if TYPE_CHECKING:
    from methodic.transfer.config import RetryPolicy
    from methodic.transfer.interfaces import AssetOperations
    from methodic.transfer.pool import TransferPool
    from methodic.transfer.tracker import PendingUpload, TrackedComponent, UploadTracker
    from methodic.types import AssetRecord

logger = logging.getLogger(f"{LOGGER_NAME}.uploads")

#: The label under which a failed finalize is reported (it belongs to the asset, not to a file).
FINALIZE = "<finalize>"


@dataclass(frozen=True)
class OutputTarget:
    """Where an asset belongs: the run (or variation, or experiment) it is an output of."""

    experiment_id: str
    variation: int | None = None
    run: int | None = None

    def as_dict(self) -> dict[str, Any]:
        """The ``output_of`` body field."""
        return {"experiment_id": self.experiment_id, "variation": self.variation, "run": self.run}


class AssetUpload:
    """A background upload of one multi-component asset. ``wait()`` returns the ready asset or raises."""

    def __init__(self, asset_id: str, components: Sequence[str]) -> None:
        self.asset_id = asset_id
        self.components = tuple(components)
        self._done = threading.Event()
        self._result: AssetRecord | None = None
        self._errors: list[tuple[str, BaseException]] = []

    def __repr__(self) -> str:
        state = "done" if self._done.is_set() else "uploading"
        return f"<AssetUpload asset_id={self.asset_id!r} components={len(self.components)} {state}>"

    def done(self) -> bool:
        """Whether every component finished (successfully or not)."""
        return self._done.is_set()

    # The engine's side, as with concurrent.futures.Future: it records outcomes, waiters read them.
    def set_failure(self, label: str, error: BaseException) -> None:
        """Record that component ``label`` (or ``FINALIZE``) failed."""
        self._errors.append((label, error))

    def has_failures(self) -> bool:
        """Whether any component (or the finalize) failed so far."""
        return bool(self._errors)

    def set_result(self, asset: AssetRecord) -> None:
        """Record the finalized asset."""
        self._result = asset

    def release(self) -> None:
        """Wake every waiter: the upload is over, one way or the other."""
        self._done.set()

    def wait(self, timeout: float | None = None) -> AssetRecord:
        """Block until the asset is finalized; raise UploadError naming the failed components."""
        if not self._done.wait(timeout):
            raise TimeoutError(f"upload of asset {self.asset_id} still running after {timeout}s")
        if self._errors:
            raise UploadError([(self.asset_id, name, exc) for name, exc in self._errors])
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
    (URLs, attempts, digests, completion) is asked of the ledger.
    """

    def __init__(
        self, uploads: Uploads, handle: AssetUpload, ledger: Ledger, to_send: Sequence[str], sink: ProgressSink
    ) -> None:
        self.uploads = uploads
        self.handle = handle
        self.ledger = ledger
        self.outstanding = set(to_send)
        self.sink = sink
        self.lock = threading.Lock()

    @property
    def asset_id(self) -> str:
        return self.handle.asset_id

    def record(self) -> PendingUpload:
        recorded = self.ledger.get_asset(self.asset_id)
        if recorded is None:
            raise TrackerError(f"asset {self.asset_id} is no longer recorded in {self.ledger!r}")
        return recorded

    def component(self, name: str) -> TrackedComponent:
        return next(c for c in self.record().components if c.name == name)

    def url_for(self, name: str) -> str:
        component = self.component(name)
        if component.upload_url is None or _expired(component.url_expires_at):
            return self.refresh_url(name)
        return component.upload_url

    def refresh_url(self, name: str) -> str:
        """Ask the server for a fresh upload URL (the recorded one expired or was refused), and record it."""
        fresh = self.uploads.operations.presign(self.asset_id, operation="upload", components=[name])
        urls = {str(k): str(v) for k, v in fresh.urls.to_dict().items()}
        self.ledger.update_upload_urls(self.asset_id, urls, fresh.expires_at)
        return urls[name]

    def upload_one(self, name: str) -> None:
        try:
            component = self.component(name)
            self.ledger.mark_uploading(self.asset_id, name)
            result = upload_file(
                self.uploads.storage_http,
                self.url_for(name),
                Path(component.local_path),
                content_type=component.content_type,
                progress=self.sink,
                retry=self.uploads.retry,
                refresh_url=lambda: self.refresh_url(name),
                component=name,
            )
            self.ledger.mark_completed(self.asset_id, name, sha256=result.sha256, size=result.size)
        except BaseException as exc:
            try:
                self.ledger.mark_failed(self.asset_id, name, f"{type(exc).__name__}: {exc}")
            except TrackerError as tracker_exc:
                logger.error("could not record the failure of %s/%s: %s", self.asset_id, name, tracker_exc)
            self.finish_one(name, exc)
            raise
        self.finish_one(name, None)

    def finish_one(self, name: str, error: BaseException | None) -> None:
        with self.lock:
            self.outstanding.discard(name)
            if error is not None:
                self.handle.set_failure(name, error)
            last = not self.outstanding
        if last:
            self.complete()

    def complete(self) -> None:
        """Finalize with the digests the ledger holds, when every component completed; always release waiters."""
        try:
            if not self.handle.has_failures():
                self.handle.set_result(self.uploads.finalize(self.asset_id, self.ledger))
        except BaseException as exc:
            self.handle.set_failure(FINALIZE, exc)
            raise
        finally:
            self.sink.on_done()
            self.handle.release()


class Uploads:
    """Asset uploads through one storage client, one pool and one set of asset operations."""

    def __init__(
        self, operations: AssetOperations, storage_http: httpx.Client, pool: TransferPool, retry: RetryPolicy
    ) -> None:
        self.operations = operations
        self.storage_http = storage_http
        self.pool = pool
        self.retry = retry

    def __repr__(self) -> str:
        return f"<Uploads {self.pool!r}>"

    # -- single components ----------------------------------------------------------------------------
    def upload_component(
        self,
        url: str,
        local_path: Path | str,
        *,
        content_type: str = "application/octet-stream",
        progress: ProgressOption = None,
        refresh_url: Callable[[], str] | None = None,
    ) -> ComponentDigest:
        """PUT one file to a presigned URL, streaming, with retries; returns its size and sha256."""
        path = Path(local_path)
        sink = make_progress(progress, total=path.stat().st_size, description=path.name)
        try:
            result = upload_file(
                self.storage_http,
                url,
                path,
                content_type=content_type,
                progress=sink,
                retry=self.retry,
                refresh_url=refresh_url,
            )
        finally:
            sink.on_done()
        return ComponentDigest(size=result.size, sha256=result.sha256)

    def finalize(self, asset_id: str, ledger: Ledger) -> AssetRecord:
        """Finalize with the sizes and checksums the ledger recorded, then mark it finalized there."""
        if not ledger.all_components_completed(asset_id):
            raise ChronicleError(f"asset {asset_id} has components that did not complete; it was not finalized")
        recorded = ledger.get_asset(asset_id)
        assert recorded is not None  # all_components_completed is False for an unknown asset
        digests = {c.name: ComponentDigest(size=c.size, sha256=c.sha256 or "") for c in recorded.components}
        asset = self.operations.finalize(asset_id, components=digests)
        ledger.mark_finalized(asset_id)
        logger.debug("finalized asset %s (%d components)", asset_id, len(digests))
        return asset

    # -- whole directories ----------------------------------------------------------------------------
    def upload_directory(
        self,
        local_dir: Path | str,
        *,
        asset_type: str,
        output_of: OutputTarget,
        tracker: UploadTracker | None = None,
        name: str | None = None,
        asset_config: Mapping[str, Any] | None = None,
        progress: ProgressOption = None,
    ) -> AssetUpload:
        """Register every file of ``local_dir`` as one asset, then upload them on the pool and finalize.

        Scanning (symlinks outside the directory, unreadable files, an empty directory) fails before
        anything is registered. Returns at once; the transfer continues in the background.
        """
        specs = scan_directory(Path(local_dir))
        presigned = self.operations.create_with_presigned(
            asset_type=asset_type,
            components=[s.name for s in specs],
            name=name or Path(local_dir).name,
            output_of=output_of.as_dict(),
            asset_config=asset_config,
        )
        ledger: Ledger = tracker if tracker is not None else MemoryLedger()
        ledger.register_components(
            presigned.asset_id,
            specs,
            asset_type=asset_type,
            experiment_id=output_of.experiment_id,
            variation=output_of.variation,
            run=output_of.run,
            upload_urls=presigned.upload_urls,
            urls_expire_at=presigned.expires_at,
            local_dir=Path(local_dir).resolve(),
        )
        return self._dispatch(presigned.asset_id, ledger, progress)

    def _dispatch(self, asset_id: str, ledger: Ledger, progress: ProgressOption) -> AssetUpload:
        """Queue a task per component the ledger does not hold as completed (finalize alone if none)."""
        recorded = ledger.get_asset(asset_id)
        if recorded is None:
            raise TrackerError(f"asset {asset_id} is not registered")
        to_send = sorted(c.name for c in recorded.components if c.state != "completed" or not c.sha256)
        total = sum(c.size for c in recorded.components if c.name in to_send)
        handle = AssetUpload(asset_id, [c.name for c in recorded.components])
        sink = make_progress(progress, total=total, description=f"upload {asset_id[:8]}")
        job = _AssetJob(self, handle, ledger, to_send, sink)
        if not to_send:
            self.pool.submit_background(asset_id, FINALIZE, job.complete)
        for component in to_send:
            self.pool.submit_background(asset_id, component, lambda c=component: job.upload_one(c))  # type: ignore[misc]
        return handle

    # -- crash recovery -------------------------------------------------------------------------------
    def resume(self, tracker: UploadTracker, *, progress: ProgressOption = None) -> list[AssetRecord]:
        """Finish what a crashed process left in ``tracker``; return the assets this call finalized.

        Incomplete components are uploaded again (with fresh URLs when the recorded ones expired),
        and each asset whose components are all complete is finalized. Raises UploadError, after
        doing everything that could be done, if some component could not be uploaded.
        """
        handles: list[AssetUpload] = []
        for pending in tracker.get_pending_uploads():
            handle = self._resume_one(tracker, pending, progress)
            if handle is not None:
                handles.append(handle)
        finalized: list[AssetRecord] = []
        failures: list[tuple[str, str, BaseException]] = []
        for handle in handles:
            try:
                finalized.append(handle.wait())
            except UploadError as exc:
                failures.extend(exc.failures)
        # The per-component failures were also recorded by the pool; report them once, here.
        self.pool.wait(raise_errors=False)
        if failures:
            raise UploadError(failures)
        return finalized

    def _resume_one(
        self, tracker: UploadTracker, pending: PendingUpload, progress: ProgressOption
    ) -> AssetUpload | None:
        asset = self.operations.get(pending.asset_id)
        if asset.state == "ready":
            # Finalized before the crash, but the tracker never heard: nothing to upload.
            tracker.mark_finalized(pending.asset_id)
            logger.info("asset %s was already ready", pending.asset_id)
            return None
        if asset.state != "pending":
            raise ChronicleError(
                f"asset {pending.asset_id} is {asset.state} on the server and cannot be resumed"
                " (its run failed before finalize); register a new asset instead"
            )
        return self._dispatch(pending.asset_id, tracker, progress)
