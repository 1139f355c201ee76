from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.asset import Asset
    from ..models.asset_created_upload_urls_type_0 import AssetCreatedUploadUrlsType0


T = TypeVar("T", bound="AssetCreated")


@_attrs_define
class AssetCreated:
    """
    Attributes:
        asset (Asset):
        upload_urls (AssetCreatedUploadUrlsType0 | None): Component name → presigned upload URL (presign only).
        urls_expire_at (None | str):
    """

    asset: Asset
    upload_urls: AssetCreatedUploadUrlsType0 | None
    urls_expire_at: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.asset_created_upload_urls_type_0 import AssetCreatedUploadUrlsType0  # noqa: PLC0415

        asset = self.asset.to_dict()

        upload_urls: dict[str, Any] | None
        if isinstance(self.upload_urls, AssetCreatedUploadUrlsType0):
            upload_urls = self.upload_urls.to_dict()
        else:
            upload_urls = self.upload_urls

        urls_expire_at: None | str
        urls_expire_at = self.urls_expire_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "asset": asset,
                "upload_urls": upload_urls,
                "urls_expire_at": urls_expire_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.asset import Asset  # noqa: PLC0415
        from ..models.asset_created_upload_urls_type_0 import AssetCreatedUploadUrlsType0  # noqa: PLC0415

        d = dict(src_dict)
        asset = Asset.from_dict(d.pop("asset"))

        def _parse_upload_urls(data: object) -> AssetCreatedUploadUrlsType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                upload_urls_type_0 = AssetCreatedUploadUrlsType0.from_dict(data)

                return upload_urls_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AssetCreatedUploadUrlsType0 | None, data)

        upload_urls = _parse_upload_urls(d.pop("upload_urls"))

        def _parse_urls_expire_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        urls_expire_at = _parse_urls_expire_at(d.pop("urls_expire_at"))

        asset_created = cls(
            asset=asset,
            upload_urls=upload_urls,
            urls_expire_at=urls_expire_at,
        )

        asset_created.additional_properties = d
        return asset_created

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
