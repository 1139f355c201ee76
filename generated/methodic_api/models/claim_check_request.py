from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.claim_check_request_claims_item import ClaimCheckRequestClaimsItem


T = TypeVar("T", bound="ClaimCheckRequest")


@_attrs_define
class ClaimCheckRequest:
    """
    Attributes:
        claims (list[ClaimCheckRequestClaimsItem] | Unset):
        text (str | Unset):
        scope_variations (list[int] | Unset):
        finding_id (str | Unset):
    """

    claims: list[ClaimCheckRequestClaimsItem] | Unset = UNSET
    text: str | Unset = UNSET
    scope_variations: list[int] | Unset = UNSET
    finding_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        claims: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.claims, Unset):
            claims = []
            for claims_item_data in self.claims:
                claims_item = claims_item_data.to_dict()
                claims.append(claims_item)

        text = self.text

        scope_variations: list[int] | Unset = UNSET
        if not isinstance(self.scope_variations, Unset):
            scope_variations = self.scope_variations

        finding_id = self.finding_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if claims is not UNSET:
            field_dict["claims"] = claims
        if text is not UNSET:
            field_dict["text"] = text
        if scope_variations is not UNSET:
            field_dict["scope_variations"] = scope_variations
        if finding_id is not UNSET:
            field_dict["finding_id"] = finding_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.claim_check_request_claims_item import ClaimCheckRequestClaimsItem  # noqa: PLC0415

        d = dict(src_dict)
        _claims = d.pop("claims", UNSET)
        claims: list[ClaimCheckRequestClaimsItem] | Unset = UNSET
        if _claims is not UNSET:
            claims = []
            for claims_item_data in _claims:
                claims_item = ClaimCheckRequestClaimsItem.from_dict(claims_item_data)

                claims.append(claims_item)

        text = d.pop("text", UNSET)

        scope_variations = cast(list[int], d.pop("scope_variations", UNSET))

        finding_id = d.pop("finding_id", UNSET)

        claim_check_request = cls(
            claims=claims,
            text=text,
            scope_variations=scope_variations,
            finding_id=finding_id,
        )

        claim_check_request.additional_properties = d
        return claim_check_request

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
