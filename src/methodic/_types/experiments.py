"""Experiments, variations and runs as the server describes them (import them from :mod:`methodic.types`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from methodic._constants import TERMINAL_RUN_STATES
from methodic._models import Record, as_record, list_field, reads_through


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
        return list_field(self, "parent_experiment_ids")


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
        return list_field(self, "parent_ids")

    @property
    def variations(self) -> list[VariationSummary]:
        """A summary of each variation."""
        return list_field(self, "variations")

    def __getattr__(self, name: str) -> Any:
        if not name.startswith("_") and name not in self and reads_through(ExperimentRecord, name):
            return getattr(as_record(ExperimentRecord, self.get("experiment")), name)
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
        return list_field(self, "tentative_parents")


class ExperimentPage(Record):
    """One page of ``experiments.list``: ``.results`` and the ``.next_page_token`` to pass back (None: the end)."""

    __slots__ = ()
    _nested: ClassVar[Mapping[str, type[Record]]] = {"results": ExperimentSummary}
    next_page_token: str | None

    @property
    def results(self) -> list[ExperimentSummary]:
        """The experiments of this page, newest first."""
        return list_field(self, "results")


class LineageResponse(Record):
    """``get_lineage``: ``.ancestors`` and ``.descendants``, each a full experiment with its ``depth``."""

    __slots__ = ()
    _nested: ClassVar[Mapping[str, type[Record]]] = {"ancestors": ExperimentRecord, "descendants": ExperimentRecord}
    experiment_id: str | None

    @property
    def ancestors(self) -> list[ExperimentRecord]:
        """Parents, grandparents, ... nearest first."""
        return list_field(self, "ancestors")

    @property
    def descendants(self) -> list[ExperimentRecord]:
        """Children, grandchildren, ... nearest first."""
        return list_field(self, "descendants")


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
        return list_field(self, "retractions")


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
        return list_field(self, "input_asset_ids")


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
