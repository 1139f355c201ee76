"""Downloading assets: every component of a ready asset, verified, each renamed into place on success.

Where the bytes come from, as the hosted platform serves them: an asset with a ready R2 copy
(``r2: {state: "ready", base_url, requires_auth, manifest_url}``) is read from that copy first: its
manifest (``{files: [{path, size}]}``) must agree with the asset's record (the same paths, the same
sizes, every path a safe relative one) before any file is created, and each file is then read from
``{base_url}{asset_id}/{quoted path}``, with the API key when the copy requires it (and only where
:func:`methodic._key_scope.key_may_go_to` lets the key go; elsewhere the copy is skipped).
Otherwise, or when the copy cannot be read (a network or storage failure, not a lie), the asset's
presigned read URLs. Either way every byte is checked against the sha256 the asset records.

How: a file larger than one range comes down in parallel ranged GETs on the manager's part pool
(:func:`methodic.transfer.ranged_whole.download_ranges`: ranges of ``download_range_size``, 16 MiB by
default, hashed in order as they land), a smaller one in one streamed GET; a component stored in
parts with a part-wise checksum (the local server's older multipart layout) in part-aligned ranges
(:func:`methodic.transfer.ranged_parts.download_in_parts`). Components move in parallel on the shared pool.
"""

from __future__ import annotations

import fnmatch
import logging
from collections.abc import Callable, Mapping, Sequence, Set
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

import httpx

from methodic._constants import LOGGER_NAME
from methodic.errors import (
    AssetExpiredError,
    ChronicleError,
    DownloadError,
    IntegrityError,
    ManifestError,
    StorageError,
    StorageFullError,
    UnsafePathError,
)
from methodic.transfer.bounds import PartLayout, checked_layout, planned_ranges
from methodic.transfer.config import DEFAULT_DOWNLOAD_RANGE_SIZE
from methodic.transfer.files import check_no_file_dir_conflicts, open_inside, resolve_inside, safe_component_name
from methodic.transfer.get import get_json
from methodic.transfer.progress import ProgressOption, ProgressSink, make_progress
from methodic.transfer.ranged_parts import download_in_parts
from methodic.transfer.ranged_whole import download_ranges

if TYPE_CHECKING:
    from methodic.transfer.config import RetryPolicy, StallPolicy
    from methodic.transfer.directget import DirectGetter
    from methodic.transfer.files import DirectoryHandle
    from methodic.transfer.interfaces import AssetOperations
    from methodic.transfer.pool import TransferPool
    from methodic.types import AssetRecord

logger = logging.getLogger(f"{LOGGER_NAME}.uploads")

#: Which components to download: every one (None), a glob (``"*.distcp"``), several globs, exact
#: names in a set, or a predicate on the name.
ComponentFilter = str | Sequence[str] | Set[str] | Callable[[str], bool] | None

#: The largest R2 manifest read (a manifest of 10,000 files is about 1 MB).
MAX_MANIFEST_BYTES = 8 << 20


def component_selector(components: ComponentFilter) -> Callable[[str], bool]:
    """A predicate on component names from a :data:`ComponentFilter`."""
    if components is None:
        return lambda name: True
    if callable(components):
        return components
    if isinstance(components, str):
        patterns: tuple[str, ...] = (components,)
    else:
        patterns = tuple(components)
    return lambda name: any(name == p or fnmatch.fnmatchcase(name, p) for p in patterns)


def expired_error(asset_id: str, asset: AssetRecord | Mapping[str, Any]) -> AssetExpiredError:
    """The error for an asset whose bytes expired: what happened, when, and what is left of it."""
    when = asset.get("expired_at") or asset.get("expires_at") or "an unrecorded time"
    return AssetExpiredError(
        f"asset {asset_id} expired at {when}: its bytes were deleted (a checkpoint is kept for its ttl_days,"
        " 180 days unless created with fewer, unless preserved with assets.preserve() before then); its record"
        f" and content sha256 ({asset.get('sha256') or 'not recorded'}) remain, the files cannot be downloaded",
        status_code=410,
        code="asset_expired",
    )


@dataclass(frozen=True)
class Source:
    """Where one component is read from: its R2 copy (with the key's header if it needs it) or a presigned URL.

    ``fallback`` is the component's presigned URL (None: ask for one), read when the R2 copy fails for
    want of storage, never when its bytes fail verification. The URLs and headers are secret: the repr
    shows none of them.
    """

    url: str | None = field(repr=False)
    r2: bool = False
    headers: Mapping[str, str] | None = field(default=None, repr=False)
    fallback: str | None = field(default=None, repr=False)


class Downloads:
    """Asset downloads through one storage client, on the client's shared pool."""

    def __init__(
        self,
        operations: AssetOperations,
        storage_http: httpx.Client,
        pool: TransferPool,
        retry: RetryPolicy,
        direct: DirectGetter | None,
        stall: StallPolicy | None = None,
        range_size: int | None = None,
        *,
        part_pool: TransferPool | None = None,
    ) -> None:
        self.operations = operations
        self.storage_http = storage_http
        self.pool = pool
        #: Where the ranges of one large component go (the manager's part pool; ``pool`` when not given).
        self.part_pool = part_pool or pool
        self.retry = retry
        self.direct = direct
        self.stall = stall
        #: Bytes per ranged GET (None: 16 MiB for whole files, one stored part for components in parts).
        self.range_size = range_size

    def __repr__(self) -> str:
        return f"<Downloads {self.pool!r}>"

    def download(
        self,
        asset_id: str,
        local_dir: Path | str,
        *,
        progress: ProgressOption = None,
        components: ComponentFilter = None,
    ) -> list[Path]:
        """Stream every component of a ready asset (or those ``components`` selects) into ``local_dir``, verified.

        Component names that are absolute, contain ``..`` or would land outside ``local_dir`` are
        refused before anything is written, and so is an R2 manifest that disagrees with the record.
        Components download in parallel on the shared pool (behind any background uploads already
        queued there); each lands atomically. An expired asset raises AssetExpiredError.
        """
        try:
            asset = self.operations.get(asset_id, include_presigned=True)
        except AssetExpiredError as exc:  # the server's 410: said again with what is left and what to do next time
            raise self._expired(asset_id, exc) from None
        if asset.state == "expired":
            raise expired_error(asset_id, asset)
        if asset.state != "ready":
            raise ChronicleError(f"asset {asset_id} is {asset.state}; only ready assets can be downloaded")
        if not asset.components:
            raise ChronicleError(f"asset {asset_id} is inline and has no files; read its .content instead")
        wanted = component_selector(components)
        chosen = [c for c in asset.components if wanted(c["name"])]
        if not chosen:
            return []
        root = Path(local_dir)
        targets = {c["name"]: resolve_inside(root, safe_component_name(c["name"])) for c in chosen}
        check_no_file_dir_conflicts(list(targets))
        unverifiable = [c["name"] for c in chosen if c.get("size_bytes") is None or not c.get("sha256")]
        if unverifiable:  # bytes nobody can check are refused, not written
            raise IntegrityError(
                f"asset {asset_id}: the server recorded no size or sha256 for {', '.join(unverifiable)};"
                " refusing to download bytes that cannot be verified"
            )
        # Sizes and part layouts are the server's word: checked before any file, list or request is made of them.
        layouts = {c["name"]: stated_layout(asset_id, c) for c in chosen}
        sources = self._sources(asset_id, asset, [c["name"] for c in chosen])
        sink = make_progress(
            progress,
            total=sum(size for size, _ in layouts.values()),
            description=f"download {asset_id[:8]}",
            files=len(chosen),
            label="download",
        )
        try:
            futures: list[Future[Path]] = [
                self.pool.submit(
                    self._fetch, asset_id, c, layouts[c["name"]], root, targets[c["name"]], sources[c["name"]], sink
                )
                for c in chosen
            ]
            errors: list[tuple[str, str, BaseException]] = []
            paths: list[Path] = []
            for component, future in zip(chosen, futures, strict=True):
                try:
                    paths.append(future.result())
                except Exception as exc:  # collected and raised together below
                    errors.append((asset_id, component["name"], exc))
        finally:
            sink.on_done()
            if self.direct is not None:
                self.direct.close_idle()  # this call's connections are idle now; do not keep them open
        expired = next((e for _, _, e in errors if isinstance(e, AssetExpiredError)), None)
        if expired is not None:  # the asset expired while it was read: that is the news, not the failed files
            raise expired
        if errors:
            raise DownloadError(errors)
        return paths

    def _expired(self, asset_id: str, answer: AssetExpiredError) -> AssetExpiredError:
        """The error for a 410 from the server: its record (kept after expiry) says when, and the content hash."""
        try:
            record: Mapping[str, Any] = self.operations.get(asset_id)
        except ChronicleError:
            record = {}
        error = expired_error(asset_id, record)
        error.request_id = answer.request_id
        return error

    # -- where the bytes come from ----------------------------------------------------------------------
    def _sources(self, asset_id: str, asset: AssetRecord, names: list[str]) -> dict[str, Source]:
        """Each chosen component's source: the R2 copy when the asset has a usable one, else a presigned URL."""
        presigned = asset.download_urls
        r2 = self._r2_urls(asset_id, asset, names)
        if r2 is None:
            return {name: Source(url=presigned.get(name)) for name in names}
        urls, headers = r2
        return {name: Source(url=urls[name], r2=True, headers=headers, fallback=presigned.get(name)) for name in names}

    def _r2_urls(
        self, asset_id: str, asset: AssetRecord, names: list[str]
    ) -> tuple[dict[str, str], Mapping[str, str] | None] | None:
        """The R2 copy's URL of each chosen component and the header it needs, after its manifest was checked.

        None (read presigned URLs instead) when there is no ready copy, when it needs the API key somewhere
        the key may not go, or when its manifest cannot be had (a network or storage failure). A manifest
        that disagrees with the record raises ManifestError: a copy that lies is not quietly worked around.
        """
        copy = asset.get("r2")
        if not isinstance(copy, Mapping) or copy.get("state") != "ready":
            return None
        base = copy.get("base_url")
        if not isinstance(base, str) or not base:
            return None
        base = base if base.endswith("/") else base + "/"
        manifest_url = copy.get("manifest_url")
        if not isinstance(manifest_url, str) or not manifest_url:
            manifest_url = f"{base}manifests/{quote(asset_id, safe='')}.json"
        headers: Mapping[str, str] | None = None
        if copy.get("requires_auth", True):
            try:
                headers = self.operations.gateway_headers(base)
                self.operations.gateway_headers(manifest_url)
            except ChronicleError:
                logger.warning(
                    "asset %s: its R2 copy (%s) needs the API key, which goes only over https or to this machine;"
                    " reading its presigned URLs instead",
                    asset_id,
                    urlsplit(base).netloc,
                )
                return None
        try:
            manifest = get_json(
                self.storage_http,
                manifest_url,
                what=f"asset {asset_id}'s R2 manifest",
                retry=self.retry,
                headers=headers,
                limit=MAX_MANIFEST_BYTES,
            )
        except IntegrityError as exc:
            raise ManifestError(asset_id, f"could not be read as a manifest ({exc})") from None
        except StorageError as exc:
            if exc.status_code == 410:
                raise expired_error(asset_id, asset) from None
            logger.warning("asset %s: its R2 manifest could not be read (%s); reading presigned URLs", asset_id, exc)
            return None
        checked_manifest(asset_id, manifest, asset.components)
        prefix = f"{base}{quote(asset_id, safe='')}/"
        urls = {name: prefix + "/".join(quote(segment, safe="") for segment in name.split("/")) for name in names}
        return urls, headers

    # -- one component ----------------------------------------------------------------------------------
    def _fetch(
        self,
        asset_id: str,
        component: dict[str, Any],
        layout: tuple[int, PartLayout | None],
        root: Path,
        dest: Path,
        source: Source,
        sink: ProgressSink,
    ) -> Path:
        name = component["name"]

        def refresh() -> str:
            fresh = self.operations.presign(asset_id, operation="read", components=[name])
            return fresh.urls[name]

        root.mkdir(parents=True, exist_ok=True)
        with open_inside(root, name.split("/")[:-1]) as directory:
            if source.r2 and source.url is not None:
                try:  # the R2 copy first; its presigned URL when the copy cannot be read
                    self._get(asset_id, component, layout, dest, source.url, None, source.headers, sink, directory)
                except (IntegrityError, StorageFullError, OSError):
                    raise  # bytes that do not verify, a full storage or a local disk error: no second source helps
                except StorageError as exc:
                    if exc.status_code == 410:
                        raise expired_error(asset_id, {"sha256": component.get("sha256")}) from None
                    logger.warning("%s: the R2 copy could not be read (%s); reading its presigned URL", name, exc)
                    url = source.fallback or refresh()
                    self._get(asset_id, component, layout, dest, url, refresh, None, sink, directory)
            else:
                self._get(asset_id, component, layout, dest, source.url or refresh(), refresh, None, sink, directory)
        sink.on_file_done()
        return dest

    def _get(
        self,
        asset_id: str,
        component: dict[str, Any],
        layout: tuple[int, PartLayout | None],
        dest: Path,
        url: str,
        refresh: Callable[[], str] | None,
        headers: Mapping[str, str] | None,
        sink: ProgressSink,
        directory: DirectoryHandle,
    ) -> None:
        name = component["name"]
        size, parts = layout
        if parts is not None:  # stored in parts: parallel ranges of whole parts, verified by the part-wise checksum
            download_in_parts(
                self.storage_http,
                self.part_pool,
                url,
                dest,
                size=parts.size,
                part_size=parts.part_size,
                expected_checksum=str(component["sha256"]),
                retry=self.retry,
                refresh_url=refresh,
                progress=sink,
                directory=directory,
                stall=self.stall,
                component=name,
                direct=self.direct,
                range_size=self.range_size,
                asset_id=asset_id,
                headers=headers,
            )
            return
        download_ranges(
            self.storage_http,
            self.part_pool,
            url,
            dest,
            size=size,
            expected_sha256=str(component["sha256"]),
            retry=self.retry,
            range_size=self.range_size or DEFAULT_DOWNLOAD_RANGE_SIZE,
            refresh_url=refresh,
            headers=headers,
            progress=sink,
            directory=directory,
            stall=self.stall,
            component=name,
            direct=self.direct,
            asset_id=asset_id,
        )


def stated_layout(asset_id: str, component: dict[str, Any]) -> tuple[int, PartLayout | None]:
    """A component's size and, when it is stored in parts, its part layout: checked against the contract's bounds.

    Raises :class:`~methodic.errors.PartLayoutError` (naming the asset, the component and the value) for a
    size that is not a non-negative integer or is over 5 TiB, a part size under 1 MiB for a component of
    several parts or over 5 GiB, or more than 10,000 parts: before anything is written or requested.
    """
    name = str(component.get("name"))
    part_size = component.get("part_size")
    if part_size is None:  # one object: at most 5 TiB, as any ranged download of it (planned_ranges checks)
        plan = planned_ranges(
            component.get("size_bytes"), DEFAULT_DOWNLOAD_RANGE_SIZE, asset_id=asset_id, component=name
        )
        return plan.size, None
    layout = checked_layout(component.get("size_bytes"), part_size, asset_id=asset_id, component=name)
    return layout.size, layout


def checked_manifest(asset_id: str, manifest: Any, components: Sequence[Mapping[str, Any]]) -> None:
    """Refuse (ManifestError) an R2 manifest that is not exactly the record's files, by path and size.

    Every entry must be ``{path, size}`` with a safe relative path (no absolute path, ``..``, empty
    or ``.`` segment, backslash or NUL) naming one of the asset's components, once, at its recorded
    size, and every component must be listed. Checked in one pass over at most as many entries as the
    asset has components, before any file is created or any byte requested.
    """
    files = manifest.get("files") if isinstance(manifest, Mapping) else None
    if not isinstance(files, list):
        raise ManifestError(asset_id, "has no files list")
    recorded = {str(c.get("name")): c.get("size_bytes") for c in components}
    if len(files) != len(recorded):
        raise ManifestError(asset_id, f"lists {len(files)} files, but the asset has {len(recorded)}")
    seen: set[str] = set()
    for entry in files:
        path = entry.get("path") if isinstance(entry, Mapping) else None
        if not isinstance(path, str):
            raise ManifestError(asset_id, f"has an entry without a path: {str(entry)[:80]!r}")
        try:
            safe_component_name(path)
        except UnsafePathError as exc:
            raise ManifestError(asset_id, f"names an unsafe path ({exc})", path=path[:200]) from None
        if path not in recorded:
            raise ManifestError(asset_id, f"lists {path!r}, which is not one of the asset's files", path=path)
        if path in seen:
            raise ManifestError(asset_id, f"lists {path!r} twice", path=path)
        seen.add(path)
        size = entry.get("size")
        if isinstance(size, bool) or not isinstance(size, int) or size != recorded[path]:
            raise ManifestError(
                asset_id, f"gives {path!r} {str(size)[:40]} bytes; the asset records {recorded[path]}", path=path
            )
