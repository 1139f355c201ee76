from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.asset import Asset


T = TypeVar("T", bound="InputsLinked")


@_attrs_define
class InputsLinked:
    """
    Attributes:
        experiment_id (str | Unset):
        variation (int | None | Unset):
        asset_ids (list[str] | Unset):
        linked (list[Asset] | Unset):
    """

    experiment_id: str | Unset = UNSET
    variation: int | None | Unset = UNSET
    asset_ids: list[str] | Unset = UNSET
    linked: list[Asset] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        experiment_id = self.experiment_id

        variation: int | None | Unset
        if isinstance(self.variation, Unset):
            variation = UNSET
        else:
            variation = self.variation

        asset_ids: list[str] | Unset = UNSET
        if not isinstance(self.asset_ids, Unset):
            asset_ids = self.asset_ids

        linked: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.linked, Unset):
            linked = []
            for linked_item_data in self.linked:
                linked_item = linked_item_data.to_dict()
                linked.append(linked_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if experiment_id is not UNSET:
            field_dict["experiment_id"] = experiment_id
        if variation is not UNSET:
            field_dict["variation"] = variation
        if asset_ids is not UNSET:
            field_dict["asset_ids"] = asset_ids
        if linked is not UNSET:
            field_dict["linked"] = linked

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.asset import Asset  # noqa: PLC0415

        d = dict(src_dict)
        experiment_id = d.pop("experiment_id", UNSET)

        def _parse_variation(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        variation = _parse_variation(d.pop("variation", UNSET))

        asset_ids = cast(list[str], d.pop("asset_ids", UNSET))

        _linked = d.pop("linked", UNSET)
        linked: list[Asset] | Unset = UNSET
        if _linked is not UNSET:
            linked = []
            for linked_item_data in _linked:
                linked_item = Asset.from_dict(linked_item_data)

                linked.append(linked_item)

        inputs_linked = cls(
            experiment_id=experiment_id,
            variation=variation,
            asset_ids=asset_ids,
            linked=linked,
        )

        inputs_linked.additional_properties = d
        return inputs_linked

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
