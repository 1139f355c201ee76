from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ClientConfig")


@_attrs_define
class ClientConfig:
    """
    Attributes:
        scribe_url (None | str | Unset): The storage gateway (POST {scribe_url}/v1/assets/{id}/presign for reads, with
            the API key); null when there is none.
    """

    scribe_url: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        scribe_url: None | str | Unset
        if isinstance(self.scribe_url, Unset):
            scribe_url = UNSET
        else:
            scribe_url = self.scribe_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if scribe_url is not UNSET:
            field_dict["scribe_url"] = scribe_url

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_scribe_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        scribe_url = _parse_scribe_url(d.pop("scribe_url", UNSET))

        client_config = cls(
            scribe_url=scribe_url,
        )

        client_config.additional_properties = d
        return client_config

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
