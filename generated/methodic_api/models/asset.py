from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.asset_asset_config_type_0 import AssetAssetConfigType0
    from ..models.asset_component import AssetComponent
    from ..models.asset_download_urls_type_0 import AssetDownloadUrlsType0


T = TypeVar("T", bound="Asset")


@_attrs_define
class Asset:
    """
    Attributes:
        id (str):
        asset_type (str):
        name (None | str):
        state (str): pending, ready or abandoned.
        content_type (None | str):
        content (Any): Inline content, or null for presigned assets.
        components (list[AssetComponent]):
        asset_config (AssetAssetConfigType0 | None):
        tags (list[str]):
        experiment_id (None | str): The experiment this is an output of.
        variation (int | None):
        run (int | None):
        deprecated (bool):
        deprecation_reason (None | str):
        invalidated (bool):
        invalidation_reason (None | str):
        created_at (str):
        finalized_at (None | str):
        download_urls (AssetDownloadUrlsType0 | None): Component name → presigned read URL, when include_presigned was
            asked for.
        pending_reasons (list[str]): Why a pending asset is not ready yet: upload_in_progress (until finalize),
            review_required (until approve).
        organization_id (None | str):
        team_id (None | str):
        visibility (None | str):
        created_by (None | str): Who created the asset (null for assets from before this field).
    """

    id: str
    asset_type: str
    name: None | str
    state: str
    content_type: None | str
    content: Any
    components: list[AssetComponent]
    asset_config: AssetAssetConfigType0 | None
    tags: list[str]
    experiment_id: None | str
    variation: int | None
    run: int | None
    deprecated: bool
    deprecation_reason: None | str
    invalidated: bool
    invalidation_reason: None | str
    created_at: str
    finalized_at: None | str
    download_urls: AssetDownloadUrlsType0 | None
    pending_reasons: list[str]
    organization_id: None | str
    team_id: None | str
    visibility: None | str
    created_by: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.asset_asset_config_type_0 import AssetAssetConfigType0  # noqa: PLC0415
        from ..models.asset_download_urls_type_0 import AssetDownloadUrlsType0  # noqa: PLC0415

        id = self.id

        asset_type = self.asset_type

        name: None | str
        name = self.name

        state = self.state

        content_type: None | str
        content_type = self.content_type

        content = self.content

        components = []
        for components_item_data in self.components:
            components_item = components_item_data.to_dict()
            components.append(components_item)

        asset_config: dict[str, Any] | None
        if isinstance(self.asset_config, AssetAssetConfigType0):
            asset_config = self.asset_config.to_dict()
        else:
            asset_config = self.asset_config

        tags = self.tags

        experiment_id: None | str
        experiment_id = self.experiment_id

        variation: int | None
        variation = self.variation

        run: int | None
        run = self.run

        deprecated = self.deprecated

        deprecation_reason: None | str
        deprecation_reason = self.deprecation_reason

        invalidated = self.invalidated

        invalidation_reason: None | str
        invalidation_reason = self.invalidation_reason

        created_at = self.created_at

        finalized_at: None | str
        finalized_at = self.finalized_at

        download_urls: dict[str, Any] | None
        if isinstance(self.download_urls, AssetDownloadUrlsType0):
            download_urls = self.download_urls.to_dict()
        else:
            download_urls = self.download_urls

        pending_reasons = self.pending_reasons

        organization_id: None | str
        organization_id = self.organization_id

        team_id: None | str
        team_id = self.team_id

        visibility: None | str
        visibility = self.visibility

        created_by: None | str
        created_by = self.created_by

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "asset_type": asset_type,
                "name": name,
                "state": state,
                "content_type": content_type,
                "content": content,
                "components": components,
                "asset_config": asset_config,
                "tags": tags,
                "experiment_id": experiment_id,
                "variation": variation,
                "run": run,
                "deprecated": deprecated,
                "deprecation_reason": deprecation_reason,
                "invalidated": invalidated,
                "invalidation_reason": invalidation_reason,
                "created_at": created_at,
                "finalized_at": finalized_at,
                "download_urls": download_urls,
                "pending_reasons": pending_reasons,
                "organization_id": organization_id,
                "team_id": team_id,
                "visibility": visibility,
                "created_by": created_by,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.asset_asset_config_type_0 import AssetAssetConfigType0  # noqa: PLC0415
        from ..models.asset_component import AssetComponent  # noqa: PLC0415
        from ..models.asset_download_urls_type_0 import AssetDownloadUrlsType0  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        asset_type = d.pop("asset_type")

        def _parse_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        name = _parse_name(d.pop("name"))

        state = d.pop("state")

        def _parse_content_type(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        content_type = _parse_content_type(d.pop("content_type"))

        content = d.pop("content")

        components = []
        _components = d.pop("components")
        for components_item_data in _components:
            components_item = AssetComponent.from_dict(components_item_data)

            components.append(components_item)

        def _parse_asset_config(data: object) -> AssetAssetConfigType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                asset_config_type_0 = AssetAssetConfigType0.from_dict(data)

                return asset_config_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AssetAssetConfigType0 | None, data)

        asset_config = _parse_asset_config(d.pop("asset_config"))

        tags = cast(list[str], d.pop("tags"))

        def _parse_experiment_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        experiment_id = _parse_experiment_id(d.pop("experiment_id"))

        def _parse_variation(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        variation = _parse_variation(d.pop("variation"))

        def _parse_run(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        run = _parse_run(d.pop("run"))

        deprecated = d.pop("deprecated")

        def _parse_deprecation_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        deprecation_reason = _parse_deprecation_reason(d.pop("deprecation_reason"))

        invalidated = d.pop("invalidated")

        def _parse_invalidation_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        invalidation_reason = _parse_invalidation_reason(d.pop("invalidation_reason"))

        created_at = d.pop("created_at")

        def _parse_finalized_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        finalized_at = _parse_finalized_at(d.pop("finalized_at"))

        def _parse_download_urls(data: object) -> AssetDownloadUrlsType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                download_urls_type_0 = AssetDownloadUrlsType0.from_dict(data)

                return download_urls_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AssetDownloadUrlsType0 | None, data)

        download_urls = _parse_download_urls(d.pop("download_urls"))

        pending_reasons = cast(list[str], d.pop("pending_reasons"))

        def _parse_organization_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        organization_id = _parse_organization_id(d.pop("organization_id"))

        def _parse_team_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        team_id = _parse_team_id(d.pop("team_id"))

        def _parse_visibility(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        visibility = _parse_visibility(d.pop("visibility"))

        def _parse_created_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        created_by = _parse_created_by(d.pop("created_by"))

        asset = cls(
            id=id,
            asset_type=asset_type,
            name=name,
            state=state,
            content_type=content_type,
            content=content,
            components=components,
            asset_config=asset_config,
            tags=tags,
            experiment_id=experiment_id,
            variation=variation,
            run=run,
            deprecated=deprecated,
            deprecation_reason=deprecation_reason,
            invalidated=invalidated,
            invalidation_reason=invalidation_reason,
            created_at=created_at,
            finalized_at=finalized_at,
            download_urls=download_urls,
            pending_reasons=pending_reasons,
            organization_id=organization_id,
            team_id=team_id,
            visibility=visibility,
            created_by=created_by,
        )

        asset.additional_properties = d
        return asset

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
