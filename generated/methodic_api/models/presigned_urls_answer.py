from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.presigned_urls_answer_presigned_urls import PresignedUrlsAnswerPresignedUrls
    from ..models.upload_route import UploadRoute


T = TypeVar("T", bound="PresignedUrlsAnswer")


@_attrs_define
class PresignedUrlsAnswer:
    """
    Attributes:
        presigned_urls (PresignedUrlsAnswerPresignedUrls | Unset): Component name → {url}. Secret.
        upload (UploadRoute | Unset):
        expires_at (str | Unset): Ours only: when the URLs expire.
    """

    presigned_urls: PresignedUrlsAnswerPresignedUrls | Unset = UNSET
    upload: UploadRoute | Unset = UNSET
    expires_at: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        presigned_urls: dict[str, Any] | Unset = UNSET
        if not isinstance(self.presigned_urls, Unset):
            presigned_urls = self.presigned_urls.to_dict()

        upload: dict[str, Any] | Unset = UNSET
        if not isinstance(self.upload, Unset):
            upload = self.upload.to_dict()

        expires_at = self.expires_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if presigned_urls is not UNSET:
            field_dict["presigned_urls"] = presigned_urls
        if upload is not UNSET:
            field_dict["upload"] = upload
        if expires_at is not UNSET:
            field_dict["expires_at"] = expires_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.presigned_urls_answer_presigned_urls import PresignedUrlsAnswerPresignedUrls  # noqa: PLC0415
        from ..models.upload_route import UploadRoute  # noqa: PLC0415

        d = dict(src_dict)
        _presigned_urls = d.pop("presigned_urls", UNSET)
        presigned_urls: PresignedUrlsAnswerPresignedUrls | Unset
        if isinstance(_presigned_urls, Unset):
            presigned_urls = UNSET
        else:
            presigned_urls = PresignedUrlsAnswerPresignedUrls.from_dict(_presigned_urls)

        _upload = d.pop("upload", UNSET)
        upload: UploadRoute | Unset
        if isinstance(_upload, Unset):
            upload = UNSET
        else:
            upload = UploadRoute.from_dict(_upload)

        expires_at = d.pop("expires_at", UNSET)

        presigned_urls_answer = cls(
            presigned_urls=presigned_urls,
            upload=upload,
            expires_at=expires_at,
        )

        presigned_urls_answer.additional_properties = d
        return presigned_urls_answer

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
