from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="MultipartCompleted")


@_attrs_define
class MultipartCompleted:
    """
    Attributes:
        component (str):
        upload_id (str):
        size_bytes (int):
        part_size (int):
        sha256 (None | str): The part-wise checksum storage computed, when it can tell without reading the object back.
    """

    component: str
    upload_id: str
    size_bytes: int
    part_size: int
    sha256: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        component = self.component

        upload_id = self.upload_id

        size_bytes = self.size_bytes

        part_size = self.part_size

        sha256: None | str
        sha256 = self.sha256

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "component": component,
                "upload_id": upload_id,
                "size_bytes": size_bytes,
                "part_size": part_size,
                "sha256": sha256,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        component = d.pop("component")

        upload_id = d.pop("upload_id")

        size_bytes = d.pop("size_bytes")

        part_size = d.pop("part_size")

        def _parse_sha256(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        sha256 = _parse_sha256(d.pop("sha256"))

        multipart_completed = cls(
            component=component,
            upload_id=upload_id,
            size_bytes=size_bytes,
            part_size=part_size,
            sha256=sha256,
        )

        multipart_completed.additional_properties = d
        return multipart_completed

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
