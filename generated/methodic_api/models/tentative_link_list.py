from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.tentative_parent import TentativeParent


T = TypeVar("T", bound="TentativeLinkList")


@_attrs_define
class TentativeLinkList:
    """
    Attributes:
        tentative_links (list[TentativeParent] | Unset):
    """

    tentative_links: list[TentativeParent] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        tentative_links: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.tentative_links, Unset):
            tentative_links = []
            for tentative_links_item_data in self.tentative_links:
                tentative_links_item = tentative_links_item_data.to_dict()
                tentative_links.append(tentative_links_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if tentative_links is not UNSET:
            field_dict["tentative_links"] = tentative_links

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.tentative_parent import TentativeParent  # noqa: PLC0415

        d = dict(src_dict)
        _tentative_links = d.pop("tentative_links", UNSET)
        tentative_links: list[TentativeParent] | Unset = UNSET
        if _tentative_links is not UNSET:
            tentative_links = []
            for tentative_links_item_data in _tentative_links:
                tentative_links_item = TentativeParent.from_dict(tentative_links_item_data)

                tentative_links.append(tentative_links_item)

        tentative_link_list = cls(
            tentative_links=tentative_links,
        )

        tentative_link_list.additional_properties = d
        return tentative_link_list

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
