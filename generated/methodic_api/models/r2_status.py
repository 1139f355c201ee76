from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="R2Status")


@_attrs_define
class R2Status:
    """
    Attributes:
        state (str | Unset):
        access (str | Unset):
        retention (None | str | Unset):
        gcs_state (str | Unset):
        base_url (str | Unset):
        manifest_url (str | Unset):
    """

    state: str | Unset = UNSET
    access: str | Unset = UNSET
    retention: None | str | Unset = UNSET
    gcs_state: str | Unset = UNSET
    base_url: str | Unset = UNSET
    manifest_url: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        state = self.state

        access = self.access

        retention: None | str | Unset
        if isinstance(self.retention, Unset):
            retention = UNSET
        else:
            retention = self.retention

        gcs_state = self.gcs_state

        base_url = self.base_url

        manifest_url = self.manifest_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if state is not UNSET:
            field_dict["state"] = state
        if access is not UNSET:
            field_dict["access"] = access
        if retention is not UNSET:
            field_dict["retention"] = retention
        if gcs_state is not UNSET:
            field_dict["gcs_state"] = gcs_state
        if base_url is not UNSET:
            field_dict["base_url"] = base_url
        if manifest_url is not UNSET:
            field_dict["manifest_url"] = manifest_url

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        state = d.pop("state", UNSET)

        access = d.pop("access", UNSET)

        def _parse_retention(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        retention = _parse_retention(d.pop("retention", UNSET))

        gcs_state = d.pop("gcs_state", UNSET)

        base_url = d.pop("base_url", UNSET)

        manifest_url = d.pop("manifest_url", UNSET)

        r2_status = cls(
            state=state,
            access=access,
            retention=retention,
            gcs_state=gcs_state,
            base_url=base_url,
            manifest_url=manifest_url,
        )

        r2_status.additional_properties = d
        return r2_status

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
