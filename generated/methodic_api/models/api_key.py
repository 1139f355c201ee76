from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.api_key_restriction_type_0 import ApiKeyRestrictionType0


T = TypeVar("T", bound="ApiKey")


@_attrs_define
class ApiKey:
    """
    Attributes:
        id (str):
        name (str | Unset):
        key_type (str | Unset):
        created_at (str | Unset):
        expires_at (None | str | Unset):
        restriction (ApiKeyRestrictionType0 | None | Unset):
        key (str | Unset): The secret; only in the answers of create and rotate.
        revoked_at (None | str | Unset):
    """

    id: str
    name: str | Unset = UNSET
    key_type: str | Unset = UNSET
    created_at: str | Unset = UNSET
    expires_at: None | str | Unset = UNSET
    restriction: ApiKeyRestrictionType0 | None | Unset = UNSET
    key: str | Unset = UNSET
    revoked_at: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.api_key_restriction_type_0 import ApiKeyRestrictionType0  # noqa: PLC0415

        id = self.id

        name = self.name

        key_type = self.key_type

        created_at = self.created_at

        expires_at: None | str | Unset
        if isinstance(self.expires_at, Unset):
            expires_at = UNSET
        else:
            expires_at = self.expires_at

        restriction: dict[str, Any] | None | Unset
        if isinstance(self.restriction, Unset):
            restriction = UNSET
        elif isinstance(self.restriction, ApiKeyRestrictionType0):
            restriction = self.restriction.to_dict()
        else:
            restriction = self.restriction

        key = self.key

        revoked_at: None | str | Unset
        if isinstance(self.revoked_at, Unset):
            revoked_at = UNSET
        else:
            revoked_at = self.revoked_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name
        if key_type is not UNSET:
            field_dict["key_type"] = key_type
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if expires_at is not UNSET:
            field_dict["expires_at"] = expires_at
        if restriction is not UNSET:
            field_dict["restriction"] = restriction
        if key is not UNSET:
            field_dict["key"] = key
        if revoked_at is not UNSET:
            field_dict["revoked_at"] = revoked_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.api_key_restriction_type_0 import ApiKeyRestrictionType0  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name", UNSET)

        key_type = d.pop("key_type", UNSET)

        created_at = d.pop("created_at", UNSET)

        def _parse_expires_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        expires_at = _parse_expires_at(d.pop("expires_at", UNSET))

        def _parse_restriction(data: object) -> ApiKeyRestrictionType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                restriction_type_0 = ApiKeyRestrictionType0.from_dict(data)

                return restriction_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ApiKeyRestrictionType0 | None | Unset, data)

        restriction = _parse_restriction(d.pop("restriction", UNSET))

        key = d.pop("key", UNSET)

        def _parse_revoked_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        revoked_at = _parse_revoked_at(d.pop("revoked_at", UNSET))

        api_key = cls(
            id=id,
            name=name,
            key_type=key_type,
            created_at=created_at,
            expires_at=expires_at,
            restriction=restriction,
            key=key,
            revoked_at=revoked_at,
        )

        api_key.additional_properties = d
        return api_key

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
