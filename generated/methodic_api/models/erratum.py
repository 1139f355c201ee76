from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.asset import Asset
    from ..models.erratum_target import ErratumTarget


T = TypeVar("T", bound="Erratum")


@_attrs_define
class Erratum:
    """
    Attributes:
        asset (Asset | Unset):
        target (ErratumTarget | Unset):
        created_by (str | Unset):
        created_at (str | Unset):
    """

    asset: Asset | Unset = UNSET
    target: ErratumTarget | Unset = UNSET
    created_by: str | Unset = UNSET
    created_at: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        asset: dict[str, Any] | Unset = UNSET
        if not isinstance(self.asset, Unset):
            asset = self.asset.to_dict()

        target: dict[str, Any] | Unset = UNSET
        if not isinstance(self.target, Unset):
            target = self.target.to_dict()

        created_by = self.created_by

        created_at = self.created_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if asset is not UNSET:
            field_dict["asset"] = asset
        if target is not UNSET:
            field_dict["target"] = target
        if created_by is not UNSET:
            field_dict["created_by"] = created_by
        if created_at is not UNSET:
            field_dict["created_at"] = created_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.asset import Asset  # noqa: PLC0415
        from ..models.erratum_target import ErratumTarget  # noqa: PLC0415

        d = dict(src_dict)
        _asset = d.pop("asset", UNSET)
        asset: Asset | Unset
        if isinstance(_asset, Unset):
            asset = UNSET
        else:
            asset = Asset.from_dict(_asset)

        _target = d.pop("target", UNSET)
        target: ErratumTarget | Unset
        if isinstance(_target, Unset):
            target = UNSET
        else:
            target = ErratumTarget.from_dict(_target)

        created_by = d.pop("created_by", UNSET)

        created_at = d.pop("created_at", UNSET)

        erratum = cls(
            asset=asset,
            target=target,
            created_by=created_by,
            created_at=created_at,
        )

        erratum.additional_properties = d
        return erratum

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
