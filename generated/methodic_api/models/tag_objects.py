from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.tag_objects_assets_item import TagObjectsAssetsItem
    from ..models.tag_objects_experiments_item import TagObjectsExperimentsItem


T = TypeVar("T", bound="TagObjects")


@_attrs_define
class TagObjects:
    """
    Attributes:
        assets (list[TagObjectsAssetsItem] | Unset):
        experiments (list[TagObjectsExperimentsItem] | Unset):
    """

    assets: list[TagObjectsAssetsItem] | Unset = UNSET
    experiments: list[TagObjectsExperimentsItem] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        assets: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.assets, Unset):
            assets = []
            for assets_item_data in self.assets:
                assets_item = assets_item_data.to_dict()
                assets.append(assets_item)

        experiments: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.experiments, Unset):
            experiments = []
            for experiments_item_data in self.experiments:
                experiments_item = experiments_item_data.to_dict()
                experiments.append(experiments_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if assets is not UNSET:
            field_dict["assets"] = assets
        if experiments is not UNSET:
            field_dict["experiments"] = experiments

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.tag_objects_assets_item import TagObjectsAssetsItem  # noqa: PLC0415
        from ..models.tag_objects_experiments_item import TagObjectsExperimentsItem  # noqa: PLC0415

        d = dict(src_dict)
        _assets = d.pop("assets", UNSET)
        assets: list[TagObjectsAssetsItem] | Unset = UNSET
        if _assets is not UNSET:
            assets = []
            for assets_item_data in _assets:
                assets_item = TagObjectsAssetsItem.from_dict(assets_item_data)

                assets.append(assets_item)

        _experiments = d.pop("experiments", UNSET)
        experiments: list[TagObjectsExperimentsItem] | Unset = UNSET
        if _experiments is not UNSET:
            experiments = []
            for experiments_item_data in _experiments:
                experiments_item = TagObjectsExperimentsItem.from_dict(experiments_item_data)

                experiments.append(experiments_item)

        tag_objects = cls(
            assets=assets,
            experiments=experiments,
        )

        tag_objects.additional_properties = d
        return tag_objects

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
