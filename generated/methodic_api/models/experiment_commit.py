from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.experiment_commit_tentative_links import ExperimentCommitTentativeLinks


T = TypeVar("T", bound="ExperimentCommit")


@_attrs_define
class ExperimentCommit:
    """
    Attributes:
        tentative_links (ExperimentCommitTentativeLinks | Unset): Parent id → "promote" or "drop", for parents that were
            still open at create.
    """

    tentative_links: ExperimentCommitTentativeLinks | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        tentative_links: dict[str, Any] | Unset = UNSET
        if not isinstance(self.tentative_links, Unset):
            tentative_links = self.tentative_links.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if tentative_links is not UNSET:
            field_dict["tentative_links"] = tentative_links

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.experiment_commit_tentative_links import ExperimentCommitTentativeLinks  # noqa: PLC0415

        d = dict(src_dict)
        _tentative_links = d.pop("tentative_links", UNSET)
        tentative_links: ExperimentCommitTentativeLinks | Unset
        if isinstance(_tentative_links, Unset):
            tentative_links = UNSET
        else:
            tentative_links = ExperimentCommitTentativeLinks.from_dict(_tentative_links)

        experiment_commit = cls(
            tentative_links=tentative_links,
        )

        experiment_commit.additional_properties = d
        return experiment_commit

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
