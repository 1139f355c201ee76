from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.erratum import Erratum


T = TypeVar("T", bound="ErratumCreated")


@_attrs_define
class ErratumCreated:
    """
    Attributes:
        erratum (Erratum | Unset):
        upload_url (str | Unset): Imported: a presigned PUT for the PDF (secret).
    """

    erratum: Erratum | Unset = UNSET
    upload_url: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        erratum: dict[str, Any] | Unset = UNSET
        if not isinstance(self.erratum, Unset):
            erratum = self.erratum.to_dict()

        upload_url = self.upload_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if erratum is not UNSET:
            field_dict["erratum"] = erratum
        if upload_url is not UNSET:
            field_dict["upload_url"] = upload_url

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.erratum import Erratum  # noqa: PLC0415

        d = dict(src_dict)
        _erratum = d.pop("erratum", UNSET)
        erratum: Erratum | Unset
        if isinstance(_erratum, Unset):
            erratum = UNSET
        else:
            erratum = Erratum.from_dict(_erratum)

        upload_url = d.pop("upload_url", UNSET)

        erratum_created = cls(
            erratum=erratum,
            upload_url=upload_url,
        )

        erratum_created.additional_properties = d
        return erratum_created

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
