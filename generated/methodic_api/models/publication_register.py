from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="PublicationRegister")


@_attrs_define
class PublicationRegister:
    """
    Attributes:
        doi (str | Unset):
        bibtex (str | Unset):
        arxiv (str | Unset): An arXiv id (2301.12345, 2301.12345v2, math.GT/0309136) or its URL.
        draft (bool | Unset):
        confirm_create (bool | Unset): Create a new record although registered ones match the title.
    """

    doi: str | Unset = UNSET
    bibtex: str | Unset = UNSET
    arxiv: str | Unset = UNSET
    draft: bool | Unset = UNSET
    confirm_create: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        doi = self.doi

        bibtex = self.bibtex

        arxiv = self.arxiv

        draft = self.draft

        confirm_create = self.confirm_create

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if doi is not UNSET:
            field_dict["doi"] = doi
        if bibtex is not UNSET:
            field_dict["bibtex"] = bibtex
        if arxiv is not UNSET:
            field_dict["arxiv"] = arxiv
        if draft is not UNSET:
            field_dict["draft"] = draft
        if confirm_create is not UNSET:
            field_dict["confirm_create"] = confirm_create

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        doi = d.pop("doi", UNSET)

        bibtex = d.pop("bibtex", UNSET)

        arxiv = d.pop("arxiv", UNSET)

        draft = d.pop("draft", UNSET)

        confirm_create = d.pop("confirm_create", UNSET)

        publication_register = cls(
            doi=doi,
            bibtex=bibtex,
            arxiv=arxiv,
            draft=draft,
            confirm_create=confirm_create,
        )

        publication_register.additional_properties = d
        return publication_register

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
