from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="MultipartUpload")


@_attrs_define
class MultipartUpload:
    """
    Attributes:
        asset_id (str):
        component (str):
        upload_id (str):
        size_bytes (int):
        part_size (int):
        part_count (int):
    """

    asset_id: str
    component: str
    upload_id: str
    size_bytes: int
    part_size: int
    part_count: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        asset_id = self.asset_id

        component = self.component

        upload_id = self.upload_id

        size_bytes = self.size_bytes

        part_size = self.part_size

        part_count = self.part_count

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "asset_id": asset_id,
                "component": component,
                "upload_id": upload_id,
                "size_bytes": size_bytes,
                "part_size": part_size,
                "part_count": part_count,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        asset_id = d.pop("asset_id")

        component = d.pop("component")

        upload_id = d.pop("upload_id")

        size_bytes = d.pop("size_bytes")

        part_size = d.pop("part_size")

        part_count = d.pop("part_count")

        multipart_upload = cls(
            asset_id=asset_id,
            component=component,
            upload_id=upload_id,
            size_bytes=size_bytes,
            part_size=part_size,
            part_count=part_count,
        )

        multipart_upload.additional_properties = d
        return multipart_upload

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
