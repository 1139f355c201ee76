"""What organises the work around experiments: scopes, API keys, git repositories, tags and collections.

Import them from :mod:`methodic.types`. API keys and git tokens are secrets: their reprs never show them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from methodic._models import Record, list_field
from methodic._types.assets import AssetRecord
from methodic._types.experiments import ExperimentRecord


# -- scopes, keys and repositories ---------------------------------------------------------------------
class Scope(Record):
    """A scope you can act as: ``id``, ``kind`` (user, team, organization), ``name``, ``slug``."""

    __slots__ = ()
    id: str
    kind: str | None
    name: str | None
    slug: str | None
    organization_id: str | None


class ApiKey(Record):
    """An API key's record; ``.key`` (the secret) only in what create and rotate answer, never in a repr."""

    __slots__ = ()
    id: str
    name: str | None
    key_type: str | None
    created_at: str | None
    expires_at: str | None
    restriction: dict[str, Any] | None
    revoked_at: str | None
    key: str | None

    def __repr__(self) -> str:
        shown = {k: ("<secret>" if k == "key" else v) for k, v in self.items()}
        return f"ApiKey({shown!r})"


class GitStatus(Record):
    """An experiment's repository: ``state`` (pending, ready, failed, archived), ``repo_url``, ``branches``."""

    __slots__ = ()
    state: str | None
    default_branch: str | None
    repo_url: str | None
    failure_reason: str | None

    @property
    def branches(self) -> list[dict[str, Any]]:
        """The repository's branches (``name``, ``head_sha``, ``variation``)."""
        return list_field(self, "branches")


class GitToken(Record):
    """A one-hour install token for an experiment's repository; ``repr`` never shows the token."""

    __slots__ = ()
    token: str | None
    expires_at: str | None
    repo_url: str | None

    def __repr__(self) -> str:
        return f"GitToken(repo_url={self.repo_url!r}, expires_at={self.expires_at!r}, token=<secret>)"


# -- tags and collections ----------------------------------------------------------------------------
class Tag(Record):
    """A scope's keyword; tags compare by ``normalized`` (case and punctuation folded), so a name finds its tag."""

    __slots__ = ()
    id: str
    scope_id: str | None
    name: str | None
    normalized: str | None
    created_by: str | None
    created_at: str | None
    usage_count: int | None
    tagged_at: str | None


class Tagging(Record):
    """``tag_asset`` / ``tag_experiment``: the tag applied (``.created`` false when the object already had it)."""

    __slots__ = ()
    _nested: ClassVar[Mapping[str, type[Record]]] = {"tag": Tag}
    tag: Tag | None
    tag_id: str | None
    object_type: str | None
    object_id: str | None
    tagged_at: str | None
    created: bool | None


class Untagged(Record):
    """``untag_asset`` / ``untag_experiment``: ``.removed`` false when the object did not carry the tag."""

    __slots__ = ()
    tag_id: str | None
    object_type: str | None
    object_id: str | None
    removed: bool | None


class TagDeleted(Record):
    """``tags.delete``: the tag is gone, with ``.untagged`` taggings."""

    __slots__ = ()
    id: str | None
    deleted: bool | None
    untagged: int | None


class TaggedObjects(Record):
    """``tags.objects``: the assets and experiments carrying a tag, each record with its ``tagged_at``."""

    __slots__ = ()
    _nested: ClassVar[Mapping[str, type[Record]]] = {"assets": AssetRecord, "experiments": ExperimentRecord}

    @property
    def assets(self) -> list[AssetRecord]:
        """The tagged assets."""
        return list_field(self, "assets")

    @property
    def experiments(self) -> list[ExperimentRecord]:
        """The tagged experiments."""
        return list_field(self, "experiments")


class Collection(Record):
    """A named grouping of assets and experiments owned by a scope; the counts are of members that exist."""

    __slots__ = ()
    id: str
    name: str | None
    description: str | None
    scope_id: str | None
    created_by: str | None
    created_at: str | None
    updated_at: str | None
    archived: bool | None
    member_asset_count: int | None
    member_experiment_count: int | None


class CollectionMembers(Record):
    """``collections.members``: membership rows (``.assets``, ``.experiments``) of the members that exist."""

    __slots__ = ()

    @property
    def assets(self) -> list[dict[str, Any]]:
        """Asset memberships: ``asset_id``, ``name``, ``asset_type``, ``added_at``, ``added_by``."""
        return list_field(self, "assets")

    @property
    def experiments(self) -> list[dict[str, Any]]:
        """Experiment memberships: ``experiment_id``, ``title``, ``added_at``, ``added_by``."""
        return list_field(self, "experiments")


class MembershipChange(Record):
    """``collections.add`` (``.added``, ``.warnings``), ``remove`` (``.removed``), ``associate`` (``.associated``).

    A member (or collection) that could not be used is named in ``.warnings`` instead of failing the batch.
    """

    __slots__ = ()
    added: int | None
    removed: int | None
    associated: int | None

    @property
    def warnings(self) -> list[str]:
        """What was skipped, and why."""
        return list_field(self, "warnings")
