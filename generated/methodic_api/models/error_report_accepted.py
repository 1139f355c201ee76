from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ErrorReportAccepted")


@_attrs_define
class ErrorReportAccepted:
    """
    Attributes:
        id (str):
        fingerprint (str):
        occurrences (int | Unset):
    """

    id: str
    fingerprint: str
    occurrences: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        fingerprint = self.fingerprint

        occurrences = self.occurrences

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "fingerprint": fingerprint,
            }
        )
        if occurrences is not UNSET:
            field_dict["occurrences"] = occurrences

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        fingerprint = d.pop("fingerprint")

        occurrences = d.pop("occurrences", UNSET)

        error_report_accepted = cls(
            id=id,
            fingerprint=fingerprint,
            occurrences=occurrences,
        )

        error_report_accepted.additional_properties = d
        return error_report_accepted

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
