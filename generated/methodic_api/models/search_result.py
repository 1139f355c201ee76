from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="SearchResult")


@_attrs_define
class SearchResult:
    """
    Attributes:
        document_id (str): The asset id for documents, the experiment id for experiments.
        source_type (str | Unset): "asset" or "experiment".
        relevance_score (float | Unset): Higher is more relevant.
        lineage_boost (bool | Unset): Whether experiment_context's lineage raised this result.
        asset_type (None | str | Unset):
        title (None | str | Unset):
        snippet (None | str | Unset):
        experiment_ids (list[str] | Unset):
        created_at (None | str | Unset):
    """

    document_id: str
    source_type: str | Unset = UNSET
    relevance_score: float | Unset = UNSET
    lineage_boost: bool | Unset = UNSET
    asset_type: None | str | Unset = UNSET
    title: None | str | Unset = UNSET
    snippet: None | str | Unset = UNSET
    experiment_ids: list[str] | Unset = UNSET
    created_at: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        document_id = self.document_id

        source_type = self.source_type

        relevance_score = self.relevance_score

        lineage_boost = self.lineage_boost

        asset_type: None | str | Unset
        if isinstance(self.asset_type, Unset):
            asset_type = UNSET
        else:
            asset_type = self.asset_type

        title: None | str | Unset
        if isinstance(self.title, Unset):
            title = UNSET
        else:
            title = self.title

        snippet: None | str | Unset
        if isinstance(self.snippet, Unset):
            snippet = UNSET
        else:
            snippet = self.snippet

        experiment_ids: list[str] | Unset = UNSET
        if not isinstance(self.experiment_ids, Unset):
            experiment_ids = self.experiment_ids

        created_at: None | str | Unset
        if isinstance(self.created_at, Unset):
            created_at = UNSET
        else:
            created_at = self.created_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "document_id": document_id,
            }
        )
        if source_type is not UNSET:
            field_dict["source_type"] = source_type
        if relevance_score is not UNSET:
            field_dict["relevance_score"] = relevance_score
        if lineage_boost is not UNSET:
            field_dict["lineage_boost"] = lineage_boost
        if asset_type is not UNSET:
            field_dict["asset_type"] = asset_type
        if title is not UNSET:
            field_dict["title"] = title
        if snippet is not UNSET:
            field_dict["snippet"] = snippet
        if experiment_ids is not UNSET:
            field_dict["experiment_ids"] = experiment_ids
        if created_at is not UNSET:
            field_dict["created_at"] = created_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        document_id = d.pop("document_id")

        source_type = d.pop("source_type", UNSET)

        relevance_score = d.pop("relevance_score", UNSET)

        lineage_boost = d.pop("lineage_boost", UNSET)

        def _parse_asset_type(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        asset_type = _parse_asset_type(d.pop("asset_type", UNSET))

        def _parse_title(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        title = _parse_title(d.pop("title", UNSET))

        def _parse_snippet(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        snippet = _parse_snippet(d.pop("snippet", UNSET))

        experiment_ids = cast(list[str], d.pop("experiment_ids", UNSET))

        def _parse_created_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        created_at = _parse_created_at(d.pop("created_at", UNSET))

        search_result = cls(
            document_id=document_id,
            source_type=source_type,
            relevance_score=relevance_score,
            lineage_boost=lineage_boost,
            asset_type=asset_type,
            title=title,
            snippet=snippet,
            experiment_ids=experiment_ids,
            created_at=created_at,
        )

        search_result.additional_properties = d
        return search_result

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
