from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.asset_metadata_update_metadata import AssetMetadataUpdateMetadata


T = TypeVar("T", bound="AssetMetadataUpdate")


@_attrs_define
class AssetMetadataUpdate:
    """
    Attributes:
        metadata (AssetMetadataUpdateMetadata | Unset): The whole dataset metadata document (it replaces the stored
            one): description, summary, pde, domain, variables, temporal, structural, properties, license, data_format,
            source_url, doi, ...
        size_bytes (int | Unset): The author-declared size of the bytes.
    """

    metadata: AssetMetadataUpdateMetadata | Unset = UNSET
    size_bytes: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = self.metadata.to_dict()

        size_bytes = self.size_bytes

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if metadata is not UNSET:
            field_dict["metadata"] = metadata
        if size_bytes is not UNSET:
            field_dict["size_bytes"] = size_bytes

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.asset_metadata_update_metadata import AssetMetadataUpdateMetadata  # noqa: PLC0415

        d = dict(src_dict)
        _metadata = d.pop("metadata", UNSET)
        metadata: AssetMetadataUpdateMetadata | Unset
        if isinstance(_metadata, Unset):
            metadata = UNSET
        else:
            metadata = AssetMetadataUpdateMetadata.from_dict(_metadata)

        size_bytes = d.pop("size_bytes", UNSET)

        asset_metadata_update = cls(
            metadata=metadata,
            size_bytes=size_bytes,
        )

        asset_metadata_update.additional_properties = d
        return asset_metadata_update

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
