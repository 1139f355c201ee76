"""Downloading assets: every component of a ready asset, verified, each renamed into place on success."""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Sequence, Set
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from methodic.errors import AssetExpiredError, ChronicleError, DownloadError, IntegrityError
from methodic.transfer.bounds import PartLayout, checked_layout, checked_size
from methodic.transfer.files import check_no_file_dir_conflicts, open_inside, resolve_inside, safe_component_name
from methodic.transfer.progress import ProgressOption, ProgressSink, make_progress
from methodic.transfer.ranged import download_in_parts
from methodic.transfer.storage import download_file

if TYPE_CHECKING:
    from methodic.transfer.config import RetryPolicy, StallPolicy
    from methodic.transfer.directget import DirectGetter
    from methodic.transfer.interfaces import AssetOperations
    from methodic.transfer.pool import TransferPool


#: Which components to download: every one (None), a glob (``"*.distcp"``), several globs, exact
#: names in a set, or a predicate on the name.
ComponentFilter = str | Sequence[str] | Set[str] | Callable[[str], bool] | None


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
        refused before anything is written. Components download in parallel on the shared pool (behind
        any background uploads already queued there); each lands atomically.
        """
        asset = self.operations.get(asset_id, include_presigned=True)
        if asset.state == "expired":
            raise AssetExpiredError(
                f"asset {asset_id} expired at {asset.expired_at or asset.expires_at}; its bytes are gone"
                f" (content sha256: {asset.sha256 or 'not recorded'})",
                status_code=410,
                code="asset_expired",
            )
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
        urls = asset.download_urls
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
                    self._fetch, asset_id, c, layouts[c["name"]], root, targets[c["name"]], urls.get(c["name"]), sink
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
        if errors:
            raise DownloadError(errors)
        return paths

    def _fetch(
        self,
        asset_id: str,
        component: dict[str, Any],
        layout: tuple[int, PartLayout | None],
        root: Path,
        dest: Path,
        url: str | None,
        sink: ProgressSink,
    ) -> Path:
        name = component["name"]
        size, parts = layout

        def refresh() -> str:
            fresh = self.operations.presign(asset_id, operation="read", components=[name])
            return fresh.urls[name]

        root.mkdir(parents=True, exist_ok=True)
        with open_inside(root, name.split("/")[:-1]) as directory:
            if parts is not None:  # stored in parts: parallel ranges of whole parts, verified by the part-wise checksum
                download_in_parts(
                    self.storage_http,
                    self.part_pool,
                    url or refresh(),
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
                )
                sink.on_file_done()
                return dest
            download_file(
                self.storage_http,
                url or refresh(),
                dest,
                expected_size=size,
                expected_sha256=component.get("sha256"),
                progress=sink,
                retry=self.retry,
                refresh_url=refresh,
                direct=self.direct,
                directory=directory,
                stall=self.stall,
            )
        sink.on_file_done()
        return dest


def stated_layout(asset_id: str, component: dict[str, Any]) -> tuple[int, PartLayout | None]:
    """A component's size and, when it is stored in parts, its part layout: checked against the contract's bounds.

    Raises :class:`~methodic.errors.PartLayoutError` (naming the asset, the component and the value) for a
    negative size, a part size under 1 MiB for a component of several parts or over 5 GiB, or more than
    10,000 parts: before anything is written or requested.
    """
    name = str(component.get("name"))
    part_size = component.get("part_size")
    if part_size is None:
        return checked_size(component.get("size_bytes"), asset_id=asset_id, component=name), None
    layout = checked_layout(component.get("size_bytes"), part_size, asset_id=asset_id, component=name)
    return layout.size, layout
