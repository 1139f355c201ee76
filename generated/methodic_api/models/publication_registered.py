from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.asset import Asset
    from ..models.publication_registered_parsed import PublicationRegisteredParsed


T = TypeVar("T", bound="PublicationRegistered")


@_attrs_define
class PublicationRegistered:
    """
    Attributes:
        publication (Asset | Unset):
        existing (bool | Unset):
        status (str | Unset): needs_resolution when BibTeX without a DOI matches registered titles.
        parsed (PublicationRegisteredParsed | Unset):
        candidates (list[Asset] | Unset):
    """

    publication: Asset | Unset = UNSET
    existing: bool | Unset = UNSET
    status: str | Unset = UNSET
    parsed: PublicationRegisteredParsed | Unset = UNSET
    candidates: list[Asset] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        publication: dict[str, Any] | Unset = UNSET
        if not isinstance(self.publication, Unset):
            publication = self.publication.to_dict()

        existing = self.existing

        status = self.status

        parsed: dict[str, Any] | Unset = UNSET
        if not isinstance(self.parsed, Unset):
            parsed = self.parsed.to_dict()

        candidates: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.candidates, Unset):
            candidates = []
            for componentsschemas_asset_list_item_data in self.candidates:
                componentsschemas_asset_list_item = componentsschemas_asset_list_item_data.to_dict()
                candidates.append(componentsschemas_asset_list_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if publication is not UNSET:
            field_dict["publication"] = publication
        if existing is not UNSET:
            field_dict["existing"] = existing
        if status is not UNSET:
            field_dict["status"] = status
        if parsed is not UNSET:
            field_dict["parsed"] = parsed
        if candidates is not UNSET:
            field_dict["candidates"] = candidates

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.asset import Asset  # noqa: PLC0415
        from ..models.publication_registered_parsed import PublicationRegisteredParsed  # noqa: PLC0415

        d = dict(src_dict)
        _publication = d.pop("publication", UNSET)
        publication: Asset | Unset
        if isinstance(_publication, Unset):
            publication = UNSET
        else:
            publication = Asset.from_dict(_publication)

        existing = d.pop("existing", UNSET)

        status = d.pop("status", UNSET)

        _parsed = d.pop("parsed", UNSET)
        parsed: PublicationRegisteredParsed | Unset
        if isinstance(_parsed, Unset):
            parsed = UNSET
        else:
            parsed = PublicationRegisteredParsed.from_dict(_parsed)

        _candidates = d.pop("candidates", UNSET)
        candidates: list[Asset] | Unset = UNSET
        if _candidates is not UNSET:
            candidates = []
            for componentsschemas_asset_list_item_data in _candidates:
                componentsschemas_asset_list_item = Asset.from_dict(componentsschemas_asset_list_item_data)

                candidates.append(componentsschemas_asset_list_item)

        publication_registered = cls(
            publication=publication,
            existing=existing,
            status=status,
            parsed=parsed,
            candidates=candidates,
        )

        publication_registered.additional_properties = d
        return publication_registered

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
