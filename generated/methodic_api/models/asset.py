from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.asset_asset_config_type_0 import AssetAssetConfigType0
    from ..models.asset_component import AssetComponent
    from ..models.asset_presigned_urls import AssetPresignedUrls
    from ..models.r2_copy import R2Copy


T = TypeVar("T", bound="Asset")


@_attrs_define
class Asset:
    """
    Attributes:
        id (str):
        uri (str | Unset): Where the bytes live, e.g. chronicle://assets/<id>.
        asset_type (str | Unset):
        name (None | str | Unset):
        state (str | Unset): pending, ready, abandoned or expired.
        content_type (None | str | Unset):
        content (Any | Unset): Inline content, or null for presigned assets.
        components (list[AssetComponent] | Unset):
        sha256 (None | str | Unset): The content hash (a single file's sha256); it outlives expired bytes.
        asset_config (AssetAssetConfigType0 | None | Unset):
        tags (list[str] | Unset):
        experiment_id (None | str | Unset): The experiment this is an output of.
        variation (int | None | Unset):
        run (int | None | Unset):
        deprecated (bool | Unset):
        deprecation_reason (None | str | Unset):
        invalidated (bool | Unset):
        invalidation_reason (None | str | Unset):
        created_at (str | Unset):
        created_by (None | str | Unset):
        finalized_at (None | str | Unset):
        expires_at (None | str | Unset): When a checkpoint's bytes expire (null when preserved or not a checkpoint).
        expired_at (None | str | Unset):
        presigned_urls (AssetPresignedUrls | Unset): Component name → {url}, when include_presigned was asked for.
            Secret.
        pending_reasons (list[str] | Unset): Why a pending asset is not ready yet: upload_in_progress (until finalize),
            review_required (until approve).
        organization_id (None | str | Unset):
        team_id (None | str | Unset):
        visibility (None | str | Unset):
        upload_via (None | str | Unset): Ours only: the upload route a presigned asset was created with (r2 or gcs).
        r2 (R2Copy | Unset): A ready copy of the bytes behind the storage gateway (ready assets uploaded through it).
            Manifest: GET manifest_url -> {files: [{path, size}]}; each file: GET {base_url}{asset_id}/{quoted path}, Range
            honoured; both with the API key when requires_auth.
    """

    id: str
    uri: str | Unset = UNSET
    asset_type: str | Unset = UNSET
    name: None | str | Unset = UNSET
    state: str | Unset = UNSET
    content_type: None | str | Unset = UNSET
    content: Any | Unset = UNSET
    components: list[AssetComponent] | Unset = UNSET
    sha256: None | str | Unset = UNSET
    asset_config: AssetAssetConfigType0 | None | Unset = UNSET
    tags: list[str] | Unset = UNSET
    experiment_id: None | str | Unset = UNSET
    variation: int | None | Unset = UNSET
    run: int | None | Unset = UNSET
    deprecated: bool | Unset = UNSET
    deprecation_reason: None | str | Unset = UNSET
    invalidated: bool | Unset = UNSET
    invalidation_reason: None | str | Unset = UNSET
    created_at: str | Unset = UNSET
    created_by: None | str | Unset = UNSET
    finalized_at: None | str | Unset = UNSET
    expires_at: None | str | Unset = UNSET
    expired_at: None | str | Unset = UNSET
    presigned_urls: AssetPresignedUrls | Unset = UNSET
    pending_reasons: list[str] | Unset = UNSET
    organization_id: None | str | Unset = UNSET
    team_id: None | str | Unset = UNSET
    visibility: None | str | Unset = UNSET
    upload_via: None | str | Unset = UNSET
    r2: R2Copy | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.asset_asset_config_type_0 import AssetAssetConfigType0  # noqa: PLC0415

        id = self.id

        uri = self.uri

        asset_type = self.asset_type

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        state = self.state

        content_type: None | str | Unset
        if isinstance(self.content_type, Unset):
            content_type = UNSET
        else:
            content_type = self.content_type

        content = self.content

        components: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.components, Unset):
            components = []
            for components_item_data in self.components:
                components_item = components_item_data.to_dict()
                components.append(components_item)

        sha256: None | str | Unset
        if isinstance(self.sha256, Unset):
            sha256 = UNSET
        else:
            sha256 = self.sha256

        asset_config: dict[str, Any] | None | Unset
        if isinstance(self.asset_config, Unset):
            asset_config = UNSET
        elif isinstance(self.asset_config, AssetAssetConfigType0):
            asset_config = self.asset_config.to_dict()
        else:
            asset_config = self.asset_config

        tags: list[str] | Unset = UNSET
        if not isinstance(self.tags, Unset):
            tags = self.tags

        experiment_id: None | str | Unset
        if isinstance(self.experiment_id, Unset):
            experiment_id = UNSET
        else:
            experiment_id = self.experiment_id

        variation: int | None | Unset
        if isinstance(self.variation, Unset):
            variation = UNSET
        else:
            variation = self.variation

        run: int | None | Unset
        if isinstance(self.run, Unset):
            run = UNSET
        else:
            run = self.run

        deprecated = self.deprecated

        deprecation_reason: None | str | Unset
        if isinstance(self.deprecation_reason, Unset):
            deprecation_reason = UNSET
        else:
            deprecation_reason = self.deprecation_reason

        invalidated = self.invalidated

        invalidation_reason: None | str | Unset
        if isinstance(self.invalidation_reason, Unset):
            invalidation_reason = UNSET
        else:
            invalidation_reason = self.invalidation_reason

        created_at = self.created_at

        created_by: None | str | Unset
        if isinstance(self.created_by, Unset):
            created_by = UNSET
        else:
            created_by = self.created_by

        finalized_at: None | str | Unset
        if isinstance(self.finalized_at, Unset):
            finalized_at = UNSET
        else:
            finalized_at = self.finalized_at

        expires_at: None | str | Unset
        if isinstance(self.expires_at, Unset):
            expires_at = UNSET
        else:
            expires_at = self.expires_at

        expired_at: None | str | Unset
        if isinstance(self.expired_at, Unset):
            expired_at = UNSET
        else:
            expired_at = self.expired_at

        presigned_urls: dict[str, Any] | Unset = UNSET
        if not isinstance(self.presigned_urls, Unset):
            presigned_urls = self.presigned_urls.to_dict()

        pending_reasons: list[str] | Unset = UNSET
        if not isinstance(self.pending_reasons, Unset):
            pending_reasons = self.pending_reasons

        organization_id: None | str | Unset
        if isinstance(self.organization_id, Unset):
            organization_id = UNSET
        else:
            organization_id = self.organization_id

        team_id: None | str | Unset
        if isinstance(self.team_id, Unset):
            team_id = UNSET
        else:
            team_id = self.team_id

        visibility: None | str | Unset
        if isinstance(self.visibility, Unset):
            visibility = UNSET
        else:
            visibility = self.visibility

        upload_via: None | str | Unset
        if isinstance(self.upload_via, Unset):
            upload_via = UNSET
        else:
            upload_via = self.upload_via

        r2: dict[str, Any] | Unset = UNSET
        if not isinstance(self.r2, Unset):
            r2 = self.r2.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
            }
        )
        if uri is not UNSET:
            field_dict["uri"] = uri
        if asset_type is not UNSET:
            field_dict["asset_type"] = asset_type
        if name is not UNSET:
            field_dict["name"] = name
        if state is not UNSET:
            field_dict["state"] = state
        if content_type is not UNSET:
            field_dict["content_type"] = content_type
        if content is not UNSET:
            field_dict["content"] = content
        if components is not UNSET:
            field_dict["components"] = components
        if sha256 is not UNSET:
            field_dict["sha256"] = sha256
        if asset_config is not UNSET:
            field_dict["asset_config"] = asset_config
        if tags is not UNSET:
            field_dict["tags"] = tags
        if experiment_id is not UNSET:
            field_dict["experiment_id"] = experiment_id
        if variation is not UNSET:
            field_dict["variation"] = variation
        if run is not UNSET:
            field_dict["run"] = run
        if deprecated is not UNSET:
            field_dict["deprecated"] = deprecated
        if deprecation_reason is not UNSET:
            field_dict["deprecation_reason"] = deprecation_reason
        if invalidated is not UNSET:
            field_dict["invalidated"] = invalidated
        if invalidation_reason is not UNSET:
            field_dict["invalidation_reason"] = invalidation_reason
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if created_by is not UNSET:
            field_dict["created_by"] = created_by
        if finalized_at is not UNSET:
            field_dict["finalized_at"] = finalized_at
        if expires_at is not UNSET:
            field_dict["expires_at"] = expires_at
        if expired_at is not UNSET:
            field_dict["expired_at"] = expired_at
        if presigned_urls is not UNSET:
            field_dict["presigned_urls"] = presigned_urls
        if pending_reasons is not UNSET:
            field_dict["pending_reasons"] = pending_reasons
        if organization_id is not UNSET:
            field_dict["organization_id"] = organization_id
        if team_id is not UNSET:
            field_dict["team_id"] = team_id
        if visibility is not UNSET:
            field_dict["visibility"] = visibility
        if upload_via is not UNSET:
            field_dict["upload_via"] = upload_via
        if r2 is not UNSET:
            field_dict["r2"] = r2

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.asset_asset_config_type_0 import AssetAssetConfigType0  # noqa: PLC0415
        from ..models.asset_component import AssetComponent  # noqa: PLC0415
        from ..models.asset_presigned_urls import AssetPresignedUrls  # noqa: PLC0415
        from ..models.r2_copy import R2Copy  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        uri = d.pop("uri", UNSET)

        asset_type = d.pop("asset_type", UNSET)

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        state = d.pop("state", UNSET)

        def _parse_content_type(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        content_type = _parse_content_type(d.pop("content_type", UNSET))

        content = d.pop("content", UNSET)

        _components = d.pop("components", UNSET)
        components: list[AssetComponent] | Unset = UNSET
        if _components is not UNSET:
            components = []
            for components_item_data in _components:
                components_item = AssetComponent.from_dict(components_item_data)

                components.append(components_item)

        def _parse_sha256(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        sha256 = _parse_sha256(d.pop("sha256", UNSET))

        def _parse_asset_config(data: object) -> AssetAssetConfigType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                asset_config_type_0 = AssetAssetConfigType0.from_dict(data)

                return asset_config_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AssetAssetConfigType0 | None | Unset, data)

        asset_config = _parse_asset_config(d.pop("asset_config", UNSET))

        tags = cast(list[str], d.pop("tags", UNSET))

        def _parse_experiment_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        experiment_id = _parse_experiment_id(d.pop("experiment_id", UNSET))

        def _parse_variation(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        variation = _parse_variation(d.pop("variation", UNSET))

        def _parse_run(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        run = _parse_run(d.pop("run", UNSET))

        deprecated = d.pop("deprecated", UNSET)

        def _parse_deprecation_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        deprecation_reason = _parse_deprecation_reason(d.pop("deprecation_reason", UNSET))

        invalidated = d.pop("invalidated", UNSET)

        def _parse_invalidation_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        invalidation_reason = _parse_invalidation_reason(d.pop("invalidation_reason", UNSET))

        created_at = d.pop("created_at", UNSET)

        def _parse_created_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        created_by = _parse_created_by(d.pop("created_by", UNSET))

        def _parse_finalized_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        finalized_at = _parse_finalized_at(d.pop("finalized_at", UNSET))

        def _parse_expires_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        expires_at = _parse_expires_at(d.pop("expires_at", UNSET))

        def _parse_expired_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        expired_at = _parse_expired_at(d.pop("expired_at", UNSET))

        _presigned_urls = d.pop("presigned_urls", UNSET)
        presigned_urls: AssetPresignedUrls | Unset
        if isinstance(_presigned_urls, Unset):
            presigned_urls = UNSET
        else:
            presigned_urls = AssetPresignedUrls.from_dict(_presigned_urls)

        pending_reasons = cast(list[str], d.pop("pending_reasons", UNSET))

        def _parse_organization_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        organization_id = _parse_organization_id(d.pop("organization_id", UNSET))

        def _parse_team_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        team_id = _parse_team_id(d.pop("team_id", UNSET))

        def _parse_visibility(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        visibility = _parse_visibility(d.pop("visibility", UNSET))

        def _parse_upload_via(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        upload_via = _parse_upload_via(d.pop("upload_via", UNSET))

        _r2 = d.pop("r2", UNSET)
        r2: R2Copy | Unset
        if isinstance(_r2, Unset):
            r2 = UNSET
        else:
            r2 = R2Copy.from_dict(_r2)

        asset = cls(
            id=id,
            uri=uri,
            asset_type=asset_type,
            name=name,
            state=state,
            content_type=content_type,
            content=content,
            components=components,
            sha256=sha256,
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
            created_by=created_by,
            finalized_at=finalized_at,
            expires_at=expires_at,
            expired_at=expired_at,
            presigned_urls=presigned_urls,
            pending_reasons=pending_reasons,
            organization_id=organization_id,
            team_id=team_id,
            visibility=visibility,
            upload_via=upload_via,
            r2=r2,
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
