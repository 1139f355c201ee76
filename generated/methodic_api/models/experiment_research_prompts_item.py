from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.research_prompt import ResearchPrompt


T = TypeVar("T", bound="ExperimentResearchPromptsItem")


@_attrs_define
class ExperimentResearchPromptsItem:
    """
    Attributes:
        research_prompt (ResearchPrompt | Unset):
        is_primary (bool | Unset):
    """

    research_prompt: ResearchPrompt | Unset = UNSET
    is_primary: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        research_prompt: dict[str, Any] | Unset = UNSET
        if not isinstance(self.research_prompt, Unset):
            research_prompt = self.research_prompt.to_dict()

        is_primary = self.is_primary

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if research_prompt is not UNSET:
            field_dict["research_prompt"] = research_prompt
        if is_primary is not UNSET:
            field_dict["is_primary"] = is_primary

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.research_prompt import ResearchPrompt  # noqa: PLC0415

        d = dict(src_dict)
        _research_prompt = d.pop("research_prompt", UNSET)
        research_prompt: ResearchPrompt | Unset
        if isinstance(_research_prompt, Unset):
            research_prompt = UNSET
        else:
            research_prompt = ResearchPrompt.from_dict(_research_prompt)

        is_primary = d.pop("is_primary", UNSET)

        experiment_research_prompts_item = cls(
            research_prompt=research_prompt,
            is_primary=is_primary,
        )

        experiment_research_prompts_item.additional_properties = d
        return experiment_research_prompts_item

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
