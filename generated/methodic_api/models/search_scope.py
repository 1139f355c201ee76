from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="SearchScope")


@_attrs_define
class SearchScope:
    """A hard filter to the union of these collections' members and these experiments, with the outputs of member
    experiments (experiment_context only boosts); an unknown collection is a 404, another scope's a 403. Present with
    both lists empty, it keeps results to experiment_context and its associated collections.

        Attributes:
            collections (list[str] | Unset):
            experiments (list[str] | Unset):
    """

    collections: list[str] | Unset = UNSET
    experiments: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        collections: list[str] | Unset = UNSET
        if not isinstance(self.collections, Unset):
            collections = self.collections

        experiments: list[str] | Unset = UNSET
        if not isinstance(self.experiments, Unset):
            experiments = self.experiments

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if collections is not UNSET:
            field_dict["collections"] = collections
        if experiments is not UNSET:
            field_dict["experiments"] = experiments

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        collections = cast(list[str], d.pop("collections", UNSET))

        experiments = cast(list[str], d.pop("experiments", UNSET))

        search_scope = cls(
            collections=collections,
            experiments=experiments,
        )

        search_scope.additional_properties = d
        return search_scope

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
