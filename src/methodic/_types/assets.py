"""Assets as the server describes them, and what creating, presigning, linking and approving them answers.

Import them from :mod:`methodic.types`. Presigned URLs are secrets: the reprs hide their signatures.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any, ClassVar

from methodic._models import Record, as_record, list_field, reads_through


class AssetRecord(Record):
    """An asset as the server described it: ``asset["id"]`` and ``asset.id`` both work.

    With ``include_presigned=True`` it carries ``presigned_urls`` (component → ``{"url": ...}``), which
    are secrets: the repr hides their signatures.
    """

    __slots__ = ()
    id: str
    uri: str | None
    asset_type: str | None
    name: str | None
    state: str | None
    content_type: str | None
    content: Any
    sha256: str | None
    asset_config: dict[str, Any] | None
    experiment_id: str | None
    variation: int | None
    run: int | None
    deprecated: bool | None
    deprecation_reason: str | None
    invalidated: bool | None
    invalidation_reason: str | None
    created_at: str | None
    created_by: str | None
    finalized_at: str | None
    expires_at: str | None
    expired_at: str | None
    organization_id: str | None
    team_id: str | None
    visibility: str | None

    @property
    def components(self) -> list[dict[str, Any]]:
        """One dict per component: ``name``, ``size_bytes``, ``sha256`` (and ``part_size`` when stored in parts)."""
        return [c for c in list_field(self, "components") if isinstance(c, dict)]

    @property
    def tags(self) -> list[str]:
        """Tag names."""
        return list_field(self, "tags")

    @property
    def pending_reasons(self) -> list[str]:
        """Why a pending asset is not ready yet: ``upload_in_progress`` (finalize), ``review_required`` (approve)."""
        return list_field(self, "pending_reasons")

    @property
    def presigned_urls(self) -> dict[str, dict[str, Any]]:
        """Component → ``{"url": ...}`` (only with ``include_presigned=True``). Secret."""
        value = self.get("presigned_urls")
        return Record({k: v for k, v in value.items() if isinstance(v, dict)} if isinstance(value, dict) else {})

    @property
    def download_urls(self) -> dict[str, str]:
        """Component → read URL, from ``presigned_urls``. Secret."""
        return Record({k: str(v["url"]) for k, v in self.presigned_urls.items() if v.get("url")})  # repr redacts


class AssetCreated(Record):
    """What creating an asset answers: ``result["asset"]["id"]`` (the wire envelope) or ``result.id``.

    The asset's own fields read through (``result.id``, ``result.state``); presign's ``upload_urls`` list and
    ``upload`` route are the raw wire values (``create_with_presigned`` turns them into a
    :class:`PresignedUpload`).
    """

    __slots__ = ()
    _nested: ClassVar[Mapping[str, type[Record]]] = {"asset": AssetRecord}
    asset: AssetRecord

    def __getattr__(self, name: str) -> Any:
        if not name.startswith("_") and name not in self and reads_through(AssetRecord, name):
            return getattr(as_record(AssetRecord, self.get("asset")), name)
        return super().__getattr__(name)


class PresignedUpload(Record):
    """A pending asset and where to PUT each component: ``.asset_id``, ``.upload_urls`` (component → URL).

    ``via`` is the route the server chose (``"gcs"``: presigned PUTs; ``"r2"``: the storage gateway, which
    takes the API key), ``max_part_bytes`` the gateway's part limit. The URLs are secrets.
    """

    __slots__ = ()
    _nested: ClassVar[Mapping[str, type[Record]]] = {"asset": AssetRecord}
    asset_id: str
    asset_uri: str | None
    upload_urls: dict[str, str]
    via: str
    max_part_bytes: int | None
    expires_at: str | None
    asset: AssetRecord | None


class PresignedUrls(Record):
    """``assets.presign``: component → ``{"url": ...}`` as the hosted wire has it; ``.urls`` maps to the URL alone.

    ``.expires_at`` and ``.upload`` (the route, for upload URLs) are kept beside the mapping. Secret.
    """

    __slots__ = ("expires_at", "upload")

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        /,
        *,
        expires_at: str | None = None,
        upload: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__({k: v for k, v in (data or {}).items() if isinstance(v, Mapping)})
        self.expires_at = expires_at
        self.upload = dict(upload) if isinstance(upload, Mapping) else None

    def __reduce__(self) -> tuple[Any, ...]:
        return (partial(PresignedUrls, expires_at=self.expires_at, upload=self.upload), (dict(self),))

    def __deepcopy__(self, memo: dict[int, Any]) -> PresignedUrls:
        return PresignedUrls(self.to_dict(), expires_at=self.expires_at, upload=self.upload)

    @property
    def urls(self) -> dict[str, str]:
        """Component → URL."""
        return Record({k: str(v["url"]) for k, v in self.items() if v.get("url")})  # repr redacts


class AssetDeleted(Record):
    """``assets.delete``: ``{id, deleted}``."""

    __slots__ = ()
    id: str | None
    deleted: bool | None


class InputUnlinked(Record):
    """What unlinking an input answers."""

    __slots__ = ()
    experiment_id: str | None
    variation: int | None
    asset_id: str | None


class InputsLinked(Record):
    """What linking inputs answers: the asset ids linked."""

    __slots__ = ()
    _nested: ClassVar[Mapping[str, type[Record]]] = {"linked": AssetRecord}
    experiment_id: str | None
    variation: int | None

    @property
    def asset_ids(self) -> list[str]:
        """The asset ids now linked."""
        return list_field(self, "asset_ids")


class BulkApproval(Record):
    """``assets.bulk_approve``: one row per asset (``asset_id``, ``status``, ``error``, ``finalized``) and counts."""

    __slots__ = ()
    approved: int | None
    failed: int | None

    @property
    def results(self) -> list[dict[str, Any]]:
        """The rows, in the order asked."""
        return list_field(self, "results")
