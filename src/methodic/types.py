"""Response types: every API result is a :class:`~methodic._models.Record` (a ``dict`` that reads by attribute).

The fields each class declares are the ones the hosted Chronicle sends and the SDK documents; a record
keeps every other key the server sends too, and a declared field the server left out reads as ``None``
(list fields as ``[]``). UUIDs and timestamps stay strings, free-form JSON stays dicts, and states stay
plain strings, so a state this client does not know yet never breaks anything.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, ClassVar, overload

from methodic._constants import TERMINAL_RUN_STATES
from methodic._models import R, Record


class RunState:
    """Known run states. The server may add more; compare with strings, never assume this list is complete."""

    PENDING = "pending"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED_CRASH = "failed_crash"
    FAILED_ABANDONED = "failed_abandoned"
    LOST = "lost"
    FAILED_LOST = "failed_lost"
    TERMINAL = TERMINAL_RUN_STATES


def _reads_through(inner: type[Record], name: str) -> bool:
    """Whether an envelope's ``name`` is a field (declared or a property) of the record it wraps."""
    return name in inner._fields() or isinstance(getattr(inner, name, None), property)


def _as(kind: type[R], value: Any) -> R:
    """``value`` as a record of ``kind`` (an empty one when it is not an object)."""
    if isinstance(value, kind):
        return value
    return kind(value if isinstance(value, Mapping) else {})


def _list(record: Mapping[str, Any], key: str) -> list[Any]:
    value = record.get(key)
    return value if isinstance(value, list) else []


# -- experiments -------------------------------------------------------------------------------------
class ExperimentRecord(Record):
    """An experiment as the server describes it (``get``'s ``.experiment``, lineage nodes)."""

    __slots__ = ()
    id: str
    owner_subject: str | None
    title: str | None
    slug: str | None
    hypothesis_summary: str | None
    state: str | None
    rationale: str | None
    description: str | None
    config_yaml: str | None
    accelerate_config_yaml: str | None
    launch_config: dict[str, Any] | None
    wandb_project: str | None
    created_at: str | None
    created_by: str | None
    committed_at: str | None
    concluded_at: str | None
    retracted_at: str | None
    retraction_reason: str | None
    git_repo_state: str | None
    git_repo_url: str | None
    organization_id: str | None
    team_id: str | None
    visibility: str | None
    depth: int | None

    @property
    def retracted(self) -> bool:
        """Whether the experiment is retracted (a flag beside its state)."""
        return bool(self.get("retracted") or self.get("retracted_at"))

    @property
    def parent_experiment_ids(self) -> list[str]:
        """Explicit parents, where the server lists them on the experiment."""
        return _list(self, "parent_experiment_ids")


class ExperimentSummary(ExperimentRecord):
    """One row of ``experiments.list``/``iter``."""

    __slots__ = ()
    variation_count: int | None
    status: str | None


class VariationSummary(Record):
    """A variation as ``experiments.get`` summarises it."""

    __slots__ = ()
    variation: int
    created_at: str | None
    run_count: int | None
    state: str | None
    description: str | None
    latest_status: str | None
    committed_at: str | None
    retracted_at: str | None
    name: str | None
    hypothesis: str | None


class ExperimentDetail(Record):
    """``experiments.get``: ``.experiment``, ``.parent_ids`` and ``.variations``.

    It also reads like the experiment for its fields (``detail.state`` is ``detail.experiment.state``), as
    hosted-SDK code uses it both ways.
    """

    __slots__ = ()
    _nested: ClassVar[Mapping[str, type[Record]]] = {"experiment": ExperimentRecord, "variations": VariationSummary}
    experiment: ExperimentRecord

    @property
    def parent_ids(self) -> list[str]:
        """Explicit parents (tentative links are not lineage until promoted)."""
        return _list(self, "parent_ids")

    @property
    def variations(self) -> list[VariationSummary]:
        """A summary of each variation."""
        return _list(self, "variations")

    def __getattr__(self, name: str) -> Any:
        if not name.startswith("_") and name not in self and _reads_through(ExperimentRecord, name):
            return getattr(_as(ExperimentRecord, self.get("experiment")), name)
        return super().__getattr__(name)


class TentativeParentLink(Record):
    """A parent that was still open when linked: resolve it at commit, or promote it once it commits."""

    __slots__ = ()
    parent_id: str
    parent_state: str | None
    promotable: bool | None


class ExperimentCreated(Record):
    """What ``POST /v1/experiments`` answers: the id, the seeded variation and run, and tentative parents."""

    __slots__ = ()
    _nested: ClassVar[Mapping[str, type[Record]]] = {
        "tentative_parents": TentativeParentLink,
        "experiment": ExperimentRecord,
    }
    experiment_id: str
    variation: int | None
    run: int | None
    experiment: ExperimentRecord | None

    @property
    def tentative_parents(self) -> list[TentativeParentLink]:
        """Parents that were still open; commit must promote or drop each."""
        return _list(self, "tentative_parents")


class ExperimentPage(Record):
    """One page of ``experiments.list``: ``.results`` and the ``.next_page_token`` to pass back (None: the end)."""

    __slots__ = ()
    _nested: ClassVar[Mapping[str, type[Record]]] = {"results": ExperimentSummary}
    next_page_token: str | None

    @property
    def results(self) -> list[ExperimentSummary]:
        """The experiments of this page, newest first."""
        return _list(self, "results")


class LineageResponse(Record):
    """``get_lineage``: ``.ancestors`` and ``.descendants``, each a full experiment with its ``depth``."""

    __slots__ = ()
    _nested: ClassVar[Mapping[str, type[Record]]] = {"ancestors": ExperimentRecord, "descendants": ExperimentRecord}
    experiment_id: str | None

    @property
    def ancestors(self) -> list[ExperimentRecord]:
        """Parents, grandparents, ... nearest first."""
        return _list(self, "ancestors")

    @property
    def descendants(self) -> list[ExperimentRecord]:
        """Children, grandchildren, ... nearest first."""
        return _list(self, "descendants")


class UpstreamRetraction(Record):
    """A retracted ancestor (or a retracted variation of one, with ``variation`` set)."""

    __slots__ = ()
    experiment_id: str
    retracted_at: str | None
    reason: str | None
    depth: int | None
    variation: int | None
    document_asset_id: str | None
    chain: list[str] | None
    title: str | None


class UpstreamRetractionsResponse(Record):
    """``get_upstream_retractions``: ``.has_retractions`` and ``.retractions``."""

    __slots__ = ()
    _nested: ClassVar[Mapping[str, type[Record]]] = {"retractions": UpstreamRetraction}

    @property
    def has_retractions(self) -> bool:
        """Whether any ancestor (or a variation of one) is retracted."""
        return bool(self.get("has_retractions") or self.retractions)

    @property
    def retractions(self) -> list[UpstreamRetraction]:
        """The retractions, nearest first."""
        return _list(self, "retractions")


class RetractResult(Record):
    """``experiments.retract``: the experiment and how many outputs were invalidated."""

    __slots__ = ()
    _nested: ClassVar[Mapping[str, type[Record]]] = {"experiment": ExperimentRecord}
    experiment: ExperimentRecord | None
    outputs_invalidated: int | None


class DeleteSummary(Record):
    """``experiments.delete``: what was removed."""

    __slots__ = ()
    id: str | None
    deleted: bool | None
    variations_removed: int | None
    runs_removed: int | None
    links_removed: int | None


# -- variations and runs -----------------------------------------------------------------------------
class VariationRecord(Record):
    """A variation with its config: what ``variations.get`` and ``run.get_variation_config()`` return.

    ``config_json`` is a plain dict (``train(**cfg["config_json"])`` works); ``{}`` when the server sent none.
    """

    __slots__ = ()
    experiment_id: str | None
    variation: int
    config_yaml: str | None
    created_at: str | None
    created_by: str | None
    state: str | None
    accelerate_config_json: dict[str, Any] | None
    accelerate_config_yaml: str | None
    launch_config: dict[str, Any] | None
    description: str | None
    committed_at: str | None
    retracted_at: str | None
    retraction_reason: str | None
    git_ref: str | None
    git_sha: str | None
    name: str | None
    hypothesis: str | None
    expected_outcome: str | None
    run_count: int | None
    latest_status: str | None

    def __init__(self, data: Mapping[str, Any] | None = None, /, **extra: Any) -> None:
        super().__init__(data, **extra)
        if not isinstance(self.get("config_json"), dict):  # train(**cfg["config_json"]) works whatever was sent
            dict.__setitem__(self, "config_json", {})

    @property
    def config_json(self) -> dict[str, Any]:
        """The config YAML parsed into JSON ({} when it is not a mapping or was not sent)."""
        value = self["config_json"]
        return value if isinstance(value, dict) else {}

    @property
    def input_asset_ids(self) -> list[str]:
        """The variation's own inputs."""
        return _list(self, "input_asset_ids")


#: ``run.get_variation_config()`` is the variation itself (the hosted wire reads the config there).
VariationConfig = VariationRecord


class VariationRetractResult(Record):
    """``variations.retract``: the variation and how many of its outputs were invalidated."""

    __slots__ = ()
    _nested: ClassVar[Mapping[str, type[Record]]] = {"variation": VariationRecord}
    variation: VariationRecord | None
    outputs_invalidated: int | None


class RunRecord(Record):
    """A run's state and timestamps (``run.get_status()``; lifecycle calls answer with it, or with nothing)."""

    __slots__ = ()
    experiment_id: str | None
    variation: int | None
    run: int | None
    state: str | None
    created_at: str | None
    started_at: str | None
    finished_at: str | None
    last_heartbeat_at: str | None
    failure_reason: str | None
    wandb_run_id: str | None
    wandb_entity: str | None
    wandb_project: str | None
    wandb_dashboard_url: str | None


# -- assets ------------------------------------------------------------------------------------------
class AssetRecord(Record):
    """An asset as the server described it: ``asset["id"]`` and ``asset.id`` both work.

    With ``include_presigned=True`` it carries ``presigned_urls`` (component → ``{"url": ...}``), which
    are secrets: the repr hides their signatures.
    """

    __slots__ = ()
    id: str
    uri: str | None
    asset_type: str | None
    name: str | None
    state: str | None
    content_type: str | None
    content: Any
    sha256: str | None
    asset_config: dict[str, Any] | None
    experiment_id: str | None
    variation: int | None
    run: int | None
    deprecated: bool | None
    deprecation_reason: str | None
    invalidated: bool | None
    invalidation_reason: str | None
    created_at: str | None
    created_by: str | None
    finalized_at: str | None
    expires_at: str | None
    expired_at: str | None
    organization_id: str | None
    team_id: str | None
    visibility: str | None

    @property
    def components(self) -> list[dict[str, Any]]:
        """One dict per component: ``name``, ``size_bytes``, ``sha256`` (and ``part_size`` when stored in parts)."""
        return [c for c in _list(self, "components") if isinstance(c, dict)]

    @property
    def tags(self) -> list[str]:
        """Tag names."""
        return _list(self, "tags")

    @property
    def pending_reasons(self) -> list[str]:
        """Why a pending asset is not ready yet: ``upload_in_progress`` (finalize), ``review_required`` (approve)."""
        return _list(self, "pending_reasons")

    @property
    def presigned_urls(self) -> dict[str, dict[str, Any]]:
        """Component → ``{"url": ...}`` (only with ``include_presigned=True``). Secret."""
        value = self.get("presigned_urls")
        return Record({k: v for k, v in value.items() if isinstance(v, dict)} if isinstance(value, dict) else {})

    @property
    def download_urls(self) -> dict[str, str]:
        """Component → read URL, from ``presigned_urls``. Secret."""
        return Record({k: str(v["url"]) for k, v in self.presigned_urls.items() if v.get("url")})  # repr redacts


class AssetCreated(Record):
    """What creating an asset answers: ``result["asset"]["id"]`` (the wire envelope) or ``result.id``.

    The asset's own fields read through (``result.id``, ``result.state``); presign's ``upload_urls`` list and
    ``upload`` route are the raw wire values (``create_with_presigned`` turns them into a
    :class:`PresignedUpload`).
    """

    __slots__ = ()
    _nested: ClassVar[Mapping[str, type[Record]]] = {"asset": AssetRecord}
    asset: AssetRecord

    def __getattr__(self, name: str) -> Any:
        if not name.startswith("_") and name not in self and _reads_through(AssetRecord, name):
            return getattr(_as(AssetRecord, self.get("asset")), name)
        return super().__getattr__(name)


#: The older name of the inline-create result.
CreatedAsset = AssetCreated


class PresignedUpload(Record):
    """A pending asset and where to PUT each component: ``.asset_id``, ``.upload_urls`` (component → URL).

    ``via`` is the route the server chose (``"gcs"``: presigned PUTs; ``"r2"``: the storage gateway, which
    takes the API key), ``max_part_bytes`` the gateway's part limit. The URLs are secrets.
    """

    __slots__ = ()
    _nested: ClassVar[Mapping[str, type[Record]]] = {"asset": AssetRecord}
    asset_id: str
    asset_uri: str | None
    upload_urls: dict[str, str]
    via: str
    max_part_bytes: int | None
    expires_at: str | None
    asset: AssetRecord | None


class PresignedUrls(Record):
    """``assets.presign``: component → ``{"url": ...}`` as the hosted wire has it; ``.urls`` maps to the URL alone.

    ``.expires_at`` and ``.upload`` (the route, for upload URLs) are kept beside the mapping. Secret.
    """

    __slots__ = ("expires_at", "upload")

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        /,
        *,
        expires_at: str | None = None,
        upload: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__({k: v for k, v in (data or {}).items() if isinstance(v, Mapping)})
        self.expires_at = expires_at
        self.upload = dict(upload) if isinstance(upload, Mapping) else None

    def __reduce__(self) -> tuple[Any, ...]:
        return (partial(PresignedUrls, expires_at=self.expires_at, upload=self.upload), (dict(self),))

    def __deepcopy__(self, memo: dict[int, Any]) -> PresignedUrls:
        return PresignedUrls(self.to_dict(), expires_at=self.expires_at, upload=self.upload)

    @property
    def urls(self) -> dict[str, str]:
        """Component → URL."""
        return Record({k: str(v["url"]) for k, v in self.items() if v.get("url")})  # repr redacts


class AssetDeleted(Record):
    """``assets.delete``: ``{id, deleted}``."""

    __slots__ = ()
    id: str | None
    deleted: bool | None


class InputUnlinked(Record):
    """What unlinking an input answers."""

    __slots__ = ()
    experiment_id: str | None
    variation: int | None
    asset_id: str | None


class InputsLinked(Record):
    """What linking inputs answers: the asset ids linked."""

    __slots__ = ()
    _nested: ClassVar[Mapping[str, type[Record]]] = {"linked": AssetRecord}
    experiment_id: str | None
    variation: int | None

    @property
    def asset_ids(self) -> list[str]:
        """The asset ids now linked."""
        return _list(self, "asset_ids")


# -- search and me -----------------------------------------------------------------------------------
class SearchResult(Record):
    """One hit: ``document_id``, ``source_type``, ``relevance_score``, ``title``, ``snippet``, ..."""

    __slots__ = ()
    document_id: str
    source_type: str | None
    relevance_score: float | None
    lineage_boost: bool | None
    asset_type: str | None
    title: str | None
    snippet: str | None
    created_at: str | None

    @property
    def experiment_ids(self) -> list[str]:
        """The experiments the document belongs to."""
        return _list(self, "experiment_ids")

    @property
    def score(self) -> float | None:
        """``relevance_score`` under a shorter name."""
        value = self.get("relevance_score", self.get("score"))
        return float(value) if isinstance(value, (int, float)) else None


class SearchResponse(Record):
    """One page of search results: ``.results``, ``.total_size`` and ``.next_page_token`` (None: the end)."""

    __slots__ = ()
    _nested: ClassVar[Mapping[str, type[Record]]] = {"results": SearchResult}
    total_size: int | None
    next_page_token: str | None

    @property
    def results(self) -> list[SearchResult]:
        """The hits of this page, best first."""
        return _list(self, "results")


class Scope(Record):
    """A scope you can act as: ``id``, ``kind`` (user, team, organization), ``name``, ``slug``."""

    __slots__ = ()
    id: str
    kind: str | None
    name: str | None
    slug: str | None
    organization_id: str | None


# -- findings and lessons ----------------------------------------------------------------------------
class Finding(Record):
    """One variation's "what is working" signal on the experiment's running summary."""

    __slots__ = ()
    id: str
    status: str | None
    summary: str | None
    evidence_variation: int | None
    evidence_run: int | None
    source_asset_id: str | None
    recorded_at: str | None
    recorded_by: str | None
    validation: dict[str, Any] | None
    dismissal: dict[str, Any] | None


class RunningSummary(Record):
    """``record_finding`` / ``dismiss_validation``: the experiment's findings, one per evidence variation."""

    __slots__ = ()
    _nested: ClassVar[Mapping[str, type[Record]]] = {"findings": Finding}
    version: int | None
    updated_at: str | None

    @property
    def findings(self) -> list[Finding]:
        """The findings, by evidence variation."""
        return _list(self, "findings")


class Lesson(Record):
    """A research lesson: a corrected assumption (``inherited_from`` names the ancestor a listed one comes from)."""

    __slots__ = ()
    id: str
    experiment_id: str | None
    title: str | None
    origin: str | None
    category: str | None
    body: dict[str, Any] | None
    body_md: str | None
    variation: int | None
    evidence: dict[str, Any] | None
    status: str | None
    created_at: str | None
    updated_at: str | None
    retired_at: str | None
    retire_reason: str | None
    superseded_by: str | None
    inherited_from: str | None


class ScopeLessons(Record):
    """``lessons.list``: ``.lessons`` and ``.experiments`` (``{id, title}`` of each contributing experiment)."""

    __slots__ = ()
    _nested: ClassVar[Mapping[str, type[Record]]] = {"lessons": Lesson}

    @property
    def lessons(self) -> list[Lesson]:
        """The lessons, newest first."""
        return _list(self, "lessons")

    @property
    def experiments(self) -> list[dict[str, Any]]:
        """The experiments the lessons come from, with their titles."""
        return _list(self, "experiments")


class ResearchPrompt(Record):
    """A research prompt: a high-level, immutable research goal."""

    __slots__ = ()
    id: str
    prompt: str | None
    created_at: str | None
    created_by: str | None


class ResearchPromptLink(Record):
    """One of an experiment's prompts: ``.research_prompt`` and whether it is the primary one."""

    __slots__ = ()
    _nested: ClassVar[Mapping[str, type[Record]]] = {"research_prompt": ResearchPrompt}
    research_prompt: ResearchPrompt | None
    is_primary: bool | None


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
        return _list(self, "branches")


class GitToken(Record):
    """A one-hour install token for an experiment's repository; ``repr`` never shows the token."""

    __slots__ = ()
    token: str | None
    expires_at: str | None
    repo_url: str | None

    def __repr__(self) -> str:
        return f"GitToken(repo_url={self.repo_url!r}, expires_at={self.expires_at!r}, token=<secret>)"


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


class Erratum(Record):
    """A correction: ``.asset`` (its ``errata_report``), ``.target`` (what it corrects), who and when."""

    __slots__ = ()
    _nested: ClassVar[Mapping[str, type[Record]]] = {"asset": AssetRecord}
    asset: AssetRecord | None
    target: dict[str, Any] | None
    created_by: str | None
    created_at: str | None


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
        return _list(self, "assets")

    @property
    def experiments(self) -> list[ExperimentRecord]:
        """The tagged experiments."""
        return _list(self, "experiments")


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
        return _list(self, "assets")

    @property
    def experiments(self) -> list[dict[str, Any]]:
        """Experiment memberships: ``experiment_id``, ``title``, ``added_at``, ``added_by``."""
        return _list(self, "experiments")


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
        return _list(self, "warnings")


class BulkApproval(Record):
    """``assets.bulk_approve``: one row per asset (``asset_id``, ``status``, ``error``, ``finalized``) and counts."""

    __slots__ = ()
    approved: int | None
    failed: int | None

    @property
    def results(self) -> list[dict[str, Any]]:
        """The rows, in the order asked."""
        return _list(self, "results")


class PublicationRegistration(Record):
    """``register``: ``{publication, existing}``, or ``{status: "needs_resolution", parsed, candidates}``."""

    __slots__ = ()
    existing: bool | None
    status: str | None

    @property
    def publication(self) -> AssetRecord | None:
        """The registered (or found) publication; None when the server asks to choose among candidates."""
        value = self.get("publication")
        return AssetRecord(value) if isinstance(value, dict) else None

    @property
    def candidates(self) -> list[AssetRecord]:
        """Registered publications whose title matches BibTeX without a DOI: cite one, or register anew."""
        value = self.get("candidates")
        return [AssetRecord(item) for item in value if isinstance(item, dict)] if isinstance(value, list) else []


# -- results the SDK itself builds (not wire shapes, the same model) --------------------------------
class ResumeOutcome(Record):
    """What a resume did for one asset of the tracker: ``asset_id``, ``asset_type``, ``status``, ``detail``, ``asset``.

    ``status`` is ``finalized`` (this resume finished it), ``already_ready`` (finalized before the
    crash), ``partial`` (a distributed asset: this node's components are all in storage, another
    node's are not yet; whichever finishes last finalizes), ``abandoned`` (the server gave up on it:
    its run failed first), ``unrecoverable`` (a registered file changed or vanished) or ``failed``
    (still failing, e.g. storage unreachable: a later resume tries again). ``finalized``,
    ``already_ready`` and ``partial`` count as rescued (nothing more can be done here); abandoned and
    unrecoverable assets are marked dead in the tracker, so later resumes skip them.

    ``.errors`` holds the exceptions, as (component or label, exception) pairs; ``["errors"]`` their
    text (``{"component", "error"}`` each), so ``json.dumps(outcome.to_dict())`` works.
    """

    __slots__ = ("errors",)
    _nested: ClassVar[Mapping[str, type[Record]]] = {"asset": AssetRecord}
    asset_id: str
    asset_type: str | None
    status: str
    detail: str | None
    asset: AssetRecord | None

    def __init__(
        self, data: Mapping[str, Any] | None = None, /, *, errors: Sequence[tuple[str, BaseException]] = ()
    ) -> None:
        described = [{"component": label, "error": f"{type(exc).__name__}: {exc}"} for label, exc in errors]
        super().__init__({"detail": "", "asset": None, **(data or {}), **({"errors": described} if errors else {})})
        self.errors: tuple[tuple[str, BaseException], ...] = tuple(errors)

    @classmethod
    def of(
        cls,
        asset_id: str,
        asset_type: str,
        status: str,
        detail: str = "",
        *,
        asset: AssetRecord | None = None,
        errors: Sequence[tuple[str, BaseException]] = (),
    ) -> ResumeOutcome:
        """The outcome of one asset (how the engine writes it)."""
        fields = {"asset_id": asset_id, "asset_type": asset_type, "status": status, "detail": detail, "asset": asset}
        return cls(fields, errors=errors)

    @property
    def rescued(self) -> bool:
        """Whether everything this tracker holds of the asset is done (ready, or in storage for a distributed one)."""
        return self.get("status") in ("finalized", "already_ready", "partial")

    def __reduce__(self) -> tuple[Any, ...]:
        return (partial(ResumeOutcome, errors=self.errors), (dict(self),))

    def __deepcopy__(self, memo: dict[int, Any]) -> ResumeOutcome:
        return ResumeOutcome(self.to_dict(), errors=self.errors)


class DownloadedCheckpoint(Record):
    """A checkpoint in place on this node: ``path``, the ``asset_id`` it came from, the ``step`` it was saved at.

    ``config`` is its ``asset_config`` (``weights_only``, ``epoch``, ``metrics``...), so a framework can tell
    what kind of checkpoint it resumes from. ``.path`` is a :class:`~pathlib.Path`; ``["path"]`` its string.
    """

    __slots__ = ()
    asset_id: str
    step: int | None

    @classmethod
    def of(
        cls, path: Path | str, asset_id: str, step: int | None, config: Mapping[str, Any] | None = None
    ) -> DownloadedCheckpoint:
        """Where a chosen checkpoint goes (how the integrations write it)."""
        return cls({"path": str(path), "asset_id": asset_id, "step": step, "config": dict(config or {})})

    @property
    def path(self) -> Path:
        """The checkpoint's folder on this node."""
        return Path(str(self.get("path") or ""))

    @property
    def config(self) -> dict[str, Any]:
        """The checkpoint's ``asset_config`` (a plain dict; ``{}`` when it had none)."""
        value = self.get("config")
        return value if isinstance(value, dict) else {}


# -- transfer engine values (not wire shapes) --------------------------------------------------------
class ComponentDigest(str):
    """What one file's transfer proved: its hex sha256 (the ``str`` value itself), ``.size`` and ``.part_size``.

    The one digest type. ``upload_component`` returns it, and hosted-SDK code puts it straight into the
    ``sha256s`` it finalizes with (a ``str``, equal to the hex digest, JSON-encoded as one);
    ``assets.finalize(components=...)`` takes it with its size. ``part_size`` is set when the file went up
    in parts and ``sha256`` is storage's part-wise checksum. Two digests are equal when hex, size and
    part size all are; a digest equals a plain string when the hex does. Immutable.

    Built as ``ComponentDigest(size, sha256)`` (or by keyword), or, under its hosted-SDK name,
    ``FileSha256(sha256, size=...)``.
    """

    size: int
    part_size: int | None

    @overload
    def __new__(cls, size: int, sha256: str, part_size: int | None = None) -> ComponentDigest: ...

    @overload
    def __new__(cls, sha256: str, *, size: int, part_size: int | None = None) -> ComponentDigest: ...

    @overload
    def __new__(cls, *, size: int, sha256: str, part_size: int | None = None) -> ComponentDigest: ...

    def __new__(cls, *args: Any, **kwargs: Any) -> ComponentDigest:  # noqa: D102
        if args and isinstance(args[0], str):  # FileSha256(sha256, size=...)
            named = dict(zip(("sha256", "size", "part_size"), args, strict=False)) | kwargs
        else:  # ComponentDigest(size, sha256, part_size), or by keyword
            named = dict(zip(("size", "sha256", "part_size"), args, strict=False)) | kwargs
        size, sha256, part_size = named.get("size"), named.get("sha256"), named.get("part_size")
        if not isinstance(size, int) or isinstance(size, bool) or not isinstance(sha256, str):
            raise TypeError("a ComponentDigest needs an int size and a str sha256")
        value = super().__new__(cls, sha256)
        object.__setattr__(value, "size", size)
        object.__setattr__(value, "part_size", part_size)
        return value

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"ComponentDigest is immutable ({name})")

    @property
    def sha256(self) -> str:
        """The hex sha256 (or part-wise checksum) as a plain string."""
        return str.__str__(self)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ComponentDigest):
            return (self.sha256, self.size, self.part_size) == (other.sha256, other.size, other.part_size)
        return str.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = str.__hash__

    def __repr__(self) -> str:
        part = f", part_size={self.part_size}" if self.part_size is not None else ""
        return f"ComponentDigest(size={self.size}, sha256={self.sha256!r}{part})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (ComponentDigest, (self.size, self.sha256, self.part_size))


#: The hosted SDK's name for what ``upload_component`` returns: the same one digest type.
FileSha256 = ComponentDigest


@dataclass(frozen=True)
class MultipartStarted:
    """A multipart upload of one component: its id and how the component is cut into parts."""

    upload_id: str
    size: int
    part_size: int
    part_count: int


@dataclass(frozen=True)
class StoredPart:
    """A part storage holds for a multipart upload (S3's ListParts entry)."""

    part_number: int
    etag: str
    size: int


@dataclass(frozen=True)
class MultipartCompleted:
    """A component assembled from its parts; ``sha256`` is storage's part-wise checksum when it knows it."""

    size: int
    part_size: int
    sha256: str | None


# Older names, kept so code written against them keeps working.
ExperimentView = ExperimentDetail
ExperimentDeleted = DeleteSummary
ExperimentRetracted = RetractResult
ExperimentListPage = ExperimentPage
LineageNode = ExperimentRecord
TentativeLinkRecord = TentativeParentLink
UpstreamRetractionsResult = UpstreamRetractionsResponse
UpstreamRetractions = UpstreamRetractionsResponse
VariationData = VariationRecord
AssetUploadInfo = PresignedUpload

__all__ = [
    "ApiKey",
    "AssetCreated",
    "AssetDeleted",
    "AssetRecord",
    "AssetUploadInfo",
    "BulkApproval",
    "Collection",
    "CollectionMembers",
    "ComponentDigest",
    "CreatedAsset",
    "DeleteSummary",
    "DownloadedCheckpoint",
    "Erratum",
    "ExperimentCreated",
    "ExperimentDeleted",
    "ExperimentDetail",
    "ExperimentListPage",
    "ExperimentPage",
    "ExperimentRecord",
    "ExperimentRetracted",
    "ExperimentSummary",
    "ExperimentView",
    "FileSha256",
    "Finding",
    "GitStatus",
    "GitToken",
    "InputUnlinked",
    "InputsLinked",
    "Lesson",
    "LineageNode",
    "LineageResponse",
    "MembershipChange",
    "MultipartCompleted",
    "MultipartStarted",
    "PresignedUpload",
    "PresignedUrls",
    "PublicationRegistration",
    "ResearchPrompt",
    "ResearchPromptLink",
    "ResumeOutcome",
    "RetractResult",
    "RunRecord",
    "RunState",
    "RunningSummary",
    "Scope",
    "ScopeLessons",
    "SearchResponse",
    "SearchResult",
    "StoredPart",
    "Tag",
    "TagDeleted",
    "TaggedObjects",
    "Tagging",
    "TentativeLinkRecord",
    "TentativeParentLink",
    "Untagged",
    "UpstreamRetraction",
    "UpstreamRetractions",
    "UpstreamRetractionsResponse",
    "UpstreamRetractionsResult",
    "VariationConfig",
    "VariationData",
    "VariationRecord",
    "VariationRetractResult",
    "VariationSummary",
]
