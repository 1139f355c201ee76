from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.operational_check_suggestion_checks_item import OperationalCheckSuggestionChecksItem


T = TypeVar("T", bound="OperationalCheckSuggestion")


@_attrs_define
class OperationalCheckSuggestion:
    """
    Attributes:
        checks (list[OperationalCheckSuggestionChecksItem] | Unset):
        unmatched (str | Unset):
    """

    checks: list[OperationalCheckSuggestionChecksItem] | Unset = UNSET
    unmatched: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        checks: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.checks, Unset):
            checks = []
            for checks_item_data in self.checks:
                checks_item = checks_item_data.to_dict()
                checks.append(checks_item)

        unmatched = self.unmatched

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if checks is not UNSET:
            field_dict["checks"] = checks
        if unmatched is not UNSET:
            field_dict["unmatched"] = unmatched

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.operational_check_suggestion_checks_item import OperationalCheckSuggestionChecksItem  # noqa: PLC0415

        d = dict(src_dict)
        _checks = d.pop("checks", UNSET)
        checks: list[OperationalCheckSuggestionChecksItem] | Unset = UNSET
        if _checks is not UNSET:
            checks = []
            for checks_item_data in _checks:
                checks_item = OperationalCheckSuggestionChecksItem.from_dict(checks_item_data)

                checks.append(checks_item)

        unmatched = d.pop("unmatched", UNSET)

        operational_check_suggestion = cls(
            checks=checks,
            unmatched=unmatched,
        )

        operational_check_suggestion.additional_properties = d
        return operational_check_suggestion

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
