from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ResearchPromptAttach")


@_attrs_define
class ResearchPromptAttach:
    """
    Attributes:
        research_prompt_id (str):
        is_primary (bool | Unset):
    """

    research_prompt_id: str
    is_primary: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        research_prompt_id = self.research_prompt_id

        is_primary = self.is_primary

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "research_prompt_id": research_prompt_id,
            }
        )
        if is_primary is not UNSET:
            field_dict["is_primary"] = is_primary

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        research_prompt_id = d.pop("research_prompt_id")

        is_primary = d.pop("is_primary", UNSET)

        research_prompt_attach = cls(
            research_prompt_id=research_prompt_id,
            is_primary=is_primary,
        )

        research_prompt_attach.additional_properties = d
        return research_prompt_attach

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
