from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="AssetComponent")


@_attrs_define
class AssetComponent:
    """
    Attributes:
        name (str):
        size_bytes (int | None | Unset):
        sha256 (None | str | Unset):
        content_type (None | str | Unset):
        part_size (int | None | Unset): Set when the component was uploaded in parts: then `sha256` is the part-wise
            checksum, the sha256 of the concatenated sha256 digests of its parts of `part_size` bytes (the last may be
            shorter), not the sha256 of the whole byte stream. Null for a component stored with one PUT (`sha256` of its
            bytes).
    """

    name: str
    size_bytes: int | None | Unset = UNSET
    sha256: None | str | Unset = UNSET
    content_type: None | str | Unset = UNSET
    part_size: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        size_bytes: int | None | Unset
        if isinstance(self.size_bytes, Unset):
            size_bytes = UNSET
        else:
            size_bytes = self.size_bytes

        sha256: None | str | Unset
        if isinstance(self.sha256, Unset):
            sha256 = UNSET
        else:
            sha256 = self.sha256

        content_type: None | str | Unset
        if isinstance(self.content_type, Unset):
            content_type = UNSET
        else:
            content_type = self.content_type

        part_size: int | None | Unset
        if isinstance(self.part_size, Unset):
            part_size = UNSET
        else:
            part_size = self.part_size

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
            }
        )
        if size_bytes is not UNSET:
            field_dict["size_bytes"] = size_bytes
        if sha256 is not UNSET:
            field_dict["sha256"] = sha256
        if content_type is not UNSET:
            field_dict["content_type"] = content_type
        if part_size is not UNSET:
            field_dict["part_size"] = part_size

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        def _parse_size_bytes(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        size_bytes = _parse_size_bytes(d.pop("size_bytes", UNSET))

        def _parse_sha256(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        sha256 = _parse_sha256(d.pop("sha256", UNSET))

        def _parse_content_type(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        content_type = _parse_content_type(d.pop("content_type", UNSET))

        def _parse_part_size(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        part_size = _parse_part_size(d.pop("part_size", UNSET))

        asset_component = cls(
            name=name,
            size_bytes=size_bytes,
            sha256=sha256,
            content_type=content_type,
            part_size=part_size,
        )

        asset_component.additional_properties = d
        return asset_component

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
