from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.presigned_urls_urls import PresignedUrlsUrls


T = TypeVar("T", bound="PresignedUrls")


@_attrs_define
class PresignedUrls:
    """
    Attributes:
        asset_id (str):
        operation (str):
        urls (PresignedUrlsUrls):
        expires_at (str):
    """

    asset_id: str
    operation: str
    urls: PresignedUrlsUrls
    expires_at: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        asset_id = self.asset_id

        operation = self.operation

        urls = self.urls.to_dict()

        expires_at = self.expires_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "asset_id": asset_id,
                "operation": operation,
                "urls": urls,
                "expires_at": expires_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.presigned_urls_urls import PresignedUrlsUrls  # noqa: PLC0415

        d = dict(src_dict)
        asset_id = d.pop("asset_id")

        operation = d.pop("operation")

        urls = PresignedUrlsUrls.from_dict(d.pop("urls"))

        expires_at = d.pop("expires_at")

        presigned_urls = cls(
            asset_id=asset_id,
            operation=operation,
            urls=urls,
            expires_at=expires_at,
        )

        presigned_urls.additional_properties = d
        return presigned_urls

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
