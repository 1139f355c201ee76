from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.report_render_payload import ReportRenderPayload


T = TypeVar("T", bound="ReportRender")


@_attrs_define
class ReportRender:
    """
    Attributes:
        payload (ReportRenderPayload | Unset):
        tex_body (str | Unset):
        template_asset_id (str | Unset):
    """

    payload: ReportRenderPayload | Unset = UNSET
    tex_body: str | Unset = UNSET
    template_asset_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        payload: dict[str, Any] | Unset = UNSET
        if not isinstance(self.payload, Unset):
            payload = self.payload.to_dict()

        tex_body = self.tex_body

        template_asset_id = self.template_asset_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if payload is not UNSET:
            field_dict["payload"] = payload
        if tex_body is not UNSET:
            field_dict["tex_body"] = tex_body
        if template_asset_id is not UNSET:
            field_dict["template_asset_id"] = template_asset_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.report_render_payload import ReportRenderPayload  # noqa: PLC0415

        d = dict(src_dict)
        _payload = d.pop("payload", UNSET)
        payload: ReportRenderPayload | Unset
        if isinstance(_payload, Unset):
            payload = UNSET
        else:
            payload = ReportRenderPayload.from_dict(_payload)

        tex_body = d.pop("tex_body", UNSET)

        template_asset_id = d.pop("template_asset_id", UNSET)

        report_render = cls(
            payload=payload,
            tex_body=tex_body,
            template_asset_id=template_asset_id,
        )

        report_render.additional_properties = d
        return report_render

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
