from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.part_urls_urls import PartUrlsUrls


T = TypeVar("T", bound="PartUrls")


@_attrs_define
class PartUrls:
    """
    Attributes:
        upload_id (str):
        urls (PartUrlsUrls): Part number (as a string) → presigned PUT URL.
        expires_at (str):
    """

    upload_id: str
    urls: PartUrlsUrls
    expires_at: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        upload_id = self.upload_id

        urls = self.urls.to_dict()

        expires_at = self.expires_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "upload_id": upload_id,
                "urls": urls,
                "expires_at": expires_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.part_urls_urls import PartUrlsUrls  # noqa: PLC0415

        d = dict(src_dict)
        upload_id = d.pop("upload_id")

        urls = PartUrlsUrls.from_dict(d.pop("urls"))

        expires_at = d.pop("expires_at")

        part_urls = cls(
            upload_id=upload_id,
            urls=urls,
            expires_at=expires_at,
        )

        part_urls.additional_properties = d
        return part_urls

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
