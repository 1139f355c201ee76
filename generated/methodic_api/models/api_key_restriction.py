from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.api_key_restriction_restriction_type_0 import ApiKeyRestrictionRestrictionType0


T = TypeVar("T", bound="ApiKeyRestriction")


@_attrs_define
class ApiKeyRestriction:
    """
    Attributes:
        restriction (ApiKeyRestrictionRestrictionType0 | None):
    """

    restriction: ApiKeyRestrictionRestrictionType0 | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.api_key_restriction_restriction_type_0 import ApiKeyRestrictionRestrictionType0  # noqa: PLC0415

        restriction: dict[str, Any] | None
        if isinstance(self.restriction, ApiKeyRestrictionRestrictionType0):
            restriction = self.restriction.to_dict()
        else:
            restriction = self.restriction

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "restriction": restriction,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.api_key_restriction_restriction_type_0 import ApiKeyRestrictionRestrictionType0  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_restriction(data: object) -> ApiKeyRestrictionRestrictionType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                restriction_type_0 = ApiKeyRestrictionRestrictionType0.from_dict(data)

                return restriction_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ApiKeyRestrictionRestrictionType0 | None, data)

        restriction = _parse_restriction(d.pop("restriction"))

        api_key_restriction = cls(
            restriction=restriction,
        )

        api_key_restriction.additional_properties = d
        return api_key_restriction

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
