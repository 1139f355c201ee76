from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.free_form import FreeForm
    from ..models.output_of import OutputOf


T = TypeVar("T", bound="AssetCreate")


@_attrs_define
class AssetCreate:
    """
    Attributes:
        asset_type (str):
        name (str | Unset): The display name; with presign and no components, the single file's name.
        content_type (str | Unset):
        content (Any | Unset): Inline content (a JSON value or text). Omit it with presign.
        presign (bool | Unset):  Default: False.
        components (list[str] | Unset): Component names (relative POSIX paths) for presign; omitted for a single file.
        output_of (OutputOf | Unset):
        asset_config (FreeForm | Unset): Server-defined free-form JSON.
        pending_reasons (list[str] | Unset): Gates that keep the asset pending after its content is complete, e.g.
            ["review_required"] (cleared by approve).
        organization_id (str | Unset): The owning organization (a scope id); an output inherits its experiment's.
        team_id (str | Unset): A team (scope id) the asset belongs to.
        visibility (str | Unset): private, org_public (aliases organization, org, team), public or scope_default.
        upload_targets (list[str] | Unset): Upload routes the client can use, in preference order (r2, gcs); the server
            picks one and says which in `upload.via`.
        ttl_days (int | Unset): Checkpoints only: days until the bytes expire (180 by default).
        tags (list[str] | Unset): Ours only: tag names.
        register_by_reference (bool | Unset): The bytes already live at `uri`: the asset is created ready, with no
            upload.
        uri (str | Unset): With register_by_reference: gs:// or s3://, or with `external` any scheme://.
        external (bool | Unset): With register_by_reference: the bytes live in storage Chronicle does not manage.
        size_bytes (int | Unset): With register_by_reference: the author-declared size.
    """

    asset_type: str
    name: str | Unset = UNSET
    content_type: str | Unset = UNSET
    content: Any | Unset = UNSET
    presign: bool | Unset = False
    components: list[str] | Unset = UNSET
    output_of: OutputOf | Unset = UNSET
    asset_config: FreeForm | Unset = UNSET
    pending_reasons: list[str] | Unset = UNSET
    organization_id: str | Unset = UNSET
    team_id: str | Unset = UNSET
    visibility: str | Unset = UNSET
    upload_targets: list[str] | Unset = UNSET
    ttl_days: int | Unset = UNSET
    tags: list[str] | Unset = UNSET
    register_by_reference: bool | Unset = UNSET
    uri: str | Unset = UNSET
    external: bool | Unset = UNSET
    size_bytes: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        asset_type = self.asset_type

        name = self.name

        content_type = self.content_type

        content = self.content

        presign = self.presign

        components: list[str] | Unset = UNSET
        if not isinstance(self.components, Unset):
            components = self.components

        output_of: dict[str, Any] | Unset = UNSET
        if not isinstance(self.output_of, Unset):
            output_of = self.output_of.to_dict()

        asset_config: dict[str, Any] | Unset = UNSET
        if not isinstance(self.asset_config, Unset):
            asset_config = self.asset_config.to_dict()

        pending_reasons: list[str] | Unset = UNSET
        if not isinstance(self.pending_reasons, Unset):
            pending_reasons = self.pending_reasons

        organization_id = self.organization_id

        team_id = self.team_id

        visibility = self.visibility

        upload_targets: list[str] | Unset = UNSET
        if not isinstance(self.upload_targets, Unset):
            upload_targets = self.upload_targets

        ttl_days = self.ttl_days

        tags: list[str] | Unset = UNSET
        if not isinstance(self.tags, Unset):
            tags = self.tags

        register_by_reference = self.register_by_reference

        uri = self.uri

        external = self.external

        size_bytes = self.size_bytes

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "asset_type": asset_type,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name
        if content_type is not UNSET:
            field_dict["content_type"] = content_type
        if content is not UNSET:
            field_dict["content"] = content
        if presign is not UNSET:
            field_dict["presign"] = presign
        if components is not UNSET:
            field_dict["components"] = components
        if output_of is not UNSET:
            field_dict["output_of"] = output_of
        if asset_config is not UNSET:
            field_dict["asset_config"] = asset_config
        if pending_reasons is not UNSET:
            field_dict["pending_reasons"] = pending_reasons
        if organization_id is not UNSET:
            field_dict["organization_id"] = organization_id
        if team_id is not UNSET:
            field_dict["team_id"] = team_id
        if visibility is not UNSET:
            field_dict["visibility"] = visibility
        if upload_targets is not UNSET:
            field_dict["upload_targets"] = upload_targets
        if ttl_days is not UNSET:
            field_dict["ttl_days"] = ttl_days
        if tags is not UNSET:
            field_dict["tags"] = tags
        if register_by_reference is not UNSET:
            field_dict["register_by_reference"] = register_by_reference
        if uri is not UNSET:
            field_dict["uri"] = uri
        if external is not UNSET:
            field_dict["external"] = external
        if size_bytes is not UNSET:
            field_dict["size_bytes"] = size_bytes

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.free_form import FreeForm  # noqa: PLC0415
        from ..models.output_of import OutputOf  # noqa: PLC0415

        d = dict(src_dict)
        asset_type = d.pop("asset_type")

        name = d.pop("name", UNSET)

        content_type = d.pop("content_type", UNSET)

        content = d.pop("content", UNSET)

        presign = d.pop("presign", UNSET)

        components = cast(list[str], d.pop("components", UNSET))

        _output_of = d.pop("output_of", UNSET)
        output_of: OutputOf | Unset
        if isinstance(_output_of, Unset):
            output_of = UNSET
        else:
            output_of = OutputOf.from_dict(_output_of)

        _asset_config = d.pop("asset_config", UNSET)
        asset_config: FreeForm | Unset
        if isinstance(_asset_config, Unset):
            asset_config = UNSET
        else:
            asset_config = FreeForm.from_dict(_asset_config)

        pending_reasons = cast(list[str], d.pop("pending_reasons", UNSET))

        organization_id = d.pop("organization_id", UNSET)

        team_id = d.pop("team_id", UNSET)

        visibility = d.pop("visibility", UNSET)

        upload_targets = cast(list[str], d.pop("upload_targets", UNSET))

        ttl_days = d.pop("ttl_days", UNSET)

        tags = cast(list[str], d.pop("tags", UNSET))

        register_by_reference = d.pop("register_by_reference", UNSET)

        uri = d.pop("uri", UNSET)

        external = d.pop("external", UNSET)

        size_bytes = d.pop("size_bytes", UNSET)

        asset_create = cls(
            asset_type=asset_type,
            name=name,
            content_type=content_type,
            content=content,
            presign=presign,
            components=components,
            output_of=output_of,
            asset_config=asset_config,
            pending_reasons=pending_reasons,
            organization_id=organization_id,
            team_id=team_id,
            visibility=visibility,
            upload_targets=upload_targets,
            ttl_days=ttl_days,
            tags=tags,
            register_by_reference=register_by_reference,
            uri=uri,
            external=external,
            size_bytes=size_bytes,
        )

        asset_create.additional_properties = d
        return asset_create

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
