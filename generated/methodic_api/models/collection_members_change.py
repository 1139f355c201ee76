from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CollectionMembersChange")


@_attrs_define
class CollectionMembersChange:
    """
    Attributes:
        asset_ids (list[str] | Unset):
        experiment_ids (list[str] | Unset):
        reindex_mode (str | Unset): lazy (the default) or eager.
    """

    asset_ids: list[str] | Unset = UNSET
    experiment_ids: list[str] | Unset = UNSET
    reindex_mode: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        asset_ids: list[str] | Unset = UNSET
        if not isinstance(self.asset_ids, Unset):
            asset_ids = self.asset_ids

        experiment_ids: list[str] | Unset = UNSET
        if not isinstance(self.experiment_ids, Unset):
            experiment_ids = self.experiment_ids

        reindex_mode = self.reindex_mode

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if asset_ids is not UNSET:
            field_dict["asset_ids"] = asset_ids
        if experiment_ids is not UNSET:
            field_dict["experiment_ids"] = experiment_ids
        if reindex_mode is not UNSET:
            field_dict["reindex_mode"] = reindex_mode

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        asset_ids = cast(list[str], d.pop("asset_ids", UNSET))

        experiment_ids = cast(list[str], d.pop("experiment_ids", UNSET))

        reindex_mode = d.pop("reindex_mode", UNSET)

        collection_members_change = cls(
            asset_ids=asset_ids,
            experiment_ids=experiment_ids,
            reindex_mode=reindex_mode,
        )

        collection_members_change.additional_properties = d
        return collection_members_change

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
