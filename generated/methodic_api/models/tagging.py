from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.tag import Tag


T = TypeVar("T", bound="Tagging")


@_attrs_define
class Tagging:
    """
    Attributes:
        tag (Tag | Unset):
        tag_id (str | Unset):
        object_type (str | Unset): asset or experiment.
        object_id (str | Unset):
        tagged_at (str | Unset):
        created (bool | Unset): False when the object already carried the tag.
    """

    tag: Tag | Unset = UNSET
    tag_id: str | Unset = UNSET
    object_type: str | Unset = UNSET
    object_id: str | Unset = UNSET
    tagged_at: str | Unset = UNSET
    created: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        tag: dict[str, Any] | Unset = UNSET
        if not isinstance(self.tag, Unset):
            tag = self.tag.to_dict()

        tag_id = self.tag_id

        object_type = self.object_type

        object_id = self.object_id

        tagged_at = self.tagged_at

        created = self.created

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if tag is not UNSET:
            field_dict["tag"] = tag
        if tag_id is not UNSET:
            field_dict["tag_id"] = tag_id
        if object_type is not UNSET:
            field_dict["object_type"] = object_type
        if object_id is not UNSET:
            field_dict["object_id"] = object_id
        if tagged_at is not UNSET:
            field_dict["tagged_at"] = tagged_at
        if created is not UNSET:
            field_dict["created"] = created

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.tag import Tag  # noqa: PLC0415

        d = dict(src_dict)
        _tag = d.pop("tag", UNSET)
        tag: Tag | Unset
        if isinstance(_tag, Unset):
            tag = UNSET
        else:
            tag = Tag.from_dict(_tag)

        tag_id = d.pop("tag_id", UNSET)

        object_type = d.pop("object_type", UNSET)

        object_id = d.pop("object_id", UNSET)

        tagged_at = d.pop("tagged_at", UNSET)

        created = d.pop("created", UNSET)

        tagging = cls(
            tag=tag,
            tag_id=tag_id,
            object_type=object_type,
            object_id=object_id,
            tagged_at=tagged_at,
            created=created,
        )

        tagging.additional_properties = d
        return tagging

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
