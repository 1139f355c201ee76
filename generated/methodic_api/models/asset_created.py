from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.asset import Asset
    from ..models.upload_route import UploadRoute
    from ..models.upload_url import UploadUrl


T = TypeVar("T", bound="AssetCreated")


@_attrs_define
class AssetCreated:
    """
    Attributes:
        asset (Asset):
        upload_urls (list[UploadUrl] | Unset): Presign only.
        upload (UploadRoute | Unset):
        urls_expire_at (None | str | Unset): Ours only: when the upload URLs expire.
    """

    asset: Asset
    upload_urls: list[UploadUrl] | Unset = UNSET
    upload: UploadRoute | Unset = UNSET
    urls_expire_at: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        asset = self.asset.to_dict()

        upload_urls: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.upload_urls, Unset):
            upload_urls = []
            for upload_urls_item_data in self.upload_urls:
                upload_urls_item = upload_urls_item_data.to_dict()
                upload_urls.append(upload_urls_item)

        upload: dict[str, Any] | Unset = UNSET
        if not isinstance(self.upload, Unset):
            upload = self.upload.to_dict()

        urls_expire_at: None | str | Unset
        if isinstance(self.urls_expire_at, Unset):
            urls_expire_at = UNSET
        else:
            urls_expire_at = self.urls_expire_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "asset": asset,
            }
        )
        if upload_urls is not UNSET:
            field_dict["upload_urls"] = upload_urls
        if upload is not UNSET:
            field_dict["upload"] = upload
        if urls_expire_at is not UNSET:
            field_dict["urls_expire_at"] = urls_expire_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.asset import Asset  # noqa: PLC0415
        from ..models.upload_route import UploadRoute  # noqa: PLC0415
        from ..models.upload_url import UploadUrl  # noqa: PLC0415

        d = dict(src_dict)
        asset = Asset.from_dict(d.pop("asset"))

        _upload_urls = d.pop("upload_urls", UNSET)
        upload_urls: list[UploadUrl] | Unset = UNSET
        if _upload_urls is not UNSET:
            upload_urls = []
            for upload_urls_item_data in _upload_urls:
                upload_urls_item = UploadUrl.from_dict(upload_urls_item_data)

                upload_urls.append(upload_urls_item)

        _upload = d.pop("upload", UNSET)
        upload: UploadRoute | Unset
        if isinstance(_upload, Unset):
            upload = UNSET
        else:
            upload = UploadRoute.from_dict(_upload)

        def _parse_urls_expire_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        urls_expire_at = _parse_urls_expire_at(d.pop("urls_expire_at", UNSET))

        asset_created = cls(
            asset=asset,
            upload_urls=upload_urls,
            upload=upload,
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
