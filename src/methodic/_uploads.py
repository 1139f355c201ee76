"""Asset transfers for one client: presign → PUT each component → finalize, in the background or not.

The rule from the resumable-uploads design: every component of an asset is registered (with the
server and, when given, the local :class:`~methodic.tracker.UploadTracker`) before any byte moves,
and the asset is finalized only when all of them have completed. A partial asset can never become
``ready``; a crashed process leaves rows that :meth:`Uploader.resume` finishes.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from methodic._constants import LOGGER_NAME
from methodic._directget import DirectGetter
from methodic._files import ComponentSpec, resolve_inside, safe_component_name, scan_directory
from methodic._transfer import RetryPolicy, download_file, upload_file
from methodic._transport import USER_AGENT
from methodic.errors import ChronicleError, DownloadError, UploadError
from methodic.progress import ProgressOption, make_progress
from methodic.types import AssetRecord, ComponentDigest

if TYPE_CHECKING:
    import httpx

    from methodic._client import Chronicle
    from methodic.tracker import PendingUpload, UploadTracker

logger = logging.getLogger(LOGGER_NAME)

RunTriple = tuple[str, int, int]


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

    def wait(self, timeout: float | None = None) -> AssetRecord:
        """Block until the asset is finalized; raise UploadError naming the failed components."""
        if not self._done.wait(timeout):
            raise TimeoutError(f"upload of asset {self.asset_id} still running after {timeout}s")
        if self._errors:
            raise UploadError([(self.asset_id, name, exc) for name, exc in self._errors])
        assert self._result is not None
        return self._result


class _AssetJob:
    """Book-keeping shared by the component tasks of one asset; the last one to finish finalizes."""

    def __init__(
        self,
        uploader: Uploader,
        handle: AssetUpload,
        components: Mapping[str, ComponentSpec],
        urls: dict[str, str],
        urls_expire_at: str | None,
        tracker: UploadTracker | None,
        digests: dict[str, ComponentDigest],
        progress: ProgressOption,
    ) -> None:
        self.uploader = uploader
        self.handle = handle
        self.components = dict(components)
        self.urls = urls
        self.urls_expire_at = urls_expire_at
        self.tracker = tracker
        self.digests = digests
        self.remaining = set(components) - set(digests)
        self.lock = threading.Lock()
        total = sum(spec.size for name, spec in self.components.items() if name in self.remaining)
        self.progress = make_progress(progress, total=total, description=f"upload {handle.asset_id[:8]}")

    @property
    def asset_id(self) -> str:
        return self.handle.asset_id

    def url_for(self, name: str) -> str:
        with self.lock:
            url = self.urls.get(name)
            expired = _expired(self.urls_expire_at)
        if url is None or expired:
            return self.refresh_url(name)
        return url

    def refresh_url(self, name: str) -> str:
        """Ask the server for a fresh upload URL (the recorded one expired or was refused)."""
        fresh = self.uploader.chronicle.assets.presign(self.asset_id, operation="upload", components=[name])
        urls = fresh.urls.to_dict()
        with self.lock:
            self.urls.update(urls)
            self.urls_expire_at = fresh.expires_at
        if self.tracker is not None:
            self.tracker.update_upload_urls(self.asset_id, urls, fresh.expires_at)
        return str(urls[name])

    def upload_one(self, name: str) -> None:
        spec = self.components[name]
        if self.tracker is not None:
            self.tracker.mark_uploading(self.asset_id, name)
        try:
            result = upload_file(
                self.uploader.storage_http,
                self.url_for(name),
                Path(spec.local_path),
                content_type=spec.content_type,
                progress=self.progress,
                retry=self.uploader.retry,
                refresh_url=lambda: self.refresh_url(name),
            )
        except BaseException as exc:
            if self.tracker is not None:
                self.tracker.mark_failed(self.asset_id, name, f"{type(exc).__name__}: {exc}")
            self.finish_one(name, None, exc)
            raise
        if self.tracker is not None:
            self.tracker.mark_completed(self.asset_id, name, sha256=result.sha256, size=result.size)
        self.finish_one(name, ComponentDigest(size=result.size, sha256=result.sha256), None)

    def finish_one(self, name: str, digest: ComponentDigest | None, error: BaseException | None) -> None:
        with self.lock:
            self.remaining.discard(name)
            if digest is not None:
                self.digests[name] = digest
            if error is not None:
                self.handle._errors.append((name, error))
            last = not self.remaining
        if last:
            self.complete()

    def complete(self) -> None:
        """Finalize when every component made it; always release waiters."""
        try:
            if not self.handle._errors:
                self.handle._result = self.uploader.finalize(self.asset_id, self.digests, self.tracker)
        except BaseException as exc:
            self.handle._errors.append(("<finalize>", exc))
            raise
        finally:
            self.progress.on_done()
            self.handle._done.set()


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


class Uploader:
    """Transfers for one :class:`~methodic.Chronicle`: uses its storage client and its upload pool."""

    def __init__(self, chronicle: Chronicle, storage_http: httpx.Client, retry: RetryPolicy | None = None) -> None:
        self.chronicle = chronicle
        self.storage_http = storage_http
        self.retry = retry or RetryPolicy()
        # Downloads take the faster http.client path unless the caller supplied its own storage transport.
        self.direct = (
            DirectGetter(timeout=chronicle.timeout, user_agent=USER_AGENT)
            if chronicle._storage_transport is None
            else None
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

    def finalize(
        self, asset_id: str, digests: Mapping[str, ComponentDigest], tracker: UploadTracker | None
    ) -> AssetRecord:
        """Finalize with declared sizes and checksums, then mark the tracker."""
        asset = self.chronicle.assets.finalize(asset_id, components=dict(digests))
        if tracker is not None:
            tracker.mark_finalized(asset_id)
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
        presigned = self.chronicle.assets.create_with_presigned(
            asset_type=asset_type,
            components=[s.name for s in specs],
            name=name or Path(local_dir).name,
            output_of=output_of.as_dict(),
            asset_config=asset_config,
        )
        if tracker is not None:
            tracker.register_components(
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
        handle = AssetUpload(presigned.asset_id, [s.name for s in specs])
        job = _AssetJob(
            self,
            handle,
            {s.name: s for s in specs},
            dict(presigned.upload_urls),
            presigned.expires_at,
            tracker,
            {},
            progress,
        )
        self._dispatch(job)
        return handle

    def _dispatch(self, job: _AssetJob) -> None:
        pool = self.chronicle._uploads
        if not job.remaining:
            pool.submit(job.asset_id, "<finalize>", job.complete)
            return
        for component in sorted(job.remaining):
            pool.submit(job.asset_id, component, lambda c=component: job.upload_one(c))  # type: ignore[misc]

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
        self.chronicle._uploads.wait(raise_errors=False)
        if failures:
            raise UploadError(failures)
        return finalized

    def _resume_one(
        self, tracker: UploadTracker, pending: PendingUpload, progress: ProgressOption
    ) -> AssetUpload | None:
        asset = self.chronicle.assets.get(pending.asset_id)
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
        components = {
            c.name: ComponentSpec(name=c.name, local_path=c.local_path, size=c.size, content_type=c.content_type)
            for c in pending.components
        }
        digests = {
            c.name: ComponentDigest(size=c.size, sha256=c.sha256)
            for c in pending.components
            if c.state == "completed" and c.sha256
        }
        urls = {c.name: c.upload_url for c in pending.components if c.upload_url}
        expires = next((c.url_expires_at for c in pending.components if c.url_expires_at), None)
        handle = AssetUpload(pending.asset_id, list(components))
        job = _AssetJob(self, handle, components, urls, expires, tracker, digests, progress)
        self._dispatch(job)
        return handle

    # -- downloads ------------------------------------------------------------------------------------
    def download(self, asset_id: str, local_dir: Path | str, *, progress: ProgressOption = None) -> list[Path]:
        """Stream every component of a ready asset into ``local_dir``; verify size and sha256 of each.

        Component names that are absolute, contain ``..`` or would land outside ``local_dir`` are
        refused before anything is written. Components download in parallel; each lands atomically.
        """
        asset = self.chronicle.assets.get(asset_id, include_presigned=True)
        if asset.state != "ready":
            raise ChronicleError(f"asset {asset_id} is {asset.state}; only ready assets can be downloaded")
        components = asset.components
        if not components:
            raise ChronicleError(f"asset {asset_id} is inline and has no files; read its .content instead")
        root = Path(local_dir)
        targets: dict[str, Path] = {}
        for component in components:
            component_name = safe_component_name(component["name"])
            targets[component_name] = resolve_inside(root, component_name)
        urls = asset.download_urls
        total = sum(int(c.get("size_bytes") or 0) for c in components)
        sink = make_progress(progress, total=total, description=f"download {asset_id[:8]}")

        def fetch(component: dict[str, Any]) -> Path:
            cname = component["name"]
            dest = targets[cname]
            dest.parent.mkdir(parents=True, exist_ok=True)

            def refresh() -> str:
                fresh = self.chronicle.assets.presign(asset_id, operation="read", components=[cname])
                return str(fresh.urls.to_dict()[cname])

            download_file(
                self.storage_http,
                urls.get(cname) or refresh(),
                dest,
                expected_size=component.get("size_bytes"),
                expected_sha256=component.get("sha256"),
                progress=sink,
                retry=self.retry,
                refresh_url=refresh,
                direct=self.direct,
            )
            return dest

        workers = min(len(components), max(1, self.chronicle._uploads.max_workers))
        try:
            with ThreadPoolExecutor(workers, thread_name_prefix="methodic-download") as executor:
                futures: list[Future[Path]] = [executor.submit(fetch, c) for c in components]
                errors: list[tuple[str, str, BaseException]] = []
                paths: list[Path] = []
                for component, future in zip(components, futures, strict=True):
                    try:
                        paths.append(future.result())
                    except Exception as exc:  # collected and raised together below
                        errors.append((asset_id, component["name"], exc))
        finally:
            sink.on_done()
            if self.direct is not None:
                self.direct.close_idle()  # the download threads are gone; their connections go too
        if errors:
            raise DownloadError(errors)
        return paths
