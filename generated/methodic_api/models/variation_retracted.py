from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.variation import Variation


T = TypeVar("T", bound="VariationRetracted")


@_attrs_define
class VariationRetracted:
    """
    Attributes:
        variation (Variation):
        outputs_invalidated (int):
    """

    variation: Variation
    outputs_invalidated: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        variation = self.variation.to_dict()

        outputs_invalidated = self.outputs_invalidated

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "variation": variation,
                "outputs_invalidated": outputs_invalidated,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.variation import Variation  # noqa: PLC0415

        d = dict(src_dict)
        variation = Variation.from_dict(d.pop("variation"))

        outputs_invalidated = d.pop("outputs_invalidated")

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
