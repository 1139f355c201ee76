"""``chronicle.datasets``: datasets as assets, uploaded by the transfer engine, described, listed and linked.

A dataset is an asset of type ``dataset`` (there is no dataset table): its provenance (what bytes, from
where) and its metadata document (what they describe) live in ``asset_config``, and the catalog filters of
``GET /v1/assets`` read the columns the server projects from that document.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from methodic_api.api.assets import create_asset, list_assets, update_asset_metadata
from methodic_api.models.asset_create import AssetCreate
from methodic_api.models.asset_metadata_update import AssetMetadataUpdate
from methodic_api.types import UNSET

from methodic._constants import UPLOAD_TARGETS
from methodic._models import Record
from methodic._operations import wraps_operation
from methodic._scope import OrganizationArg
from methodic._transport import Transport
from methodic._version import __version__
from methodic.namespaces._base import Namespace, opt
from methodic.transfer import staging
from methodic.types import AssetCreated, AssetRecord, InputsLinked, PresignedUpload

if TYPE_CHECKING:
    from methodic.namespaces.assets import AssetsNamespace, OutputOfLike
    from methodic.namespaces.experiments import ExperimentsNamespace
    from methodic.transfer.files import ComponentSpec
    from methodic.transfer.manager import TransferManager
    from methodic.transfer.progress import ProgressOption
    from methodic.transfer.tracker import UploadTracker

#: Bytes read at a time while hashing a component for the provenance record.
_HASH_BLOCK = 1 << 20
#: Files hashed at once for the provenance record (hashlib releases the GIL on large blocks).
_HASH_WORKERS = 4


class DatasetRef(Record):
    """``datasets.upload``: the ready dataset asset (``.asset_id``, ``.asset_uri``) and its provenance record.

    ``.components`` are the component names in upload order; ``.provenance`` is what was stored under
    ``asset_config["provenance"]`` (per component sha256 and size, the total size, ``source``, and
    whatever the caller added).
    """

    __slots__ = ()
    asset_id: str
    asset_uri: str | None
    name: str
    asset_type: str
    components: list[str]
    provenance: dict[str, Any]


def file_sha256(path: str | os.PathLike[str]) -> tuple[str, int]:
    """A file's hex sha256 and size, read in 1 MiB blocks (never the whole file in memory)."""
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as handle:
        while block := handle.read(_HASH_BLOCK):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size


def provenance_record(
    components: Sequence[ComponentSpec],
    *,
    content_type: str,
    source: str | None,
    extra: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """The provenance of the bytes about to be uploaded: each component's sha256 and size, the total, the tool.

    Computed over the staged files (exactly what the engine uploads). ``source`` says where the data came
    from; ``extra`` (shape, rows, generator config, ...) is merged on top. One component also gets a
    top-level ``sha256``, so the common one-file dataset is checked without indexing in.
    """
    paths = [c.local_path for c in components]
    with ThreadPoolExecutor(max_workers=max(1, min(_HASH_WORKERS, len(paths)))) as pool:
        hashes = list(pool.map(file_sha256, paths))
    listed = [
        {"component": c.name, "sha256": sha, "size_bytes": size}
        for c, (sha, size) in zip(components, hashes, strict=True)
    ]
    record: dict[str, Any] = {
        "components": listed,
        "size_bytes": sum(item["size_bytes"] for item in listed),
        "content_type": content_type,
        "uploaded_with": f"methodic/{__version__}",
    }
    if len(listed) == 1:
        record["sha256"] = listed[0]["sha256"]
    if source is not None:
        record["source"] = source
    if extra:
        record.update(extra)
    return record


class DatasetsNamespace(Namespace):
    """Upload a file or folder as one dataset asset, describe it, list the catalog, link it as an input.

    Where the hosted client uploads the files one after another, :meth:`upload` hands the folder to the
    transfer engine: files in parallel (big ones in parallel parts on the gateway route), each hashed as
    it is sent, retried, staged so later edits cannot tear it, resumable with an ``upload_tracker``, and
    finalized with the checksums the server checks against storage.
    """

    def __init__(
        self,
        transport: Transport,
        assets: AssetsNamespace,
        experiments: ExperimentsNamespace[Any],
        transfers: Callable[[], TransferManager],
    ) -> None:
        super().__init__(transport)
        self._assets = assets
        self._experiments = experiments
        self._transfers = transfers

    def upload(
        self,
        path: str | os.PathLike[str],
        *,
        name: str | None = None,
        asset_type: str = "dataset",
        content_type: str = "application/octet-stream",
        source: str | None = None,
        provenance: Mapping[str, Any] | None = None,
        output_of: OutputOfLike | None = None,
        link_experiment: str | None = None,
        link_variation: int | None = None,
        propagate_acl: bool = True,
        allow_invalid_assets: bool = False,
        organization_id: OrganizationArg = None,
        team_id: str | None = None,
        visibility: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        upload_tracker: UploadTracker | None = None,
        progress: ProgressOption = None,
    ) -> DatasetRef:
        """Upload a file (one component) or a folder (one component per file) as one ready dataset asset.

        The provenance record is computed over the bytes and stored as ``asset_config["provenance"]``;
        ``metadata`` is the dataset's metadata document (``asset_config["metadata"]``, validated by the
        server). The asset belongs to ``organization_id`` (else the client's default organization, else
        you; ``methodic.PERSONAL`` forces personal), or with ``output_of`` to that experiment's owner.
        ``link_experiment`` (and ``link_variation``) link it as an input once it is ready. With an
        ``upload_tracker``, a crash mid-upload is finished by ``methodic uploads resume``. Returns when
        the asset is ready; an UploadError names the components that failed.
        """
        given = Path(path)
        if not given.exists():
            raise FileNotFoundError(f"no file or folder at {given}")
        label = name or given.name
        single = given.is_file()
        folder = staging.folder_for_file(given) if single else given
        record: dict[str, Any] = {}
        components: list[str] = []

        def create(staged: Sequence[ComponentSpec]) -> PresignedUpload:
            record.update(provenance_record(staged, content_type=content_type, source=source, extra=provenance))
            components.extend(c.name for c in staged)
            config: dict[str, Any] = {"provenance": record}
            if metadata is not None:
                config["metadata"] = dict(metadata)
            return self._assets.create_with_presigned(
                asset_type=asset_type,
                components=components,
                name=label,
                content_type=content_type,
                output_of=output_of,
                asset_config=config,
                organization_id=organization_id,
                team_id=team_id,
                visibility=visibility,
                upload_targets=list(UPLOAD_TARGETS),
            )

        try:
            upload = self._transfers().upload_directory(
                folder,
                asset_type=asset_type,
                output_of=None,
                tracker=upload_tracker,
                name=label,
                progress=progress,
                create=create,
            )
        finally:
            if single:
                staging.remove_handover(folder)
        asset = upload.wait()
        ref = DatasetRef(
            asset_id=upload.asset_id,
            asset_uri=asset.get("uri"),
            name=label,
            asset_type=asset_type,
            components=components,
            provenance=record,
        )
        if link_experiment is not None:
            self.link(
                ref.asset_id,
                link_experiment,
                variation=link_variation,
                propagate_acl=propagate_acl,
                allow_invalid_assets=allow_invalid_assets,
            )
        return ref

    def register(
        self,
        components: Sequence[str],
        *,
        name: str | None = None,
        asset_type: str = "dataset",
        content_type: str = "application/octet-stream",
        provenance: Mapping[str, Any] | None = None,
        output_of: OutputOfLike | None = None,
        organization_id: OrganizationArg = None,
        team_id: str | None = None,
        visibility: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        upload_targets: Sequence[str] | None = None,
    ) -> PresignedUpload:
        """Register a pending dataset and get its upload URLs, to send the bytes yourself.

        Upload each component with ``assets.upload_component`` (or any HTTP client, for presigned
        URLs), then ``assets.finalize``. ``provenance`` and ``metadata`` are stored as given under
        ``asset_config``. Scope and visibility as in :meth:`upload`.
        """
        config: dict[str, Any] = {}
        if provenance is not None:
            config["provenance"] = dict(provenance)
        if metadata is not None:
            config["metadata"] = dict(metadata)
        return self._assets.create_with_presigned(
            asset_type=asset_type,
            components=components,
            name=name,
            content_type=content_type,
            output_of=output_of,
            asset_config=config or None,
            organization_id=organization_id,
            team_id=team_id,
            visibility=visibility,
            upload_targets=upload_targets,
        )

    @wraps_operation("create_asset")
    def register_by_reference(
        self,
        uri: str,
        *,
        name: str,
        metadata: Mapping[str, Any] | None = None,
        size_bytes: int | None = None,
        content_type: str = "application/octet-stream",
        external: bool = False,
        organization_id: str | None = None,
        team_id: str | None = None,
        visibility: str | None = None,
    ) -> AssetRecord:
        """Register a dataset whose bytes already live at ``uri`` (``gs://``, ``s3://``): ready at once, no upload.

        ``external=True`` accepts any ``scheme://`` address (an ``https://`` DOI, ``hf://``, a foreign
        bucket) for bytes Chronicle does not manage. ``size_bytes`` is declared by you. Returns the asset.
        """
        body: dict[str, Any] = {
            "name": name,
            "asset_type": "dataset",
            "content_type": content_type,
            "uri": uri,
            "register_by_reference": True,
        }
        if external:
            body["external"] = True
        if metadata is not None:
            body["asset_config"] = {"metadata": dict(metadata)}
        for key, value in (
            ("size_bytes", size_bytes),
            ("organization_id", organization_id),
            ("team_id", team_id),
            ("visibility", visibility),
        ):
            if value is not None:
                body[key] = value
        created = self._call(create_asset.sync_detailed, AssetCreated, body=AssetCreate.from_dict(body))
        asset = created.get("asset")
        return AssetRecord(asset if isinstance(asset, Mapping) else created)

    @wraps_operation("update_asset_metadata")
    def update_metadata(
        self, asset_id: str, *, metadata: Mapping[str, Any] | None = None, size_bytes: int | None = None
    ) -> AssetRecord:
        """Replace the dataset's metadata document and/or its declared size; the bytes and hashes never change.

        The server validates the document (BadRequestError naming the field) and recomputes the catalog
        columns. PermissionDeniedError outside your scopes; NotFoundError for an unknown asset.
        """
        body: dict[str, Any] = {}
        if metadata is not None:
            body["metadata"] = dict(metadata)
        if size_bytes is not None:
            body["size_bytes"] = size_bytes
        return self._call(
            update_asset_metadata.sync_detailed,
            AssetRecord,
            asset_id=asset_id,
            body=AssetMetadataUpdate.from_dict(body),
        )

    @wraps_operation("list_assets")
    def list(
        self,
        *,
        n_dims: int | None = None,
        min_dims: int | None = None,
        max_dims: int | None = None,
        precision: str | None = None,
        pde_family: str | None = None,
        geometry: str | None = None,
        license: str | None = None,
        data_format: str | None = None,
        min_size: int | None = None,
        max_size: int | None = None,
        order_by: str | None = None,
        owner: str | None = None,
    ) -> list[AssetRecord]:
        """The datasets you can read, filtered by their catalog columns, newest first unless ``order_by``.

        ``n_dims`` (or ``min_dims``/``max_dims``), ``precision`` (one of fp16, bf16, fp32, fp64),
        ``pde_family``, ``geometry``, ``license``, ``data_format`` (case-insensitive), ``min_size``/``max_size``
        (bytes), ``owner`` (a scope id); ``order_by``: ``size_bytes``, ``created_at`` or ``num_samples``
        (largest first). Full-text and semantic discovery is ``search.query``.
        """
        return list(
            self._pages(
                n_dims=opt(n_dims),
                min_dims=opt(min_dims),
                max_dims=opt(max_dims),
                precision=opt(precision),
                pde_family=opt(pde_family),
                geometry=opt(geometry),
                license_=opt(license),
                data_format=opt(data_format),
                min_size=opt(min_size),
                max_size=opt(max_size),
                order_by=opt(order_by),
                owner=opt(owner),
            )
        )

    def _pages(self, **filters: Any) -> Iterator[AssetRecord]:
        cursor: str | None = None
        while True:
            page, headers = self._transport.call_list(
                list_assets.sync_detailed,
                AssetRecord,
                asset_type="dataset",
                limit=UNSET,  # the server's page size, as the hosted client asks
                cursor=opt(cursor),
                **filters,
            )
            yield from page
            following = headers.get("X-Next-Cursor")
            if not page or not following or following == cursor or headers.get("X-Has-More", "").lower() != "true":
                return
            cursor = following

    def link(
        self,
        asset_id: str,
        experiment_id: str,
        *,
        variation: int | None = None,
        propagate_acl: bool = True,
        allow_invalid_assets: bool = False,
    ) -> InputsLinked:
        """Link the dataset as an input of the experiment, or of one of its variations (the target must be open).

        An experiment-level link lets the experiment's readers read the dataset unless
        ``propagate_acl=False`` (for a sensitive one); variation-level links never propagate. The same
        call as ``experiments.link_input``.
        """
        return self._experiments.link_input(
            experiment_id,
            asset_id,
            variation=variation,
            propagate_acl=propagate_acl,
            allow_invalid_assets=allow_invalid_assets,
        )

    def load(self, asset_id: str, dest: str | os.PathLike[str]) -> Path:
        """Download every component into ``dest`` (created if needed), verified; returns ``dest``."""
        self._assets.download(asset_id, Path(dest))
        return Path(dest)

    def get(self, asset_id: str, *, include_presigned: bool = False) -> AssetRecord:
        """The dataset asset (with read URLs, secret, when ``include_presigned``)."""
        return self._assets.get(asset_id, include_presigned=include_presigned)

    def provenance(self, asset_id: str) -> dict[str, Any] | None:
        """The stored provenance record, or None when the dataset has none (registered by reference)."""
        config = self._assets.get(asset_id).get("asset_config") or {}
        found = config.get("provenance") if isinstance(config, Mapping) else None
        return dict(found) if isinstance(found, Mapping) else None
