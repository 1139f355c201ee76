from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ErrorReport")


@_attrs_define
class ErrorReport:
    """
    Attributes:
        error_type (str):
        message (str):
        source (str | Unset):
        captured_at (str | Unset):
        fingerprint (str | Unset):
        stack (str | Unset):
        request_method (str | Unset):
        request_path (str | Unset):
        response_status (int | Unset):
    """

    error_type: str
    message: str
    source: str | Unset = UNSET
    captured_at: str | Unset = UNSET
    fingerprint: str | Unset = UNSET
    stack: str | Unset = UNSET
    request_method: str | Unset = UNSET
    request_path: str | Unset = UNSET
    response_status: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        error_type = self.error_type

        message = self.message

        source = self.source

        captured_at = self.captured_at

        fingerprint = self.fingerprint

        stack = self.stack

        request_method = self.request_method

        request_path = self.request_path

        response_status = self.response_status

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "error_type": error_type,
                "message": message,
            }
        )
        if source is not UNSET:
            field_dict["source"] = source
        if captured_at is not UNSET:
            field_dict["captured_at"] = captured_at
        if fingerprint is not UNSET:
            field_dict["fingerprint"] = fingerprint
        if stack is not UNSET:
            field_dict["stack"] = stack
        if request_method is not UNSET:
            field_dict["request_method"] = request_method
        if request_path is not UNSET:
            field_dict["request_path"] = request_path
        if response_status is not UNSET:
            field_dict["response_status"] = response_status

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        error_type = d.pop("error_type")

        message = d.pop("message")

        source = d.pop("source", UNSET)

        captured_at = d.pop("captured_at", UNSET)

        fingerprint = d.pop("fingerprint", UNSET)

        stack = d.pop("stack", UNSET)

        request_method = d.pop("request_method", UNSET)

        request_path = d.pop("request_path", UNSET)

        response_status = d.pop("response_status", UNSET)

        error_report = cls(
            error_type=error_type,
            message=message,
            source=source,
            captured_at=captured_at,
            fingerprint=fingerprint,
            stack=stack,
            request_method=request_method,
            request_path=request_path,
            response_status=response_status,
        )

        error_report.additional_properties = d
        return error_report

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
