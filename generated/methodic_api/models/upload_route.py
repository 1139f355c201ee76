from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="UploadRoute")


@_attrs_define
class UploadRoute:
    """
    Attributes:
        via (str | Unset): `gcs`: one presigned PUT per file, no Authorization. `r2`: the storage gateway's URL, which
            takes the API key and, above max_part_bytes, multipart.
        max_part_bytes (int | None | Unset): r2: the largest single PUT or part the gateway takes (null for gcs).
    """

    via: str | Unset = UNSET
    max_part_bytes: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        via = self.via

        max_part_bytes: int | None | Unset
        if isinstance(self.max_part_bytes, Unset):
            max_part_bytes = UNSET
        else:
            max_part_bytes = self.max_part_bytes

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if via is not UNSET:
            field_dict["via"] = via
        if max_part_bytes is not UNSET:
            field_dict["max_part_bytes"] = max_part_bytes

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        via = d.pop("via", UNSET)

        def _parse_max_part_bytes(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_part_bytes = _parse_max_part_bytes(d.pop("max_part_bytes", UNSET))

        upload_route = cls(
            via=via,
            max_part_bytes=max_part_bytes,
        )

        upload_route.additional_properties = d
        return upload_route

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
