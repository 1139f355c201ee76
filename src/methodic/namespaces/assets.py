"""``chronicle.assets``: the asset calls, flags, listing, access, and the transfers (upload, download)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from methodic_api.api.assets import (
    approve_asset,
    bulk_approve_assets,
    delete_asset,
    deprecate_asset,
    get_asset_r2_status,
    grant_asset_access,
    invalidate_asset,
    list_assets,
    list_object_access,
    move_asset,
    move_asset_to_r2,
    preserve_asset,
    reject_asset,
    revoke_asset_access,
    set_asset_visibility,
)
from methodic_api.models.access_grant import AccessGrant
from methodic_api.models.asset_flag import AssetFlag
from methodic_api.models.asset_reject import AssetReject
from methodic_api.models.bulk_approve import BulkApprove
from methodic_api.models.ownership_move import OwnershipMove
from methodic_api.models.visibility_set import VisibilitySet

from methodic._compat import AssetsAliases
from methodic._constants import DEFAULT_PAGE_SIZE
from methodic._models import Record
from methodic._operations import wraps_operation
from methodic.namespaces._base import Namespace, opt
from methodic.namespaces.asset_calls import AssetCalls, OutputOfLike, presigned_upload, with_metadata
from methodic.types import AssetDeleted, AssetRecord, BulkApproval, FileSha256

if TYPE_CHECKING:
    from methodic.transfer.download import ComponentFilter
    from methodic.transfer.manager import TransferManager
    from methodic.transfer.progress import ProgressOption


class AssetsNamespace(AssetCalls, AssetsAliases):
    """Durable outputs and research documents. Binary data goes straight to storage, never through the API.

    The calls the transfer engine needs are :class:`~methodic.namespaces.asset_calls.AssetCalls`, which
    this namespace extends and shares state with (one gateway, one set of upload routes per client).
    Uploads and downloads go through the client's one transfer manager, which ``transfers`` returns
    (built on first use; it holds the calls, never this namespace).
    """

    def __init__(self, calls: AssetCalls, transfers: Callable[[], TransferManager]) -> None:
        Namespace.__init__(self, calls._transport)  # one state per client, two faces: the calls' own parts
        self._default_organization = calls._default_organization
        self._gateway = calls._gateway
        self._routes = calls._routes
        self._transfers = transfers

    def upload_component(
        self,
        upload_url: str,
        local_path: Path | str,
        content_type: str = "application/octet-stream",
        *,
        progress: ProgressOption = None,
    ) -> FileSha256:
        """Upload one file to the URL the server gave for it; returns its hex sha256 (a ``str``, with ``.size``).

        A presigned URL gets one PUT: the file streams from disk with an explicit Content-Length, is hashed
        in the same pass, and is retried on connection errors, 408, 429 and 5xx; the bearer token is never
        sent to storage. A URL of the storage gateway (the ``r2`` route of an asset this client created)
        gets the API key, and a big file goes there in parallel parts, read once.
        """
        route, max_part_bytes = self._routes.route_of(upload_url)
        return self._transfers().upload_component(
            upload_url,
            local_path,
            content_type=content_type,
            progress=progress,
            route=route,
            max_part_bytes=max_part_bytes,
        )

    def download(
        self,
        asset_id: str,
        local_dir: Path | str,
        *,
        progress: ProgressOption = None,
        components: ComponentFilter = None,
    ) -> list[Path]:
        """Stream every component of a ready asset into ``local_dir``; returns the written paths.

        Each file is verified (size, sha256) and renamed into place; component names that would
        escape ``local_dir`` are refused before anything is written. ``components`` selects some: a
        glob (``"*.distcp"``), several, a set of names or a predicate on the name. An expired asset
        raises :class:`~methodic.errors.AssetExpiredError`.
        """
        return self._transfers().download(asset_id, local_dir, progress=progress, components=components)

    @wraps_operation("preserve_asset")
    def preserve(self, asset_id: str) -> AssetRecord:
        """Keep an asset's bytes past its expiry (a checkpoint's ``ttl_days``, 180 days unless asked otherwise).

        Clears ``expires_at``; idempotent, and an asset that never expires comes back as it is. Once the
        bytes are gone it is too late: :class:`~methodic.errors.AssetExpiredError` (410).
        """
        return self._call(preserve_asset.sync_detailed, AssetRecord, asset_id=asset_id)

    @wraps_operation("approve_asset")
    def approve(self, asset_id: str) -> AssetRecord:
        """Clear an asset's review gate: it becomes ``ready`` (ConflictError if it is not awaiting review)."""
        return self._call(approve_asset.sync_detailed, AssetRecord, asset_id=asset_id)

    @wraps_operation("reject_asset")
    def reject(self, asset_id: str, reason: str) -> AssetRecord:
        """Reject an asset awaiting review: it becomes ``abandoned``, with the reason recorded."""
        return self._call(reject_asset.sync_detailed, AssetRecord, asset_id=asset_id, body=AssetReject(reason=reason))

    @wraps_operation("bulk_approve_assets")
    def bulk_approve(self, asset_ids: Sequence[str] | None = None, *, all_in_scope: bool = False) -> BulkApproval:
        """Approve review-gated assets in a batch: the listed ones, or with ``all_in_scope`` every one waiting.

        A failure on one asset is its row (``status: "error"``), never the whole call; ``.approved`` and
        ``.failed`` count the rows. ValueError unless exactly one of the two is given.
        """
        if (asset_ids is not None) == bool(all_in_scope):
            raise ValueError("pass exactly one of asset_ids or all_in_scope=True")
        body = BulkApprove(all_in_scope=True) if all_in_scope else BulkApprove(asset_ids=list(asset_ids or []))
        return self._call(bulk_approve_assets.sync_detailed, BulkApproval, body=body)

    @wraps_operation("move_asset")
    def move(
        self, asset_id: str, *, organization_id: str, team_id: str | None = None, visibility: str | None = None
    ) -> AssetRecord:
        """Transfer an asset (a dataset, a report) into an organization you belong to.

        An output moves with its experiment instead (ConflictError). ``visibility``: who else reads it
        (organization-wide by default).
        """
        body = OwnershipMove(organization_id=organization_id, team_id=opt(team_id), visibility=opt(visibility))
        return self._call(move_asset.sync_detailed, AssetRecord, asset_id=asset_id, body=body)

    @wraps_operation("set_asset_visibility")
    def set_visibility(self, asset_id: str, visibility: str) -> AssetRecord:
        """Who besides its owners reads the asset (``private``, ``organization``/``team``, ``public``)."""
        return self._call(
            set_asset_visibility.sync_detailed, AssetRecord, asset_id=asset_id, body=VisibilitySet(visibility)
        )

    # -- who reaches an asset: grants beside its owners (Administer on the asset) --------------------
    @wraps_operation("grant_asset_access")
    def grant_access(self, asset_id: str, principal_id: str, action: str = "read") -> Record:
        """Grant a user, team, organization or ``everyone`` an action (read, write, delete, administer); idempotent."""
        body = AccessGrant(principal_id=principal_id, action=action)
        return self._call(grant_asset_access.sync_detailed, Record, asset_id=asset_id, body=body)

    @wraps_operation("revoke_asset_access")
    def revoke_access(self, asset_id: str, principal_id: str, action: str) -> Record:
        """Revoke one grant; ``removed`` is False when there was none."""
        return self._call(
            revoke_asset_access.sync_detailed, Record, asset_id=asset_id, principal=principal_id, action=action
        )

    @wraps_operation("list_object_access")
    def list_access(self, asset_id: str) -> Record:
        """Who reaches the asset: ``aces``, its owner first, then every grant."""
        return self._call(list_object_access.sync_detailed, Record, type_="asset", id=asset_id)

    @wraps_operation("move_asset_to_r2")
    def move_to_r2(self, asset_id: str) -> Record:
        """Give a ready asset an R2 copy (pulling it then costs no GCS egress); poll :meth:`r2_status`."""
        return self._call(move_asset_to_r2.sync_detailed, Record, asset_id=asset_id)

    @wraps_operation("get_asset_r2_status")
    def r2_status(self, asset_id: str) -> Record:
        """The asset's R2 copy: ``state``, ``access``, ``retention``, ``gcs_state`` (NotFoundError: none)."""
        return self._call(get_asset_r2_status.sync_detailed, Record, asset_id=asset_id)

    @wraps_operation("deprecate_asset")
    def deprecate(self, asset_id: str, reason: str) -> AssetRecord:
        """Mark the asset deprecated (a soft warning; it stays usable)."""
        return self._call(deprecate_asset.sync_detailed, AssetRecord, asset_id=asset_id, body=AssetFlag(reason=reason))

    @wraps_operation("invalidate_asset")
    def invalidate(self, asset_id: str, reason: str) -> AssetRecord:
        """Mark the asset invalidated (refused as a new input without ``allow_invalid_assets``)."""
        return self._call(invalidate_asset.sync_detailed, AssetRecord, asset_id=asset_id, body=AssetFlag(reason=reason))

    @wraps_operation("delete_asset")
    def delete(self, asset_id: str) -> AssetDeleted:
        """Hard-delete an asset linked to no experiment (ConflictError while it is linked)."""
        return self._call(delete_asset.sync_detailed, AssetDeleted, asset_id=asset_id)

    @wraps_operation("list_assets")
    def list(
        self,
        *,
        asset_type: str | None = None,
        state: str | None = None,
        experiment_id: str | None = None,
        variation: int | None = None,
        run: int | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
    ) -> Iterator[AssetRecord]:
        """Iterate over assets, newest first, fetching pages lazily. Filters narrow to outputs of a run etc."""
        cursor: str | None = None
        while True:
            page, headers = self._transport.call_list(
                list_assets.sync_detailed,
                AssetRecord,
                asset_type=opt(asset_type),
                state=opt(state),
                experiment_id=opt(experiment_id),
                variation=opt(variation),
                run=opt(run),
                cursor=opt(cursor),
                limit=page_size,
            )
            yield from page
            following = headers.get("X-Next-Cursor")
            if not page or not following or following == cursor or headers.get("X-Has-More", "").lower() != "true":
                return
            cursor = following


__all__ = ["AssetsNamespace", "OutputOfLike", "presigned_upload", "with_metadata"]
