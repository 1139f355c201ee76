from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="PublicationFinalize")


@_attrs_define
class PublicationFinalize:
    """
    Attributes:
        doi (str | Unset):
        bibtex (str | Unset):
    """

    doi: str | Unset = UNSET
    bibtex: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        doi = self.doi

        bibtex = self.bibtex

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if doi is not UNSET:
            field_dict["doi"] = doi
        if bibtex is not UNSET:
            field_dict["bibtex"] = bibtex

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        doi = d.pop("doi", UNSET)

        bibtex = d.pop("bibtex", UNSET)

        publication_finalize = cls(
            doi=doi,
            bibtex=bibtex,
        )

        publication_finalize.additional_properties = d
        return publication_finalize

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
