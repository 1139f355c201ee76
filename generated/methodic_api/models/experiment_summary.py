from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ExperimentSummary")


@_attrs_define
class ExperimentSummary:
    """
    Attributes:
        id (str):
        hypothesis_summary (str | Unset):
        variation_count (int | Unset):
        created_at (str | Unset):
        created_by (str | Unset):
        state (str | Unset):
        status (None | str | Unset): The newest run's state.
        committed_at (None | str | Unset):
        concluded_at (None | str | Unset):
        retracted_at (None | str | Unset):
        title (str | Unset):
        slug (str | Unset):
        owner_subject (str | Unset):
        organization_id (None | str | Unset):
    """

    id: str
    hypothesis_summary: str | Unset = UNSET
    variation_count: int | Unset = UNSET
    created_at: str | Unset = UNSET
    created_by: str | Unset = UNSET
    state: str | Unset = UNSET
    status: None | str | Unset = UNSET
    committed_at: None | str | Unset = UNSET
    concluded_at: None | str | Unset = UNSET
    retracted_at: None | str | Unset = UNSET
    title: str | Unset = UNSET
    slug: str | Unset = UNSET
    owner_subject: str | Unset = UNSET
    organization_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        hypothesis_summary = self.hypothesis_summary

        variation_count = self.variation_count

        created_at = self.created_at

        created_by = self.created_by

        state = self.state

        status: None | str | Unset
        if isinstance(self.status, Unset):
            status = UNSET
        else:
            status = self.status

        committed_at: None | str | Unset
        if isinstance(self.committed_at, Unset):
            committed_at = UNSET
        else:
            committed_at = self.committed_at

        concluded_at: None | str | Unset
        if isinstance(self.concluded_at, Unset):
            concluded_at = UNSET
        else:
            concluded_at = self.concluded_at

        retracted_at: None | str | Unset
        if isinstance(self.retracted_at, Unset):
            retracted_at = UNSET
        else:
            retracted_at = self.retracted_at

        title = self.title

        slug = self.slug

        owner_subject = self.owner_subject

        organization_id: None | str | Unset
        if isinstance(self.organization_id, Unset):
            organization_id = UNSET
        else:
            organization_id = self.organization_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
            }
        )
        if hypothesis_summary is not UNSET:
            field_dict["hypothesis_summary"] = hypothesis_summary
        if variation_count is not UNSET:
            field_dict["variation_count"] = variation_count
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if created_by is not UNSET:
            field_dict["created_by"] = created_by
        if state is not UNSET:
            field_dict["state"] = state
        if status is not UNSET:
            field_dict["status"] = status
        if committed_at is not UNSET:
            field_dict["committed_at"] = committed_at
        if concluded_at is not UNSET:
            field_dict["concluded_at"] = concluded_at
        if retracted_at is not UNSET:
            field_dict["retracted_at"] = retracted_at
        if title is not UNSET:
            field_dict["title"] = title
        if slug is not UNSET:
            field_dict["slug"] = slug
        if owner_subject is not UNSET:
            field_dict["owner_subject"] = owner_subject
        if organization_id is not UNSET:
            field_dict["organization_id"] = organization_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        hypothesis_summary = d.pop("hypothesis_summary", UNSET)

        variation_count = d.pop("variation_count", UNSET)

        created_at = d.pop("created_at", UNSET)

        created_by = d.pop("created_by", UNSET)

        state = d.pop("state", UNSET)

        def _parse_status(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        status = _parse_status(d.pop("status", UNSET))

        def _parse_committed_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        committed_at = _parse_committed_at(d.pop("committed_at", UNSET))

        def _parse_concluded_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        concluded_at = _parse_concluded_at(d.pop("concluded_at", UNSET))

        def _parse_retracted_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        retracted_at = _parse_retracted_at(d.pop("retracted_at", UNSET))

        title = d.pop("title", UNSET)

        slug = d.pop("slug", UNSET)

        owner_subject = d.pop("owner_subject", UNSET)

        def _parse_organization_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        organization_id = _parse_organization_id(d.pop("organization_id", UNSET))

        experiment_summary = cls(
            id=id,
            hypothesis_summary=hypothesis_summary,
            variation_count=variation_count,
            created_at=created_at,
            created_by=created_by,
            state=state,
            status=status,
            committed_at=committed_at,
            concluded_at=concluded_at,
            retracted_at=retracted_at,
            title=title,
            slug=slug,
            owner_subject=owner_subject,
            organization_id=organization_id,
        )

        experiment_summary.additional_properties = d
        return experiment_summary

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
