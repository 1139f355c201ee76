from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.feedback_submit_context import FeedbackSubmitContext


T = TypeVar("T", bound="FeedbackSubmit")


@_attrs_define
class FeedbackSubmit:
    """
    Attributes:
        body_md (str):
        category (str | Unset): feedback (default), gap or feature_request.
        source (str | Unset):
        context (FeedbackSubmitContext | Unset): Identifiers only.
    """

    body_md: str
    category: str | Unset = UNSET
    source: str | Unset = UNSET
    context: FeedbackSubmitContext | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        body_md = self.body_md

        category = self.category

        source = self.source

        context: dict[str, Any] | Unset = UNSET
        if not isinstance(self.context, Unset):
            context = self.context.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "body_md": body_md,
            }
        )
        if category is not UNSET:
            field_dict["category"] = category
        if source is not UNSET:
            field_dict["source"] = source
        if context is not UNSET:
            field_dict["context"] = context

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.feedback_submit_context import FeedbackSubmitContext  # noqa: PLC0415

        d = dict(src_dict)
        body_md = d.pop("body_md")

        category = d.pop("category", UNSET)

        source = d.pop("source", UNSET)

        _context = d.pop("context", UNSET)
        context: FeedbackSubmitContext | Unset
        if isinstance(_context, Unset):
            context = UNSET
        else:
            context = FeedbackSubmitContext.from_dict(_context)

        feedback_submit = cls(
            body_md=body_md,
            category=category,
            source=source,
            context=context,
        )

        feedback_submit.additional_properties = d
        return feedback_submit

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
