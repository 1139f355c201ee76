from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="UpstreamRetraction")


@_attrs_define
class UpstreamRetraction:
    """
    Attributes:
        experiment_id (str):
        retracted_at (str | Unset):
        reason (None | str | Unset):
        depth (int | Unset): 1 for a direct parent.
        variation (int | None | Unset): Set when a variation of the ancestor is retracted, not the ancestor.
        document_asset_id (None | str | Unset):
        chain (list[str] | None | Unset): Experiment ids from this one to the retracted one (full_chain).
        title (str | Unset):
    """

    experiment_id: str
    retracted_at: str | Unset = UNSET
    reason: None | str | Unset = UNSET
    depth: int | Unset = UNSET
    variation: int | None | Unset = UNSET
    document_asset_id: None | str | Unset = UNSET
    chain: list[str] | None | Unset = UNSET
    title: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        experiment_id = self.experiment_id

        retracted_at = self.retracted_at

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        depth = self.depth

        variation: int | None | Unset
        if isinstance(self.variation, Unset):
            variation = UNSET
        else:
            variation = self.variation

        document_asset_id: None | str | Unset
        if isinstance(self.document_asset_id, Unset):
            document_asset_id = UNSET
        else:
            document_asset_id = self.document_asset_id

        chain: list[str] | None | Unset
        if isinstance(self.chain, Unset):
            chain = UNSET
        elif isinstance(self.chain, list):
            chain = self.chain

        else:
            chain = self.chain

        title = self.title

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "experiment_id": experiment_id,
            }
        )
        if retracted_at is not UNSET:
            field_dict["retracted_at"] = retracted_at
        if reason is not UNSET:
            field_dict["reason"] = reason
        if depth is not UNSET:
            field_dict["depth"] = depth
        if variation is not UNSET:
            field_dict["variation"] = variation
        if document_asset_id is not UNSET:
            field_dict["document_asset_id"] = document_asset_id
        if chain is not UNSET:
            field_dict["chain"] = chain
        if title is not UNSET:
            field_dict["title"] = title

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        experiment_id = d.pop("experiment_id")

        retracted_at = d.pop("retracted_at", UNSET)

        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        depth = d.pop("depth", UNSET)

        def _parse_variation(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        variation = _parse_variation(d.pop("variation", UNSET))

        def _parse_document_asset_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        document_asset_id = _parse_document_asset_id(d.pop("document_asset_id", UNSET))

        def _parse_chain(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                chain_type_0 = cast(list[str], data)

                return chain_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        chain = _parse_chain(d.pop("chain", UNSET))

        title = d.pop("title", UNSET)

        upstream_retraction = cls(
            experiment_id=experiment_id,
            retracted_at=retracted_at,
            reason=reason,
            depth=depth,
            variation=variation,
            document_asset_id=document_asset_id,
            chain=chain,
            title=title,
        )

        upstream_retraction.additional_properties = d
        return upstream_retraction

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
