from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="MultipartStart")


@_attrs_define
class MultipartStart:
    """
    Attributes:
        component (str):
        size_bytes (int): At most 5 TiB (S3's largest object).
        part_size (int):
    """

    component: str
    size_bytes: int
    part_size: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        component = self.component

        size_bytes = self.size_bytes

        part_size = self.part_size

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "component": component,
                "size_bytes": size_bytes,
                "part_size": part_size,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        component = d.pop("component")

        size_bytes = d.pop("size_bytes")

        part_size = d.pop("part_size")

        multipart_start = cls(
            component=component,
            size_bytes=size_bytes,
            part_size=part_size,
        )

        multipart_start.additional_properties = d
        return multipart_start

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
