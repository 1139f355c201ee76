from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="MultipartPresign")


@_attrs_define
class MultipartPresign:
    """
    Attributes:
        component (str):
        upload_id (str):
        part_numbers (list[int]):
    """

    component: str
    upload_id: str
    part_numbers: list[int]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        component = self.component

        upload_id = self.upload_id

        part_numbers = self.part_numbers

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "component": component,
                "upload_id": upload_id,
                "part_numbers": part_numbers,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        component = d.pop("component")

        upload_id = d.pop("upload_id")

        part_numbers = cast(list[int], d.pop("part_numbers"))

        multipart_presign = cls(
            component=component,
            upload_id=upload_id,
            part_numbers=part_numbers,
        )

        multipart_presign.additional_properties = d
        return multipart_presign

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
