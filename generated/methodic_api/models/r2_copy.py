from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="R2Copy")


@_attrs_define
class R2Copy:
    """A ready copy of the bytes behind the storage gateway (ready assets uploaded through it). Manifest: GET manifest_url
    -> {files: [{path, size}]}; each file: GET {base_url}{asset_id}/{quoted path}, Range honoured; both with the API key
    when requires_auth.

        Attributes:
            state (str | Unset): ready
            base_url (str | Unset):
            requires_auth (bool | Unset):
            manifest_url (None | str | Unset):
    """

    state: str | Unset = UNSET
    base_url: str | Unset = UNSET
    requires_auth: bool | Unset = UNSET
    manifest_url: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        state = self.state

        base_url = self.base_url

        requires_auth = self.requires_auth

        manifest_url: None | str | Unset
        if isinstance(self.manifest_url, Unset):
            manifest_url = UNSET
        else:
            manifest_url = self.manifest_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if state is not UNSET:
            field_dict["state"] = state
        if base_url is not UNSET:
            field_dict["base_url"] = base_url
        if requires_auth is not UNSET:
            field_dict["requires_auth"] = requires_auth
        if manifest_url is not UNSET:
            field_dict["manifest_url"] = manifest_url

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        state = d.pop("state", UNSET)

        base_url = d.pop("base_url", UNSET)

        requires_auth = d.pop("requires_auth", UNSET)

        def _parse_manifest_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        manifest_url = _parse_manifest_url(d.pop("manifest_url", UNSET))

        r2_copy = cls(
            state=state,
            base_url=base_url,
            requires_auth=requires_auth,
            manifest_url=manifest_url,
        )

        r2_copy.additional_properties = d
        return r2_copy

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
