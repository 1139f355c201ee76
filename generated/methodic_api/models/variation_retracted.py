from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.variation import Variation


T = TypeVar("T", bound="VariationRetracted")


@_attrs_define
class VariationRetracted:
    """
    Attributes:
        variation (Variation | Unset):
        outputs_invalidated (int | Unset):
    """

    variation: Variation | Unset = UNSET
    outputs_invalidated: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        variation: dict[str, Any] | Unset = UNSET
        if not isinstance(self.variation, Unset):
            variation = self.variation.to_dict()

        outputs_invalidated = self.outputs_invalidated

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if variation is not UNSET:
            field_dict["variation"] = variation
        if outputs_invalidated is not UNSET:
            field_dict["outputs_invalidated"] = outputs_invalidated

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.variation import Variation  # noqa: PLC0415

        d = dict(src_dict)
        _variation = d.pop("variation", UNSET)
        variation: Variation | Unset
        if isinstance(_variation, Unset):
            variation = UNSET
        else:
            variation = Variation.from_dict(_variation)

        outputs_invalidated = d.pop("outputs_invalidated", UNSET)

        variation_retracted = cls(
            variation=variation,
            outputs_invalidated=outputs_invalidated,
        )

        variation_retracted.additional_properties = d
        return variation_retracted

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
