from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="SearchResult")


@_attrs_define
class SearchResult:
    """
    Attributes:
        document_id (str): The asset id for documents
        document_type (str): "asset" or "experiment".
        title (str):
        snippet (str):
        score (float): Higher is more relevant.
        relevance_score (float): The same as score
        asset_type (None | str):
        experiment_id (None | str):
    """

    document_id: str
    document_type: str
    title: str
    snippet: str
    score: float
    relevance_score: float
    asset_type: None | str
    experiment_id: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        document_id = self.document_id

        document_type = self.document_type

        title = self.title

        snippet = self.snippet

        score = self.score

        relevance_score = self.relevance_score

        asset_type: None | str
        asset_type = self.asset_type

        experiment_id: None | str
        experiment_id = self.experiment_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "document_id": document_id,
                "document_type": document_type,
                "title": title,
                "snippet": snippet,
                "score": score,
                "relevance_score": relevance_score,
                "asset_type": asset_type,
                "experiment_id": experiment_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        document_id = d.pop("document_id")

        document_type = d.pop("document_type")

        title = d.pop("title")

        snippet = d.pop("snippet")

        score = d.pop("score")

        relevance_score = d.pop("relevance_score")

        def _parse_asset_type(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        asset_type = _parse_asset_type(d.pop("asset_type"))

        def _parse_experiment_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        experiment_id = _parse_experiment_id(d.pop("experiment_id"))

        search_result = cls(
            document_id=document_id,
            document_type=document_type,
            title=title,
            snippet=snippet,
            score=score,
            relevance_score=relevance_score,
            asset_type=asset_type,
            experiment_id=experiment_id,
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
