from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.erratum_create_target import ErratumCreateTarget


T = TypeVar("T", bound="ErratumCreate")


@_attrs_define
class ErratumCreate:
    """
    Attributes:
        target (ErratumCreateTarget): {experiment_id} or {experiment_id, variation} or {asset_id}.
        direction (str): authored (markdown or latex) or imported (a PDF uploaded after).
        markdown (str | Unset):
        latex (str | Unset):
        name (str | Unset):
    """

    target: ErratumCreateTarget
    direction: str
    markdown: str | Unset = UNSET
    latex: str | Unset = UNSET
    name: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        target = self.target.to_dict()

        direction = self.direction

        markdown = self.markdown

        latex = self.latex

        name = self.name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "target": target,
                "direction": direction,
            }
        )
        if markdown is not UNSET:
            field_dict["markdown"] = markdown
        if latex is not UNSET:
            field_dict["latex"] = latex
        if name is not UNSET:
            field_dict["name"] = name

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.erratum_create_target import ErratumCreateTarget  # noqa: PLC0415

        d = dict(src_dict)
        target = ErratumCreateTarget.from_dict(d.pop("target"))

        direction = d.pop("direction")

        markdown = d.pop("markdown", UNSET)

        latex = d.pop("latex", UNSET)

        name = d.pop("name", UNSET)

        erratum_create = cls(
            target=target,
            direction=direction,
            markdown=markdown,
            latex=latex,
            name=name,
        )

        erratum_create.additional_properties = d
        return erratum_create

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
