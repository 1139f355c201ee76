"""``chronicle.assets``: inline and presigned assets, finalize, flags, listing, transfers."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from methodic_api.api.assets import (
    approve_asset,
    complete_multipart_upload,
    create_asset,
    delete_asset,
    deprecate_asset,
    finalize_asset,
    get_asset,
    invalidate_asset,
    list_assets,
    list_multipart_parts,
    presign_asset,
    presign_multipart_parts,
    reject_asset,
    start_multipart_upload,
    verify_asset_components,
)
from methodic_api.models.asset import Asset
from methodic_api.models.asset_create import AssetCreate
from methodic_api.models.asset_created import AssetCreated
from methodic_api.models.asset_deleted import AssetDeleted
from methodic_api.models.asset_finalize import AssetFinalize
from methodic_api.models.asset_flag import AssetFlag
from methodic_api.models.asset_page import AssetPage
from methodic_api.models.asset_presign import AssetPresign
from methodic_api.models.asset_reject import AssetReject
from methodic_api.models.completed_part import CompletedPart
from methodic_api.models.component_digest import ComponentDigest as _DigestModel
from methodic_api.models.free_form import FreeForm
from methodic_api.models.multipart_complete import MultipartComplete
from methodic_api.models.multipart_completed import MultipartCompleted as _CompletedModel
from methodic_api.models.multipart_parts import MultipartParts
from methodic_api.models.multipart_presign import MultipartPresign
from methodic_api.models.multipart_start import MultipartStart
from methodic_api.models.multipart_upload import MultipartUpload
from methodic_api.models.output_of import OutputOf
from methodic_api.models.part_urls import PartUrls
from methodic_api.models.presigned_urls_urls import PresignedUrlsUrls
from methodic_api.types import UNSET, Unset

from methodic._constants import DEFAULT_PAGE_SIZE
from methodic._operations import wraps_operation
from methodic._pagination import iterate_pages
from methodic._scope import OrganizationArg, no_default, resolve_organization
from methodic._transport import Transport
from methodic.namespaces._base import Namespace, opt
from methodic.types import (
    AssetRecord,
    ComponentDigest,
    CreatedAsset,
    MultipartCompleted,
    MultipartStarted,
    PresignedUpload,
    PresignedUrls,
    StoredPart,
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


class _SecretUrlMap(PresignedUrlsUrls):
    """The component → URL map, whose repr names the components and never shows a signed URL."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"PresignedUrlsUrls(components={sorted(self.additional_properties)}, urls=<redacted>)"


class _SecretPresignedUrls(PresignedUrls):
    """Presigned URLs whose repr (in tracebacks, debuggers, logs of locals) shows no signature.

    Indexing by component gives ``{"url": ...}``, the shape hosted-SDK code reads
    (``urls[component]["url"]``); ``.urls`` is the component → URL map, and the other fields
    (``["asset_id"]``, ``["expires_at"]``) index too.
    """

    __slots__ = ()

    def __getitem__(self, key: str) -> Any:
        if key in self.urls.additional_properties:
            return {"url": self.urls.additional_properties[key], "expires_at": self.expires_at}
        if key in ("asset_id", "operation", "urls", "expires_at"):
            return self.to_dict()[key]
        raise KeyError(key)

    def __contains__(self, key: str) -> bool:
        return key in self.urls.additional_properties

    def get(self, component: str, default: Any = None) -> Any:
        """``{"url": ...}`` for a component, or ``default``."""
        if component not in self:
            return default
        return self[component]

    def keys(self) -> list[str]:
        """The component names."""
        return list(self.urls.additional_properties)

    def items(self) -> list[tuple[str, dict[str, Any]]]:
        """(component, ``{"url": ...}``) pairs."""
        return [(name, self[name]) for name in self.urls.additional_properties]

    def __repr__(self) -> str:
        return (
            f"PresignedUrls(asset_id={self.asset_id!r}, operation={self.operation!r}, urls={self.urls!r},"
            f" expires_at={self.expires_at!r})"
        )


def _secret(presigned: PresignedUrls) -> PresignedUrls:
    urls = _SecretUrlMap()
    urls.additional_properties = dict(presigned.urls.additional_properties)
    result = _SecretPresignedUrls(
        asset_id=presigned.asset_id, operation=presigned.operation, urls=urls, expires_at=presigned.expires_at
    )
    result.additional_properties = dict(presigned.additional_properties)
    return result


def _content_type_for(content: Any, content_type: str | None) -> str:
    if content_type:
        return content_type
    return "text/plain" if isinstance(content, str) else "application/json"


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
    ) -> None:
        super().__init__(transport)
        self._transfers = transfers
        self._default_organization = default_organization

    def _owner(self, organization_id: OrganizationArg, output_of: OutputOfLike | None) -> str | None:
        """The organization to send: an output inherits its experiment's, so only the explicit one goes with it."""
        if output_of is not None:
            return resolve_organization(organization_id, lambda: None)
        return resolve_organization(organization_id, self._default_organization)

    @wraps_operation("create_asset")
    def create_inline(
        self,
        *,
        asset_type: str,
        content: Any,
        content_type: str | None = None,
        name: str | None = None,
        output_of: OutputOfLike | None = None,
        asset_config: Mapping[str, Any] | None = None,
        tags: Sequence[str] | None = None,
        pending_reasons: Sequence[str] | None = None,
        organization_id: OrganizationArg = None,
        team_id: str | None = None,
        visibility: str | None = None,
    ) -> CreatedAsset:
        """Create a small asset whose content travels inline; the server finalizes it at once (``ready``).

        ``content`` is any JSON value, or text with ``content_type="text/markdown"`` (or ``text/plain``).
        ``pending_reasons=["review_required"]`` holds it ``pending`` until :meth:`approve` (or
        :meth:`reject`). The result reads as ``result.id`` and, as hosted-SDK code indexes it,
        ``result["asset"]["id"]``. A standalone asset belongs to ``organization_id``, else the client's
        default organization, else you; an output belongs to its experiment's owner.
        """
        body = AssetCreate(
            asset_type=asset_type,
            name=opt(name),
            content_type=_content_type_for(content, content_type),
            content=content,
            presign=False,
            output_of=_output_of(output_of),
            asset_config=opt(FreeForm.from_dict(dict(asset_config)) if asset_config is not None else None),
            tags=opt(list(tags) if tags is not None else None),
            pending_reasons=opt(list(pending_reasons) if pending_reasons is not None else None),
            organization_id=opt(self._owner(organization_id, output_of)),
            team_id=opt(team_id),
            visibility=opt(visibility),
        )
        return CreatedAsset(self._call(create_asset.sync_detailed, AssetCreated, body=body).asset)

    def create_with_presigned(
        self,
        *,
        asset_type: str,
        components: Sequence[str],
        name: str | None = None,
        content_type: str | None = None,
        output_of: OutputOfLike | None = None,
        asset_config: Mapping[str, Any] | None = None,
        tags: Sequence[str] | None = None,
        pending_reasons: Sequence[str] | None = None,
        organization_id: OrganizationArg = None,
        team_id: str | None = None,
        visibility: str | None = None,
    ) -> PresignedUpload:
        """Register a pending asset; returns ``.asset_id`` and ``.upload_urls`` (component → presigned URL).

        ``organization_id`` / ``team_id`` / ``visibility`` are stored and returned with the asset (an
        output's organization is its experiment's; another one is a 400 ``asset_org_mismatch``), as
        are ``pending_reasons`` (a review gate that outlasts finalize until :meth:`approve`).
        """
        if not components:
            raise ValueError("a presigned asset needs at least one component")
        body = AssetCreate(
            asset_type=asset_type,
            name=opt(name),
            content_type=opt(content_type),
            presign=True,
            components=list(components),
            output_of=_output_of(output_of),
            asset_config=opt(FreeForm.from_dict(dict(asset_config)) if asset_config is not None else None),
            tags=opt(list(tags) if tags is not None else None),
            pending_reasons=opt(list(pending_reasons) if pending_reasons is not None else None),
            organization_id=opt(self._owner(organization_id, output_of)),
            team_id=opt(team_id),
            visibility=opt(visibility),
        )
        created = self._call(create_asset.sync_detailed, AssetCreated, body=body)
        urls = created.upload_urls.to_dict() if created.upload_urls is not None else {}
        return PresignedUpload(
            asset_id=created.asset.id,
            upload_urls={str(k): str(v) for k, v in urls.items()},
            expires_at=created.urls_expire_at,
            asset=AssetRecord(created.asset),
        )

    def upload_component(
        self,
        url: str,
        local_path: Path | str,
        content_type: str = "application/octet-stream",
        *,
        progress: ProgressOption = None,
    ) -> ComponentDigest:
        """PUT one file to its presigned URL; returns its size and sha256.

        The file streams from disk with an explicit Content-Length, is hashed in the same pass, and is
        retried on connection errors, 408, 429 and 5xx. The bearer token is never sent to storage.
        """
        return self._transfers().upload_component(url, local_path, content_type=content_type, progress=progress)

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
        glob (``"*.distcp"``), several, a set of names or a predicate on the name.
        """
        return self._transfers().download(asset_id, local_dir, progress=progress, components=components)

    @wraps_operation("finalize_asset")
    def finalize(self, asset_id: str, *, components: Mapping[str, ComponentDigest] | None = None) -> AssetRecord:
        """Finalize: pending → ready (idempotent). With ``components``, the server verifies sizes and sha256 first."""
        body: AssetFinalize | Unset = UNSET
        if components:
            body = AssetFinalize(
                components=[
                    _DigestModel(name=name, size_bytes=d.size, sha256=d.sha256) for name, d in components.items()
                ]
            )
        return AssetRecord(self._call(finalize_asset.sync_detailed, Asset, asset_id=asset_id, body=body))

    @wraps_operation("verify_asset_components")
    def verify_components(self, asset_id: str, components: Mapping[str, ComponentDigest]) -> AssetRecord:
        """Vouch for some components of a pending asset: the server checks them against storage and records them.

        For assets whose files are uploaded from several places (ranks on different nodes): each uploader
        verifies its own, and a later :meth:`finalize` checks storage against what was recorded, so the
        finalizing process needs nobody else's checksums. ConflictError (``components_missing``,
        ``component_mismatch``) as finalize raises it.
        """
        body = AssetFinalize(
            components=[_DigestModel(name=name, size_bytes=d.size, sha256=d.sha256) for name, d in components.items()]
        )
        return AssetRecord(self._call(verify_asset_components.sync_detailed, Asset, asset_id=asset_id, body=body))

    @wraps_operation("get_asset")
    def get(self, asset_id: str, include_presigned: bool = False) -> AssetRecord:
        """Asset metadata; with ``include_presigned=True`` also a read URL per component (``download_urls``)."""
        return AssetRecord(
            self._call(get_asset.sync_detailed, Asset, asset_id=asset_id, include_presigned=include_presigned)
        )

    @wraps_operation("presign_asset")
    def presign(
        self, asset_id: str, *, operation: str = "read", components: Sequence[str] | None = None
    ) -> PresignedUrls:
        """Fresh presigned URLs: ``"read"``, or ``"upload"`` for a pending asset whose URLs expired."""
        body = AssetPresign(operation=operation, components=opt(list(components) if components is not None else None))
        return _secret(self._call(presign_asset.sync_detailed, PresignedUrls, asset_id=asset_id, body=body))

    @wraps_operation("approve_asset")
    def approve(self, asset_id: str) -> AssetRecord:
        """Clear an asset's review gate: it becomes ``ready`` (ConflictError if it is not awaiting review)."""
        return AssetRecord(self._call(approve_asset.sync_detailed, Asset, asset_id=asset_id))

    @wraps_operation("reject_asset")
    def reject(self, asset_id: str, *, reason: str) -> AssetRecord:
        """Reject an asset awaiting review: it becomes ``abandoned``, with the reason in ``asset_config.review``."""
        asset = self._call(reject_asset.sync_detailed, Asset, asset_id=asset_id, body=AssetReject(reason=reason))
        return AssetRecord(asset)

    @wraps_operation("start_multipart_upload")
    def start_multipart(self, asset_id: str, component: str, *, size: int, part_size: int) -> MultipartStarted:
        """Start a multipart upload of one component of a pending asset (the transfer engine does this for you)."""
        body = MultipartStart(component=component, size_bytes=size, part_size=part_size)
        started = self._call(start_multipart_upload.sync_detailed, MultipartUpload, asset_id=asset_id, body=body)
        return MultipartStarted(
            upload_id=started.upload_id,
            size=started.size_bytes,
            part_size=started.part_size,
            part_count=started.part_count,
        )

    @wraps_operation("presign_multipart_parts")
    def presign_parts(
        self, asset_id: str, component: str, upload_id: str, part_numbers: Sequence[int]
    ) -> tuple[dict[int, str], str]:
        """Presigned PUT URLs for some parts of a multipart upload (at most 1,000), and when they expire."""
        body = MultipartPresign(component=component, upload_id=upload_id, part_numbers=list(part_numbers))
        urls = self._call(presign_multipart_parts.sync_detailed, PartUrls, asset_id=asset_id, body=body)
        return {int(k): str(v) for k, v in urls.urls.to_dict().items()}, urls.expires_at

    @wraps_operation("list_multipart_parts")
    def list_parts(self, asset_id: str, component: str, upload_id: str) -> list[StoredPart]:
        """The parts storage holds for a multipart upload (NotFoundError when the upload is gone)."""
        listed = self._call(
            list_multipart_parts.sync_detailed,
            MultipartParts,
            asset_id=asset_id,
            component=component,
            upload_id=upload_id,
        )
        return [StoredPart(part_number=p.part_number, etag=p.etag, size=p.size_bytes) for p in listed.parts]

    @wraps_operation("complete_multipart_upload")
    def complete_multipart(
        self, asset_id: str, component: str, upload_id: str, parts: Sequence[tuple[int, str]]
    ) -> MultipartCompleted:
        """Assemble a component from its parts: ``(part_number, etag)`` for every part, in order."""
        body = MultipartComplete(
            component=component,
            upload_id=upload_id,
            parts=[CompletedPart(part_number=number, etag=etag) for number, etag in parts],
        )
        done = self._call(complete_multipart_upload.sync_detailed, _CompletedModel, asset_id=asset_id, body=body)
        return MultipartCompleted(size=done.size_bytes, part_size=done.part_size, sha256=done.sha256)

    @wraps_operation("deprecate_asset")
    def deprecate(self, asset_id: str, *, reason: str) -> AssetRecord:
        """Mark the asset deprecated (a soft warning)."""
        asset = self._call(deprecate_asset.sync_detailed, Asset, asset_id=asset_id, body=AssetFlag(reason=reason))
        return AssetRecord(asset)

    @wraps_operation("invalidate_asset")
    def invalidate(self, asset_id: str, *, reason: str) -> AssetRecord:
        """Mark the asset invalidated (refused as a new input without ``allow_invalid_assets``)."""
        asset = self._call(invalidate_asset.sync_detailed, Asset, asset_id=asset_id, body=AssetFlag(reason=reason))
        return AssetRecord(asset)

    @wraps_operation("delete_asset")
    def delete(self, asset_id: str) -> AssetDeleted:
        """Delete an asset (ConflictError while it is linked as an input)."""
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
        return iterate_pages(
            lambda cursor: self._call(
                list_assets.sync_detailed,
                AssetPage,
                asset_type=opt(asset_type),
                state=opt(state),
                experiment_id=opt(experiment_id),
                variation=opt(variation),
                run=opt(run),
                cursor=opt(cursor),
                limit=page_size,
            ),
            lambda page: (AssetRecord(a) for a in page.assets),
        )
