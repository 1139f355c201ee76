from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.api_key_create_restriction import ApiKeyCreateRestriction


T = TypeVar("T", bound="ApiKeyCreate")


@_attrs_define
class ApiKeyCreate:
    """
    Attributes:
        name (str):
        key_type (str | Unset): agent (the default) or user.
        expires_at (str | Unset): An RFC 3339 time in the future.
        restriction (ApiKeyCreateRestriction | Unset):
    """

    name: str
    key_type: str | Unset = UNSET
    expires_at: str | Unset = UNSET
    restriction: ApiKeyCreateRestriction | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        key_type = self.key_type

        expires_at = self.expires_at

        restriction: dict[str, Any] | Unset = UNSET
        if not isinstance(self.restriction, Unset):
            restriction = self.restriction.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
            }
        )
        if key_type is not UNSET:
            field_dict["key_type"] = key_type
        if expires_at is not UNSET:
            field_dict["expires_at"] = expires_at
        if restriction is not UNSET:
            field_dict["restriction"] = restriction

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.api_key_create_restriction import ApiKeyCreateRestriction  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        key_type = d.pop("key_type", UNSET)

        expires_at = d.pop("expires_at", UNSET)

        _restriction = d.pop("restriction", UNSET)
        restriction: ApiKeyCreateRestriction | Unset
        if isinstance(_restriction, Unset):
            restriction = UNSET
        else:
            restriction = ApiKeyCreateRestriction.from_dict(_restriction)

        api_key_create = cls(
            name=name,
            key_type=key_type,
            expires_at=expires_at,
            restriction=restriction,
        )

        api_key_create.additional_properties = d
        return api_key_create

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
