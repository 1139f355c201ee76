"""The asset calls the transfer engine needs: create (inline or presigned), finalize, get, presign, a run's outputs.

:class:`AssetCalls` is the :class:`~methodic.transfer.AssetOperations` the client gives its one
``TransferManager``. It holds the transport, the default organization, the storage gateway and the
gateway's upload routes, and nothing of the engine, so the engine never reaches back into the client.
``chronicle.assets`` (:class:`~methodic.namespaces.assets.AssetsNamespace`) is these calls plus the rest
of the assets API and the transfers, over the same state.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from methodic_api.api.assets import create_asset, finalize_asset, get_asset, presign_asset
from methodic_api.api.runs import list_run_outputs
from methodic_api.models.asset_create import AssetCreate
from methodic_api.models.asset_finalize import AssetFinalize
from methodic_api.models.asset_presign import AssetPresign
from methodic_api.models.file_digest import FileDigest as _FileDigestModel
from methodic_api.models.free_form import FreeForm
from methodic_api.models.output_of import OutputOf
from methodic_api.types import UNSET, Unset

from methodic._models import Record
from methodic._operations import wraps_operation
from methodic._scope import OrganizationArg, no_default, resolve_organization
from methodic._transport import Transport
from methodic.namespaces._base import Namespace, opt
from methodic.namespaces.gateway import Gateway
from methodic.types import AssetCreated, AssetRecord, ComponentDigest, PresignedUpload, PresignedUrls

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


#: How many gateway upload URLs are remembered (the newest; a run registers thousands).
_REMEMBERED_GATEWAY_URLS = 100_000


class GatewayRoutes:
    """The storage gateway's upload URLs from this client's creates, so ``upload_component`` knows they take the key.

    A presigned URL gets one keyless PUT; a URL of the gateway (the ``r2`` route) gets the API key and, when
    the file is big, parallel parts of at most the size the server named.
    """

    def __init__(self) -> None:
        self._urls: dict[str, int | None] = {}  # URL -> max_part_bytes, newest last
        self._lock = threading.Lock()

    def remember(self, presigned: PresignedUpload) -> None:
        """Note the upload URLs of an asset the server routed to the gateway."""
        with self._lock:
            for url in presigned.upload_urls.values():
                self._urls[url] = presigned.max_part_bytes
            while len(self._urls) > _REMEMBERED_GATEWAY_URLS:
                self._urls.pop(next(iter(self._urls)))

    def route_of(self, url: str) -> tuple[str, int | None]:
        """``("r2", max_part_bytes)`` for a remembered gateway URL, else ``("gcs", None)``."""
        with self._lock:
            if url in self._urls:
                return "r2", self._urls[url]
        return "gcs", None


class AssetCalls(Namespace):
    """Create, finalize, get and presign assets: what every transfer needs of the API, and no more.

    Built once per client from the transport, the default organization and the storage gateway; the
    transfer manager receives it, and ``chronicle.assets`` shares its state.
    """

    def __init__(
        self,
        transport: Transport,
        default_organization: Callable[[], str | None] = no_default,
        *,
        scribe_url: str | None = None,
    ) -> None:
        super().__init__(transport)
        self._default_organization = default_organization
        self._gateway = Gateway(transport, scribe_url)
        self._routes = GatewayRoutes()

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
            self._routes.remember(presigned)
        return presigned

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

    def run_outputs(self, experiment_id: str, variation: int, run: int) -> list[AssetRecord]:
        """Every output of one run, in any state, newest first (``run.list_outputs()``, for the transfer engine).

        A resume looks there for an asset a killed process created but never recorded (see
        :func:`methodic.transfer.handover.register_leftovers`).
        """
        return self._list(
            list_run_outputs.sync_detailed, AssetRecord, experiment_id=experiment_id, variation=variation, run=run
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
