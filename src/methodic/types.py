"""Response types: the generated attrs models under friendly names, plus the asset record.

Models ignore unknown keys from a newer server (they land in ``additional_properties``), keep UUIDs
and timestamps as strings, keep free-form JSON as dicts, and keep state fields as plain strings, so
a state this client does not know yet never breaks parsing.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from methodic._constants import TERMINAL_RUN_STATES
from methodic._lazy import lazy_getattr

if TYPE_CHECKING:
    from methodic_api.models.asset import Asset as _AssetModel
    from methodic_api.models.experiment import Experiment as ExperimentRecord
    from methodic_api.models.experiment_deleted import ExperimentDeleted
    from methodic_api.models.experiment_detail import ExperimentDetail
    from methodic_api.models.experiment_retracted import ExperimentRetracted
    from methodic_api.models.input_unlinked import InputUnlinked
    from methodic_api.models.lineage import Lineage as LineageResponse
    from methodic_api.models.lineage_node import LineageNode
    from methodic_api.models.presigned_urls import PresignedUrls
    from methodic_api.models.run import Run as RunRecord
    from methodic_api.models.scope import Scope
    from methodic_api.models.search_response import SearchResponse
    from methodic_api.models.search_result import SearchResult
    from methodic_api.models.variation import Variation as VariationRecord
    from methodic_api.models.variation_config import VariationConfig
    from methodic_api.models.variation_summary import VariationSummary

#: Public name → generated model: the models load on first use, keeping ``import methodic`` light.
__getattr__ = lazy_getattr(
    globals(),
    {
        "ExperimentRecord": "methodic_api.models.experiment:Experiment",
        "ExperimentDeleted": "methodic_api.models.experiment_deleted:ExperimentDeleted",
        "ExperimentDetail": "methodic_api.models.experiment_detail:ExperimentDetail",
        "ExperimentRetracted": "methodic_api.models.experiment_retracted:ExperimentRetracted",
        "InputUnlinked": "methodic_api.models.input_unlinked:InputUnlinked",
        "LineageResponse": "methodic_api.models.lineage:Lineage",
        "LineageNode": "methodic_api.models.lineage_node:LineageNode",
        "PresignedUrls": "methodic_api.models.presigned_urls:PresignedUrls",
        "RunRecord": "methodic_api.models.run:Run",
        "Scope": "methodic_api.models.scope:Scope",
        "SearchResponse": "methodic_api.models.search_response:SearchResponse",
        "SearchResult": "methodic_api.models.search_result:SearchResult",
        "VariationRecord": "methodic_api.models.variation:Variation",
        "VariationConfig": "methodic_api.models.variation_config:VariationConfig",
        "VariationSummary": "methodic_api.models.variation_summary:VariationSummary",
    },
)


class RunState:
    """Known run states. The server may add more; compare with strings, never assume this list is complete."""

    PENDING = "pending"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED_CRASH = "failed_crash"
    FAILED_ABANDONED = "failed_abandoned"
    LOST = "lost"
    FAILED_LOST = "failed_lost"
    TERMINAL = TERMINAL_RUN_STATES


class AssetRecord(Mapping[str, Any]):
    """An asset as the server described it, readable both as a dict and by attribute.

    The seeds index assets like dicts (``ckpt["id"]``, ``asset["asset_type"]``); typed attributes
    (``asset.id``, ``asset.state``) work too. Unknown keys from a newer server are kept.
    """

    __slots__ = ("_data", "model")

    def __init__(self, model: _AssetModel) -> None:
        self.model = model
        self._data: dict[str, Any] = model.to_dict()

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return f"AssetRecord(id={self.id!r}, asset_type={self.asset_type!r}, name={self.name!r}, state={self.state!r})"

    def to_dict(self) -> dict[str, Any]:
        """A plain-dict copy (download URLs included, so treat it as secret when they are present)."""
        return dict(self._data)

    @property
    def id(self) -> str:
        """The asset id."""
        return self.model.id

    @property
    def asset_type(self) -> str:
        """E.g. ``checkpoint``, ``environment``, ``takeaways_report``."""
        return self.model.asset_type

    @property
    def name(self) -> str | None:
        """Display name."""
        return self.model.name

    @property
    def state(self) -> str:
        """``pending``, ``ready`` or ``abandoned`` (or a state added by a newer server)."""
        return self.model.state

    @property
    def content(self) -> Any:
        """Inline content (JSON value or text), or None for presigned assets."""
        return self.model.content

    @property
    def content_type(self) -> str | None:
        """MIME type of inline content."""
        return self.model.content_type

    @property
    def components(self) -> list[dict[str, Any]]:
        """One dict per component: ``name``, ``size_bytes``, ``sha256``, ``content_type``."""
        return [c.to_dict() for c in self.model.components]

    @property
    def asset_config(self) -> dict[str, Any] | None:
        """Free-form metadata attached by the author."""
        value = self._data.get("asset_config")
        return dict(value) if isinstance(value, dict) else None

    @property
    def tags(self) -> list[str]:
        """Tags."""
        return list(self.model.tags)

    @property
    def experiment_id(self) -> str | None:
        """The experiment this asset is an output of."""
        return self.model.experiment_id

    @property
    def variation(self) -> int | None:
        """The variation this asset is an output of."""
        return self.model.variation

    @property
    def run(self) -> int | None:
        """The run this asset is an output of."""
        return self.model.run

    @property
    def deprecated(self) -> bool:
        """Soft warning flag; the asset stays usable."""
        return self.model.deprecated

    @property
    def invalidated(self) -> bool:
        """Hard block flag: refused as a new input without ``allow_invalid_assets``."""
        return self.model.invalidated

    @property
    def created_at(self) -> str:
        """RFC 3339 timestamp."""
        return self.model.created_at

    @property
    def finalized_at(self) -> str | None:
        """When the asset became ready."""
        return self.model.finalized_at

    @property
    def pending_reasons(self) -> list[str]:
        """Why a pending asset is not ready yet: ``upload_in_progress`` (finalize), ``review_required`` (approve)."""
        return list(self.model.pending_reasons)

    @property
    def organization_id(self) -> str | None:
        """The owning organization (an output's is its experiment's); None for a personal asset."""
        return self.model.organization_id

    @property
    def visibility(self) -> str | None:
        """``private``, ``org_public``, ``public``, ... as set at create (None: the scope's default)."""
        return self.model.visibility

    @property
    def download_urls(self) -> dict[str, str]:
        """Component name → presigned read URL (only with ``include_presigned=True``). Secret."""
        value = self._data.get("download_urls")
        return dict(value) if isinstance(value, dict) else {}


class CreatedAsset(AssetRecord):
    """What ``assets.create_inline`` returns: the asset, readable the hosted SDK's way too.

    Hosted-SDK code indexes the result as ``result["asset"]["id"]`` (the wire envelope); ours reads
    ``result.id`` or ``result["id"]``. Both work: the ``"asset"`` key answers the asset itself.
    Iterating yields the asset's own keys only.
    """

    __slots__ = ()

    def __getitem__(self, key: str) -> Any:
        if key == "asset" and "asset" not in self._data:
            return self
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        return key == "asset" or key in self._data

    def __repr__(self) -> str:
        return "Created" + super().__repr__()

    @property
    def asset(self) -> AssetRecord:
        """The asset itself (``result.asset.id`` reads as the hosted envelope does)."""
        return self


@dataclass(frozen=True)
class PresignedUpload:
    """A pending asset and where to PUT each of its components."""

    asset_id: str
    upload_urls: dict[str, str] = field(repr=False)
    expires_at: str | None
    asset: AssetRecord


@dataclass(frozen=True)
class ComponentDigest:
    """What was transferred: the component's size and sha256 (its part-wise checksum if it went in parts)."""

    size: int
    sha256: str


@dataclass(frozen=True)
class MultipartStarted:
    """A multipart upload of one component: its id and how the component is cut into parts."""

    upload_id: str
    size: int
    part_size: int
    part_count: int


@dataclass(frozen=True)
class StoredPart:
    """A part storage holds for a multipart upload (S3's ListParts entry)."""

    part_number: int
    etag: str
    size: int


@dataclass(frozen=True)
class MultipartCompleted:
    """A component assembled from its parts; ``sha256`` is storage's part-wise checksum when it knows it."""

    size: int
    part_size: int
    sha256: str | None


__all__ = [
    "AssetRecord",
    "ComponentDigest",
    "CreatedAsset",
    "ExperimentDeleted",
    "ExperimentDetail",
    "ExperimentRecord",
    "ExperimentRetracted",
    "InputUnlinked",
    "LineageNode",
    "LineageResponse",
    "MultipartCompleted",
    "MultipartStarted",
    "PresignedUpload",
    "PresignedUrls",
    "RunRecord",
    "RunState",
    "Scope",
    "SearchResponse",
    "SearchResult",
    "StoredPart",
    "VariationConfig",
    "VariationRecord",
    "VariationSummary",
]
