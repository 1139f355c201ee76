"""``chronicle.experiments``: create, list, commit, conclude, retract, delete, lineage, inputs, outputs."""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Generic, TypeVar

from methodic_api.api.experiments import (
    add_experiment_inputs,
    commit_experiment,
    conclude_experiment,
    create_experiment,
    delete_experiment,
    get_experiment,
    get_experiment_lineage,
    get_upstream_retractions,
    link_experiment_input,
    list_experiment_inputs,
    list_experiment_outputs,
    list_experiments,
    list_tentative_links,
    retract_experiment,
)
from methodic_api.models.asset import Asset
from methodic_api.models.asset_list import AssetList
from methodic_api.models.experiment_commit import ExperimentCommit
from methodic_api.models.experiment_commit_tentative_links import ExperimentCommitTentativeLinks
from methodic_api.models.experiment_create import ExperimentCreate
from methodic_api.models.experiment_created import ExperimentCreated
from methodic_api.models.experiment_deleted import ExperimentDeleted as _DeletedModel
from methodic_api.models.experiment_list import ExperimentList
from methodic_api.models.experiment_retract import ExperimentRetract
from methodic_api.models.experiment_retracted import ExperimentRetracted as _RetractedModel
from methodic_api.models.input_link_create import InputLinkCreate
from methodic_api.models.inputs_add import InputsAdd
from methodic_api.models.tentative_link_list import TentativeLinkList
from methodic_api.models.upstream_retractions import UpstreamRetractions
from methodic_api.types import UNSET, Unset

from methodic._constants import DEFAULT_PAGE_SIZE
from methodic._operations import wraps_operation
from methodic._pagination import iterate_pages
from methodic._records import (
    DeleteSummary,
    ExperimentView,
    RetractResult,
    TentativeLinkRecord,
    UpstreamRetractionsResult,
    reading_both_ways,
)
from methodic._scope import OrganizationArg, no_default, resolve_organization
from methodic._transport import Transport
from methodic.namespaces._base import Namespace, assets_of, opt
from methodic.types import AssetRecord, ExperimentDetail, ExperimentRecord, LineageResponse

#: What ``create`` returns: the client binds this to its ``Experiment`` handle.
ExperimentT = TypeVar("ExperimentT")
#: Builds that handle from the detail and the create response (``exp._create_response``).
HandleFactory = Callable[[ExperimentDetail, ExperimentCreated], ExperimentT]


class ExperimentsNamespace(Namespace, Generic[ExperimentT]):
    """Experiment lifecycle (open → committed → concluded, plus retraction) and lineage.

    ``handle`` turns a created experiment into what ``create`` returns (the ``Experiment`` handle,
    which sits above this layer and is injected rather than imported).
    """

    def __init__(
        self,
        transport: Transport,
        handle: HandleFactory[ExperimentT],
        default_organization: Callable[[], str | None] = no_default,
    ) -> None:
        super().__init__(transport)
        self._handle = handle
        self._default_organization = default_organization

    @wraps_operation("create_experiment")
    def create(
        self,
        *,
        hypothesis_summary: str,
        title: str | None = None,
        config_yaml: str | None = None,
        rationale: str | None = None,
        description: str | None = None,
        parent_experiment_ids: list[str] | None = None,
        wandb_project: str | None = None,
        slug: str | None = None,
        organization_id: OrganizationArg = None,
    ) -> ExperimentT:
        """Create an open experiment; a ``config_yaml`` seeds variation 0. Returns a handle.

        ``title`` is optional (the server uses the start of ``hypothesis_summary``), as in the hosted SDK.
        The owner is ``organization_id``, else the client's default organization, else you
        (``methodic.PERSONAL`` forces you). Parents that are still open become tentative links:
        ``exp._create_response.tentative_parents`` lists them, and commit must promote or drop each.
        """
        body = ExperimentCreate(
            title=opt(title),
            hypothesis_summary=hypothesis_summary,
            config_yaml=opt(config_yaml),
            rationale=opt(rationale),
            description=opt(description),
            parent_experiment_ids=opt(parent_experiment_ids),
            wandb_project=opt(wandb_project),
            slug=opt(slug),
            organization_id=opt(resolve_organization(organization_id, self._default_organization)),
        )
        created = self._call(create_experiment.sync_detailed, ExperimentCreated, body=body)
        detail = ExperimentDetail(experiment=created.experiment, variations=created.variations)
        return self._handle(detail, created)

    @wraps_operation("get_experiment")
    def get(self, experiment_id: str) -> ExperimentView:
        """The experiment (``.experiment``) with its variations embedded (``.variations``).

        It also reads like the handle for the common fields (``.id``, ``.state``, ``.wandb_project``, ...),
        as hosted-SDK code uses it both ways; ``chronicle.experiment(id)`` is the handle itself.
        """
        detail = self._call(get_experiment.sync_detailed, ExperimentDetail, experiment_id=experiment_id)
        return reading_both_ways(ExperimentView, detail)

    @wraps_operation("list_experiments")
    def list(
        self, *, state: str | None = None, owner: str | None = None, page_size: int = DEFAULT_PAGE_SIZE
    ) -> Iterator[ExperimentRecord]:
        """Iterate over every experiment (optionally in one state, or owned by one scope id), fetching pages lazily."""
        return iterate_pages(
            lambda cursor: self._call(
                list_experiments.sync_detailed,
                ExperimentList,
                state=opt(state),
                owner=opt(owner),
                cursor=opt(cursor),
                limit=page_size,
            ),
            lambda page: page.experiments,
        )

    def iter(
        self, status: str | None = None, *, owner: str | None = None, page_size: int = DEFAULT_PAGE_SIZE
    ) -> Iterator[ExperimentRecord]:
        """The hosted SDK's name for :meth:`list`: ``status`` is the state (open, committed, concluded).

        A lazy iterator of summaries (``.id``, ``.hypothesis_summary``, ``.state``, ``.retracted_at``);
        ``owner="_all"`` (or None) lists everything you can read, a scope id only what that scope owns.
        """
        return self.list(state=status, owner=owner, page_size=page_size)

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
    def retract(self, experiment_id: str, *, reason: str, document_asset_id: str | None = None) -> RetractResult:
        """Retract an experiment (idempotent; a repeat updates the reason). Its outputs are invalidated.

        The result reads both ways: ``result["outputs_invalidated"]`` and ``result.outputs_invalidated``.
        """
        body = ExperimentRetract(reason=reason, document_asset_id=opt(document_asset_id))
        retracted = self._call(
            retract_experiment.sync_detailed, _RetractedModel, experiment_id=experiment_id, body=body
        )
        return reading_both_ways(RetractResult, retracted)

    @wraps_operation("delete_experiment")
    def delete(self, experiment_id: str) -> DeleteSummary:
        """Hard-delete an open experiment (ConflictError once committed: retract it instead).

        Returns the removal summary (``["variations_removed"]``, ``.runs_removed``, ``links_removed``).
        """
        deleted = self._call(delete_experiment.sync_detailed, _DeletedModel, experiment_id=experiment_id)
        return reading_both_ways(DeleteSummary, deleted)

    @wraps_operation("get_upstream_retractions")
    def get_upstream_retractions(self, experiment_id: str, depth: int = 5) -> UpstreamRetractionsResult:
        """Retracted ancestors up to ``depth`` generations: ``.has_retractions`` and ``.retractions``.

        Each retraction has ``.experiment_id``, ``.retracted_at`` and ``.reason`` (and ``.depth``, 1 for
        a parent). Check it before building on an experiment whose ancestry may have been withdrawn.
        """
        found = self._call(
            get_upstream_retractions.sync_detailed, UpstreamRetractions, experiment_id=experiment_id, depth=depth
        )
        return reading_both_ways(UpstreamRetractionsResult, found)

    @wraps_operation("list_tentative_links")
    def tentative_links(self, experiment_id: str) -> builtins.list[TentativeLinkRecord]:
        """Parents that were still open when linked: resolve each at commit (``tentative_links={id: "promote"}``).

        Entries carry ``parent_experiment_id``, ``parent_state`` and ``promotable``; empty once committed.
        """
        listing = self._call(list_tentative_links.sync_detailed, TentativeLinkList, experiment_id=experiment_id)
        return [reading_both_ways(TentativeLinkRecord, link) for link in listing.tentative_links]

    @wraps_operation("add_experiment_inputs")
    def add_inputs(
        self,
        experiment_id: str,
        asset_ids: str | Sequence[str],
        *,
        variation: int | None = None,
        allow_invalid_assets: bool = False,
    ) -> builtins.list[AssetRecord]:
        """Link several assets (citations, datasets, reports) as inputs in one call: all are linked, or none.

        The batch form of :meth:`link_input`, with the same rules (open experiment or variation, ready
        assets, invalidated ones only with ``allow_invalid_assets``).
        """
        ids = [asset_ids] if isinstance(asset_ids, str) else builtins.list(asset_ids)
        if not ids:
            raise ValueError("add_inputs needs at least one asset id")
        body = InputsAdd(asset_ids=ids, variation=opt(variation), allow_invalid_assets=allow_invalid_assets)
        return assets_of(
            self._call(add_experiment_inputs.sync_detailed, AssetList, experiment_id=experiment_id, body=body)
        )

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
