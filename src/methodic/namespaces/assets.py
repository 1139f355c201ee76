"""``chronicle.assets``: inline and presigned assets, finalize, flags, listing, transfers."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from methodic_api.api.assets import (
    approve_asset,
    bulk_approve_assets,
    create_asset,
    delete_asset,
    deprecate_asset,
    finalize_asset,
    get_asset,
    get_asset_r2_status,
    grant_asset_access,
    invalidate_asset,
    list_assets,
    list_object_access,
    move_asset,
    move_asset_to_r2,
    preserve_asset,
    presign_asset,
    reject_asset,
    revoke_asset_access,
    set_asset_visibility,
)
from methodic_api.models.access_grant import AccessGrant
from methodic_api.models.asset_create import AssetCreate
from methodic_api.models.asset_finalize import AssetFinalize
from methodic_api.models.asset_flag import AssetFlag
from methodic_api.models.asset_presign import AssetPresign
from methodic_api.models.asset_reject import AssetReject
from methodic_api.models.bulk_approve import BulkApprove
from methodic_api.models.file_digest import FileDigest as _FileDigestModel
from methodic_api.models.free_form import FreeForm
from methodic_api.models.output_of import OutputOf
from methodic_api.models.ownership_move import OwnershipMove
from methodic_api.models.visibility_set import VisibilitySet
from methodic_api.types import UNSET, Unset

from methodic._constants import DEFAULT_PAGE_SIZE
from methodic._models import Record
from methodic._operations import wraps_operation
from methodic._scope import OrganizationArg, no_default, resolve_organization
from methodic._transport import Transport
from methodic.namespaces._base import Namespace, opt
from methodic.namespaces.gateway import Gateway
from methodic.types import (
    AssetCreated,
    AssetDeleted,
    AssetRecord,
    BulkApproval,
    ComponentDigest,
    FileSha256,
    PresignedUpload,
    PresignedUrls,
)

if TYPE_CHECKING:
    from methodic.transfer.download import ComponentFilter
    from methodic.transfer.manager import TransferManager
    from methodic.transfer.progress import ProgressOption

OutputOfLike = Mapping[str, Any] | OutputOf


def _output_of(value: OutputOfLike | None) -> OutputOf | Unset:
    if value is None:
        return UNSET
    if isinstance(value, OutputOf):
        return value
    unknown = set(value) - {"experiment_id", "variation", "run"}
    if unknown or "experiment_id" not in value:
        raise ValueError("output_of takes experiment_id and optionally variation and run")
    return OutputOf(experiment_id=value["experiment_id"], variation=value.get("variation"), run=value.get("run"))


def _content_type_for(content: Any, content_type: str | None) -> str:
    if content_type:
        return content_type
    return "text/plain" if isinstance(content, str) else "application/json"


#: How many gateway upload URLs ``upload_component`` remembers (the newest; a run registers thousands).
_REMEMBERED_GATEWAY_URLS = 100_000


class AssetsNamespace(Namespace):
    """Durable outputs and research documents. Binary data goes straight to storage, never through the API.

    Transfers are the transfer engine's job (``transfers`` returns the client's
    :class:`~methodic.transfer.TransferManager`, built on first use); this class is also the
    :class:`~methodic.transfer.AssetOperations` that engine is given.
    """

    def __init__(
        self,
        transport: Transport,
        transfers: Callable[[], TransferManager],
        default_organization: Callable[[], str | None] = no_default,
        *,
        scribe_url: str | None = None,
    ) -> None:
        super().__init__(transport)
        self._transfers = transfers
        self._default_organization = default_organization
        self._gateway = Gateway(transport, scribe_url)
        #: Upload URLs of the storage gateway from this client's creates (URL -> max_part_bytes), newest last.
        self._gateway_urls: dict[str, int | None] = {}
        self._gateway_lock = threading.Lock()

    def _owner(self, organization_id: OrganizationArg, output_of: OutputOfLike | None) -> str | None:
        """The organization to send: an output inherits its experiment's, so only the explicit one goes with it."""
        if output_of is not None:
            return resolve_organization(organization_id, lambda: None)
        return resolve_organization(organization_id, self._default_organization)

    def gateway_headers(self, url: str) -> dict[str, str]:
        """The API key's header for one of the storage gateway's URLs (the ``r2`` upload route).

        Part of :class:`~methodic.transfer.AssetOperations`: the transfer engine never holds the key itself,
        and a URL the key may not go to (not https, not Chronicle's host, not loopback) raises ChronicleError.
        """
        return self._transport.gateway_headers(url)

    def _create(self, body: AssetCreate) -> AssetCreated:
        return self._call(create_asset.sync_detailed, AssetCreated, body=body)

    @wraps_operation("create_asset")
    def create_inline(
        self,
        *,
        asset_type: str,
        content: Any,
        name: str | None = None,
        content_type: str | None = None,
        output_of: OutputOfLike | None = None,
        asset_config: Mapping[str, Any] | None = None,
        metadata: Mapping[str, Any] | None = None,
        pending_reasons: Sequence[str] | None = None,
        organization_id: OrganizationArg = None,
        team_id: str | None = None,
        visibility: str | None = None,
        tags: Sequence[str] | None = None,
    ) -> AssetCreated:
        """Create a small asset whose content travels inline; the server finalizes it at once (``ready``).

        ``content`` is any JSON value, or text (sent as ``text/plain`` unless ``content_type`` says
        ``text/markdown``, say). ``metadata`` is a searchable document, kept as ``asset_config["metadata"]``.
        ``pending_reasons=["review_required"]`` holds it ``pending`` until :meth:`approve` (or :meth:`reject`).
        The result reads ``result["asset"]["id"]`` (the wire) or ``result.id``. A standalone asset belongs to
        ``organization_id``, else the client's default organization, else you; an output to its experiment's owner.
        """
        body = AssetCreate(
            name=name or asset_type,
            asset_type=asset_type,
            content_type=_content_type_for(content, content_type),
            content=content,
            presign=UNSET,  # the contract's default; the hosted client never sends it for inline content
            output_of=_output_of(output_of),
            asset_config=_config(asset_config, metadata),
            pending_reasons=opt(list(pending_reasons) if pending_reasons else None),
            organization_id=opt(self._owner(organization_id, output_of)),
            team_id=opt(team_id),
            visibility=opt(visibility),
            tags=opt(list(tags) if tags is not None else None),
        )
        return self._create(body)

    def create_with_presigned(
        self,
        *,
        asset_type: str,
        components: Sequence[str],
        name: str | None = None,
        content_type: str = "application/octet-stream",
        output_of: OutputOfLike | None = None,
        asset_config: Mapping[str, Any] | None = None,
        metadata: Mapping[str, Any] | None = None,
        pending_reasons: Sequence[str] | None = None,
        organization_id: OrganizationArg = None,
        team_id: str | None = None,
        visibility: str | None = None,
        upload_targets: Sequence[str] | None = None,
        ttl_days: int | None = None,
        tags: Sequence[str] | None = None,
    ) -> PresignedUpload:
        """Register a pending asset; returns ``.asset_id`` and ``.upload_urls`` (component → upload URL).

        One component whose name is the asset's goes in the single-file shape (no ``components`` on the
        wire; the URL comes back under the file's name). ``upload_targets`` lists the routes this caller can
        upload by, in preference order (``["gcs"]``: presigned PUTs); ``.via`` says which the server chose.
        ``ttl_days`` (checkpoints only, 1-180) expires the checkpoint's bytes sooner than 180 days.
        """
        if not components:
            raise ValueError("a presigned asset needs at least one component")
        names = list(components)
        single = len(names) == 1 and (name is None or name == names[0])
        body = AssetCreate(
            name=names[0] if single else (name or asset_type),
            asset_type=asset_type,
            presign=True,
            content_type=content_type,
            components=UNSET if single else names,
            output_of=_output_of(output_of),
            asset_config=_config(asset_config, metadata),
            pending_reasons=opt(list(pending_reasons) if pending_reasons else None),
            organization_id=opt(self._owner(organization_id, output_of)),
            team_id=opt(team_id),
            visibility=opt(visibility),
            upload_targets=opt(list(upload_targets) if upload_targets else None),
            ttl_days=opt(ttl_days),
            tags=opt(list(tags) if tags is not None else None),
        )
        presigned = presigned_upload(self._create(body), names[0] if single else None)
        if presigned.via == "r2":  # upload_component must know these URLs take the key (and parts, when big)
            with self._gateway_lock:
                for url in presigned.upload_urls.values():
                    self._gateway_urls[url] = presigned.max_part_bytes
                while len(self._gateway_urls) > _REMEMBERED_GATEWAY_URLS:
                    self._gateway_urls.pop(next(iter(self._gateway_urls)))
        return presigned

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
        with self._gateway_lock:
            gateway = upload_url in self._gateway_urls
            max_part_bytes = self._gateway_urls.get(upload_url)
        digest = self._transfers().upload_component(
            upload_url,
            local_path,
            content_type=content_type,
            progress=progress,
            route="r2" if gateway else "gcs",
            max_part_bytes=max_part_bytes,
        )
        return digest

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

    @wraps_operation("finalize_asset")
    def finalize(
        self,
        asset_id: str,
        sha256s: Mapping[str, str] | None = None,
        *,
        components: Mapping[str, ComponentDigest] | None = None,
    ) -> AssetRecord:
        """Finalize: pending → ready (idempotent). The server checks each given sha256 against storage first.

        ``sha256s`` maps a component (a single file: its name) to the hex sha256 ``upload_component``
        returned; ``components`` takes the transfer engine's digests (those of parts are checked at
        completion, not here).
        """
        hashes = {name: str(sha) for name, sha in (sha256s or {}).items()}
        for component, digest in (components or {}).items():
            if digest.part_size is None and digest.sha256:  # a part-wise checksum is no file hash
                hashes.setdefault(component, str(digest.sha256))
        body: AssetFinalize | Unset = UNSET
        if hashes:
            body = AssetFinalize(files=[_FileDigestModel(path=p, sha256=h) for p, h in sorted(hashes.items())])
        return self._call(finalize_asset.sync_detailed, AssetRecord, asset_id=asset_id, body=body)

    @wraps_operation("get_asset")
    def get(self, asset_id: str, include_presigned: bool = False) -> AssetRecord:
        """Asset metadata; with ``include_presigned=True`` also read URLs (``presigned_urls``, secret)."""
        return self._call(
            get_asset.sync_detailed,
            AssetRecord,
            asset_id=asset_id,
            include_presigned=True if include_presigned else UNSET,
        )

    @wraps_operation("presign_asset")
    def presign(
        self, asset_id: str, *, operation: str = "read", components: Sequence[str] | None = None
    ) -> PresignedUrls:
        """Fresh presigned URLs: component → ``{"url": ...}`` (``.urls``: component → URL), for read or upload.

        Read URLs are asked of the storage gateway first when the deployment has one (it signs at the
        edge); anything short of success there falls back to Chronicle, which stays the authority.
        """
        body = AssetPresign(operation=operation, components=opt(list(components) if components else None))
        if operation == "read":
            signed = self._gateway.presign_read(asset_id, body.to_dict())
            if signed is not None:
                return signed
        answer = self._call(presign_asset.sync_detailed, Record, asset_id=asset_id, body=body)
        urls = answer.get("presigned_urls")
        return PresignedUrls(
            urls if isinstance(urls, Mapping) else {},
            expires_at=answer.get("expires_at"),
            upload=answer.get("upload"),
        )

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

    def share_with_scope(self, asset_id: str, scope_id: str, action: str = "read") -> Record:
        """Share with a whole team or organization you belong to (``me.scopes()``): a grant to that scope."""
        return self.grant_access(asset_id, scope_id, action=action)

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


def with_metadata(
    asset_config: Mapping[str, Any] | None, metadata: Mapping[str, Any] | None
) -> Mapping[str, Any] | None:
    """The asset config with ``metadata`` nested in as ``["metadata"]``, the hosted convention."""
    if metadata is None:
        return asset_config
    return {**(asset_config or {}), "metadata": dict(metadata)}


def _config(asset_config: Mapping[str, Any] | None, metadata: Mapping[str, Any] | None) -> FreeForm | Unset:
    """The asset config to send (``metadata`` nested in)."""
    config = with_metadata(asset_config, metadata)
    return UNSET if config is None else FreeForm.from_dict(dict(config))


def presigned_upload(created: AssetCreated, single_file: str | None) -> PresignedUpload:
    """Read a presign create response: the asset, one URL per component, and the route the server chose."""
    asset: Mapping[str, Any] = created.get("asset") or {}
    urls: dict[str, str] = {}
    for entry in created.get("upload_urls") or []:
        if isinstance(entry, Mapping) and entry.get("url"):
            component = entry.get("component") or single_file or "default"
            urls[str(component)] = str(entry["url"])
    upload = created.get("upload")
    route: Mapping[str, Any] = upload if isinstance(upload, Mapping) else {}
    return PresignedUpload(
        asset_id=str(asset.get("id")),
        asset_uri=asset.get("uri"),
        upload_urls=urls,
        via=str(route.get("via") or "gcs"),
        max_part_bytes=route.get("max_part_bytes"),
        expires_at=created.get("urls_expire_at"),
        asset=asset,
    )
