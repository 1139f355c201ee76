from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.upstream_retraction import UpstreamRetraction


T = TypeVar("T", bound="UpstreamRetractions")


@_attrs_define
class UpstreamRetractions:
    """
    Attributes:
        has_retractions (bool | Unset):
        retractions (list[UpstreamRetraction] | Unset):
    """

    has_retractions: bool | Unset = UNSET
    retractions: list[UpstreamRetraction] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        has_retractions = self.has_retractions

        retractions: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.retractions, Unset):
            retractions = []
            for retractions_item_data in self.retractions:
                retractions_item = retractions_item_data.to_dict()
                retractions.append(retractions_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if has_retractions is not UNSET:
            field_dict["has_retractions"] = has_retractions
        if retractions is not UNSET:
            field_dict["retractions"] = retractions

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.upstream_retraction import UpstreamRetraction  # noqa: PLC0415

        d = dict(src_dict)
        has_retractions = d.pop("has_retractions", UNSET)

        _retractions = d.pop("retractions", UNSET)
        retractions: list[UpstreamRetraction] | Unset = UNSET
        if _retractions is not UNSET:
            retractions = []
            for retractions_item_data in _retractions:
                retractions_item = UpstreamRetraction.from_dict(retractions_item_data)

                retractions.append(retractions_item)

        upstream_retractions = cls(
            has_retractions=has_retractions,
            retractions=retractions,
        )

        upstream_retractions.additional_properties = d
        return upstream_retractions

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
