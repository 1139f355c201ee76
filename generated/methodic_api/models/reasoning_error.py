from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ReasoningError")


@_attrs_define
class ReasoningError:
    """
    Attributes:
        id (str):
        kind (str | Unset):
        state (str | Unset):
        reasoning_error (str | Unset):
    """

    id: str
    kind: str | Unset = UNSET
    state: str | Unset = UNSET
    reasoning_error: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        kind = self.kind

        state = self.state

        reasoning_error = self.reasoning_error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
            }
        )
        if kind is not UNSET:
            field_dict["kind"] = kind
        if state is not UNSET:
            field_dict["state"] = state
        if reasoning_error is not UNSET:
            field_dict["reasoning_error"] = reasoning_error

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        kind = d.pop("kind", UNSET)

        state = d.pop("state", UNSET)

        reasoning_error = d.pop("reasoning_error", UNSET)

        reasoning_error = cls(
            id=id,
            kind=kind,
            state=state,
            reasoning_error=reasoning_error,
        )

        reasoning_error.additional_properties = d
        return reasoning_error

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
