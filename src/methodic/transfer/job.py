"""The per-asset job of an upload: one task per component on the pool; the last one to finish finalizes.

URLs, digests and completion are read from the ledger each time, never from a copy kept here, so the
tracker on disk is the one account of an upload. Each component is checked against its registered
size, mtime and inode before and after its PUT; an asset whose file changed, or that the server
abandoned, is marked dead in the ledger and never finalized. The job drives the service
(:class:`~methodic.transfer.upload.Uploads`: the wire, the retries, finalize) and reports into the
public future (:class:`~methodic.transfer.futures.AssetUpload`).
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from methodic._constants import LOGGER_NAME
from methodic.errors import ChronicleError, ConflictError, FileChangedError, StorageError, TrackerError, UploadError
from methodic.transfer import staging
from methodic.transfer.bounds import checked_max_part_bytes
from methodic.transfer.futures import FINALIZE
from methodic.transfer.ledger import Ledger, MemoryLedger
from methodic.transfer.staging import check_unchanged

if TYPE_CHECKING:
    from methodic.transfer.files import ComponentSpec
    from methodic.transfer.futures import AssetUpload
    from methodic.transfer.progress import ProgressSink
    from methodic.transfer.retry import UploadResult
    from methodic.transfer.session import UploadSession
    from methodic.transfer.tracker import PendingUpload, TrackedComponent
    from methodic.transfer.upload import Uploads

logger = logging.getLogger(f"{LOGGER_NAME}.uploads")


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


class AssetJob:
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
        """The id of the asset this job uploads."""
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
        """The recorded upload URL of ``name``, renewed first when it is missing or about to expire."""
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
            row = self.component(name)
            registered = row.spec()
            check_unchanged(registered)
            self.ledger.mark_uploading(self.asset_id, name)
            result = self.send(name, registered, row)
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

    def send(self, name: str, registered: ComponentSpec, row: TrackedComponent) -> UploadResult:
        """Send one component by the route the server chose: gateway parts, one gateway PUT, or a presigned PUT.

        ``row`` is the component's ledger row, read just before.
        """
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
            row = self.component(name)  # with the URLs just recorded
        if route == "r2":
            url = row.upload_url
            if url is None:
                raise UploadError([(self.asset_id, name, ChronicleError("no gateway upload URL was recorded"))])
            started_in_parts = row.upload_id is not None  # a resume goes on in the same parts
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
        """Record the failure of ``name`` in the ledger and the future (a changed file kills the asset)."""
        if isinstance(exc, FileChangedError) and exc is not self.dead:
            self.give_up("unrecoverable", exc)
        try:
            self.ledger.mark_failed(self.asset_id, name, f"{type(exc).__name__}: {exc}")
        except TrackerError as tracker_exc:
            if self.ledger.get_asset(self.asset_id, components=False) is None:
                # Given up just now: a memory ledger forgets a dead asset at once, so there is no row to mark.
                logger.debug("the failure of %s/%s has no row left: %s", self.asset_id, name, tracker_exc)
            else:
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
        """``name``'s task is over (with ``error`` if it failed); the last task of the asset completes it."""
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
