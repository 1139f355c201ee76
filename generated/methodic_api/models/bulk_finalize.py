from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="BulkFinalize")


@_attrs_define
class BulkFinalize:
    """
    Attributes:
        asset_ids (list[str]):
        import_source (str | Unset): A label for the import batch
        collections (list[str] | Unset): Collection ids or slugs each ready report joins.
    """

    asset_ids: list[str]
    import_source: str | Unset = UNSET
    collections: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        asset_ids = self.asset_ids

        import_source = self.import_source

        collections: list[str] | Unset = UNSET
        if not isinstance(self.collections, Unset):
            collections = self.collections

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "asset_ids": asset_ids,
            }
        )
        if import_source is not UNSET:
            field_dict["import_source"] = import_source
        if collections is not UNSET:
            field_dict["collections"] = collections

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        asset_ids = cast(list[str], d.pop("asset_ids"))

        import_source = d.pop("import_source", UNSET)

        collections = cast(list[str], d.pop("collections", UNSET))

        bulk_finalize = cls(
            asset_ids=asset_ids,
            import_source=import_source,
            collections=collections,
        )

        bulk_finalize.additional_properties = d
        return bulk_finalize

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
