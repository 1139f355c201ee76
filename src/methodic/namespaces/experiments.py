"""``chronicle.experiments``: create, list, commit, conclude, retract, delete, lineage, inputs, outputs."""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterator, Mapping
from typing import Generic, TypeVar

from methodic_api.api.experiments import (
    commit_experiment,
    conclude_experiment,
    create_experiment,
    delete_experiment,
    get_experiment,
    get_experiment_lineage,
    link_experiment_input,
    list_experiment_inputs,
    list_experiment_outputs,
    list_experiments,
    retract_experiment,
)
from methodic_api.models.asset import Asset
from methodic_api.models.asset_list import AssetList
from methodic_api.models.experiment_commit import ExperimentCommit
from methodic_api.models.experiment_commit_tentative_links import ExperimentCommitTentativeLinks
from methodic_api.models.experiment_create import ExperimentCreate
from methodic_api.models.experiment_list import ExperimentList
from methodic_api.models.experiment_retract import ExperimentRetract
from methodic_api.models.input_link_create import InputLinkCreate
from methodic_api.types import UNSET, Unset

from methodic._constants import DEFAULT_PAGE_SIZE
from methodic._operations import wraps_operation
from methodic._pagination import iterate_pages
from methodic._transport import Transport
from methodic.namespaces._base import Namespace, assets_of, opt
from methodic.types import (
    AssetRecord,
    ExperimentDeleted,
    ExperimentDetail,
    ExperimentRecord,
    ExperimentRetracted,
    LineageResponse,
)

#: What ``create`` returns: the client binds this to its ``Experiment`` handle.
ExperimentT = TypeVar("ExperimentT")


class ExperimentsNamespace(Namespace, Generic[ExperimentT]):
    """Experiment lifecycle (open → committed → concluded, plus retraction) and lineage.

    ``handle`` turns a created experiment into what ``create`` returns (the ``Experiment`` handle,
    which sits above this layer and is injected rather than imported).
    """

    def __init__(self, transport: Transport, handle: Callable[[ExperimentDetail], ExperimentT]) -> None:
        super().__init__(transport)
        self._handle = handle

    @wraps_operation("create_experiment")
    def create(
        self,
        *,
        title: str,
        hypothesis_summary: str,
        config_yaml: str | None = None,
        rationale: str | None = None,
        description: str | None = None,
        parent_experiment_ids: list[str] | None = None,
        wandb_project: str | None = None,
        slug: str | None = None,
    ) -> ExperimentT:
        """Create an open experiment; a ``config_yaml`` seeds variation 0. Returns a handle."""
        body = ExperimentCreate(
            title=title,
            hypothesis_summary=hypothesis_summary,
            config_yaml=opt(config_yaml),
            rationale=opt(rationale),
            description=opt(description),
            parent_experiment_ids=opt(parent_experiment_ids),
            wandb_project=opt(wandb_project),
            slug=opt(slug),
        )
        detail = self._call(create_experiment.sync_detailed, ExperimentDetail, body=body)
        return self._handle(detail)

    @wraps_operation("get_experiment")
    def get(self, experiment_id: str) -> ExperimentDetail:
        """The experiment (``.experiment``) with its variations embedded (``.variations``)."""
        return self._call(get_experiment.sync_detailed, ExperimentDetail, experiment_id=experiment_id)

    @wraps_operation("list_experiments")
    def list(self, *, state: str | None = None, page_size: int = DEFAULT_PAGE_SIZE) -> Iterator[ExperimentRecord]:
        """Iterate over every experiment (optionally in one state), fetching pages lazily."""
        return iterate_pages(
            lambda cursor: self._call(
                list_experiments.sync_detailed, ExperimentList, state=opt(state), cursor=opt(cursor), limit=page_size
            ),
            lambda page: page.experiments,
        )

    @wraps_operation("commit_experiment")
    def commit(self, experiment_id: str, *, tentative_links: Mapping[str, str] | None = None) -> ExperimentDetail:
        """Commit an open experiment. ``tentative_links`` maps a still-open parent to "promote" or "drop"."""
        body: ExperimentCommit | Unset = UNSET
        if tentative_links is not None:
            links = ExperimentCommitTentativeLinks()
            links.additional_properties = dict(tentative_links)
            body = ExperimentCommit(tentative_links=links)
        return self._call(commit_experiment.sync_detailed, ExperimentDetail, experiment_id=experiment_id, body=body)

    @wraps_operation("conclude_experiment")
    def conclude(self, experiment_id: str) -> ExperimentDetail:
        """Conclude a committed experiment."""
        return self._call(conclude_experiment.sync_detailed, ExperimentDetail, experiment_id=experiment_id)

    @wraps_operation("retract_experiment")
    def retract(self, experiment_id: str, *, reason: str, document_asset_id: str | None = None) -> ExperimentRetracted:
        """Retract an experiment (idempotent; a repeat updates the reason). Its outputs are invalidated."""
        body = ExperimentRetract(reason=reason, document_asset_id=opt(document_asset_id))
        return self._call(retract_experiment.sync_detailed, ExperimentRetracted, experiment_id=experiment_id, body=body)

    @wraps_operation("delete_experiment")
    def delete(self, experiment_id: str) -> ExperimentDeleted:
        """Hard-delete an open experiment (ConflictError once committed: retract it instead)."""
        return self._call(delete_experiment.sync_detailed, ExperimentDeleted, experiment_id=experiment_id)

    @wraps_operation("get_experiment_lineage")
    def get_lineage(self, experiment_id: str) -> LineageResponse:
        """Ancestors and descendants (``.ancestors``, ``.descendants``; items have ``.id``)."""
        return self._call(get_experiment_lineage.sync_detailed, LineageResponse, experiment_id=experiment_id)

    @wraps_operation("list_experiment_inputs")
    def list_inputs(self, experiment_id: str) -> builtins.list[AssetRecord]:
        """Assets linked to the experiment as inputs."""
        return assets_of(self._call(list_experiment_inputs.sync_detailed, AssetList, experiment_id=experiment_id))

    @wraps_operation("list_experiment_outputs")
    def list_outputs(self, experiment_id: str) -> builtins.list[AssetRecord]:
        """Output assets of every variation and run, newest first."""
        return assets_of(self._call(list_experiment_outputs.sync_detailed, AssetList, experiment_id=experiment_id))

    @wraps_operation("link_experiment_input")
    def link_input(
        self,
        experiment_id: str,
        asset_id: str,
        *,
        variation: int | None = None,
        allow_invalid_assets: bool = False,
    ) -> AssetRecord:
        """Link an asset as an input of the experiment, or of one of its variations."""
        body = InputLinkCreate(
            asset_id=asset_id,
            variation=opt(variation),
            allow_invalid_assets=allow_invalid_assets,
        )
        asset = self._call(link_experiment_input.sync_detailed, Asset, experiment_id=experiment_id, body=body)
        return AssetRecord(asset)
