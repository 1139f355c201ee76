from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.git_status_branches_item import GitStatusBranchesItem


T = TypeVar("T", bound="GitStatus")


@_attrs_define
class GitStatus:
    """
    Attributes:
        state (str | Unset):
        default_branch (str | Unset):
        repo_url (None | str | Unset):
        failure_reason (None | str | Unset):
        branches (list[GitStatusBranchesItem] | Unset):
    """

    state: str | Unset = UNSET
    default_branch: str | Unset = UNSET
    repo_url: None | str | Unset = UNSET
    failure_reason: None | str | Unset = UNSET
    branches: list[GitStatusBranchesItem] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        state = self.state

        default_branch = self.default_branch

        repo_url: None | str | Unset
        if isinstance(self.repo_url, Unset):
            repo_url = UNSET
        else:
            repo_url = self.repo_url

        failure_reason: None | str | Unset
        if isinstance(self.failure_reason, Unset):
            failure_reason = UNSET
        else:
            failure_reason = self.failure_reason

        branches: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.branches, Unset):
            branches = []
            for branches_item_data in self.branches:
                branches_item = branches_item_data.to_dict()
                branches.append(branches_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if state is not UNSET:
            field_dict["state"] = state
        if default_branch is not UNSET:
            field_dict["default_branch"] = default_branch
        if repo_url is not UNSET:
            field_dict["repo_url"] = repo_url
        if failure_reason is not UNSET:
            field_dict["failure_reason"] = failure_reason
        if branches is not UNSET:
            field_dict["branches"] = branches

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.git_status_branches_item import GitStatusBranchesItem  # noqa: PLC0415

        d = dict(src_dict)
        state = d.pop("state", UNSET)

        default_branch = d.pop("default_branch", UNSET)

        def _parse_repo_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        repo_url = _parse_repo_url(d.pop("repo_url", UNSET))

        def _parse_failure_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        failure_reason = _parse_failure_reason(d.pop("failure_reason", UNSET))

        _branches = d.pop("branches", UNSET)
        branches: list[GitStatusBranchesItem] | Unset = UNSET
        if _branches is not UNSET:
            branches = []
            for branches_item_data in _branches:
                branches_item = GitStatusBranchesItem.from_dict(branches_item_data)

                branches.append(branches_item)

        git_status = cls(
            state=state,
            default_branch=default_branch,
            repo_url=repo_url,
            failure_reason=failure_reason,
            branches=branches,
        )

        git_status.additional_properties = d
        return git_status

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
