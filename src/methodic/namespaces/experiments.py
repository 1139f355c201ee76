"""``chronicle.experiments``: lifecycle, lineage, inputs and outputs, findings and lessons."""

from __future__ import annotations

import builtins
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, ClassVar, Generic, TypeVar

from methodic_api.api.experiments import (
    commit_experiment,
    conclude_experiment,
    create_experiment,
    delete_experiment,
    fork_experiment,
    get_experiment,
    get_experiment_git_status,
    get_experiment_lineage,
    get_experiment_rationale,
    get_upstream_retractions,
    link_experiment_inputs,
    list_experiment_inputs,
    list_experiment_outputs,
    list_experiments,
    list_tentative_links,
    mint_git_token,
    move_experiment,
    promote_lineage,
    retract_experiment,
)
from methodic_api.api.variations import link_variation_inputs
from methodic_api.models.experiment_commit import ExperimentCommit
from methodic_api.models.experiment_commit_tentative_links import ExperimentCommitTentativeLinks
from methodic_api.models.experiment_conclude import ExperimentConclude
from methodic_api.models.experiment_create import ExperimentCreate
from methodic_api.models.experiment_fork import ExperimentFork
from methodic_api.models.inputs_link import InputsLink
from methodic_api.models.ownership_move import OwnershipMove
from methodic_api.models.retract import Retract
from methodic_api.types import UNSET, Unset

from methodic._compat import ExperimentsAliases
from methodic._models import Record
from methodic._operations import wraps_operation
from methodic._scope import OrganizationArg, no_default, resolve_organization
from methodic._transport import Transport
from methodic.namespaces._base import opt
from methodic.namespaces.experiment_findings import ExperimentFindings
from methodic.namespaces.variations import asset_id_list, free_form
from methodic.types import (
    AssetRecord,
    DeleteSummary,
    ExperimentCreated,
    ExperimentDetail,
    ExperimentPage,
    ExperimentRecord,
    ExperimentSummary,
    GitStatus,
    GitToken,
    InputsLinked,
    LineageResponse,
    RetractResult,
    TentativeParentLink,
    UpstreamRetractionsResponse,
)

#: The page the server sends when no limit is asked for (the contract's default).
EXPERIMENTS_PAGE_SIZE = 100

#: What ``create`` returns: the client binds this to its ``Experiment`` handle.
ExperimentT = TypeVar("ExperimentT")
#: Builds that handle from the create response (``exp._create_response``).
HandleFactory = Callable[[ExperimentCreated], ExperimentT]


class ExperimentsNamespace(ExperimentFindings, ExperimentsAliases, Generic[ExperimentT]):
    """Experiment lifecycle (open → committed → concluded, plus retraction) and lineage.

    Every method takes an experiment by id, by bare slug, or owner-qualified (``"@alice/ripple"``,
    ``"o/acme/ripple"``). ``handle`` turns a created experiment into what ``create`` returns (the
    ``Experiment`` handle, which sits above this layer and is injected rather than imported). Findings
    and lessons are :class:`~methodic.namespaces.experiment_findings.ExperimentFindings`, inherited.
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
        config_yaml: str | None = None,
        title: str | None = None,
        rationale: str | None = None,
        description: str | None = None,
        accelerate_config_yaml: str | None = None,
        launch_config: Mapping[str, Any] | None = None,
        parent_experiment_ids: builtins.list[str] | None = None,
        allow_retracted_parent: bool = False,
        organization_id: OrganizationArg = None,
        team_id: str | None = None,
        visibility: str | None = None,
        wandb_project: str | None = None,
        slug: str | None = None,
    ) -> ExperimentT:
        """Create an open experiment; a ``config_yaml`` seeds variation 0 with a pending run 0. Returns a handle.

        The owner is ``organization_id``, else the client's default organization, else you
        (``methodic.PERSONAL`` forces you). Parents that are still open become tentative links:
        ``exp._create_response.tentative_parents`` lists them, and commit must promote or drop each. A
        retracted parent is refused unless ``allow_retracted_parent``. ``wandb_project`` and ``slug`` are
        the local server's; the hosted one ignores what it does not know.
        """
        body = ExperimentCreate(
            hypothesis_summary=hypothesis_summary,
            config_yaml=opt(config_yaml),
            title=opt(title),
            rationale=opt(rationale),
            description=opt(description),
            accelerate_config_yaml=opt(accelerate_config_yaml),
            launch_config=opt(free_form(launch_config)),
            parent_experiment_ids=opt(parent_experiment_ids),
            allow_retracted_parent=True if allow_retracted_parent else UNSET,
            organization_id=opt(resolve_organization(organization_id, self._default_organization)),
            team_id=opt(team_id),
            visibility=opt(visibility),
            wandb_project=opt(wandb_project),
            slug=opt(slug),
        )
        return self._handle(self._call(create_experiment.sync_detailed, ExperimentCreated, body=body))

    @wraps_operation("get_experiment")
    def get(self, experiment_id: str) -> ExperimentDetail:
        """The experiment (``.experiment``), its explicit parents (``.parent_ids``) and variations (``.variations``).

        It also reads like the experiment for its fields (``.state``, ``.hypothesis_summary``, ...);
        ``chronicle.experiment(id)`` is the handle itself.
        """
        return self._call(get_experiment.sync_detailed, ExperimentDetail, experiment_id=experiment_id)

    @wraps_operation("list_experiments")
    def list(
        self,
        *,
        status: str | None = None,
        created_by: str | None = None,
        page_size: int | None = None,
        page_token: str | None = None,
        owner: str | None = None,
    ) -> ExperimentPage:
        """One page of experiments, newest first: ``.results`` and ``.next_page_token`` (None at the end).

        ``status`` is the state (open, committed, concluded); ``created_by`` a subject. Pass the token back
        as ``page_token`` for the next page, or use :meth:`iter`. ``owner`` (a scope id) is the local server's.
        """
        limit = page_size if page_size is not None else EXPERIMENTS_PAGE_SIZE
        rows, headers = self._transport.call_list(
            list_experiments.sync_detailed,
            ExperimentSummary,
            status=opt(status),
            created_by=opt(created_by),
            limit=opt(page_size),
            before=opt(page_token),
            owner=opt(owner),
        )
        more = headers.get("X-Has-More")
        full = len(rows) >= limit if more is None else more.strip().lower() == "true"
        token = None
        if rows and full and rows[-1].get("created_at") and rows[-1].get("id"):
            token = f"{rows[-1]['created_at']}_{rows[-1]['id']}"
        return ExperimentPage(results=rows, next_page_token=token)

    def iter(
        self,
        *,
        status: str | None = None,
        created_by: str | None = None,
        page_size: int | None = None,
        owner: str | None = None,
    ) -> Iterator[ExperimentSummary]:
        """Every experiment matching the filters, newest first, fetching pages lazily."""
        token: str | None = None
        while True:
            page = self.list(status=status, created_by=created_by, page_size=page_size, page_token=token, owner=owner)
            yield from page.results
            if page.next_page_token is None or page.next_page_token == token:
                return
            token = page.next_page_token

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
    def conclude(self, experiment_id: str, *, on_exist_action: str | None = None) -> ExperimentDetail:
        """Conclude a committed experiment.

        When a takeaways report already exists the server refuses (ConflictError ``takeaways_report_exists``)
        unless ``on_exist_action`` is ``"keep"`` or ``"regenerate"``.
        """
        body: ExperimentConclude | Unset = UNSET
        if on_exist_action is not None:
            body = ExperimentConclude(on_exist_action=on_exist_action)
        return self._call(conclude_experiment.sync_detailed, ExperimentDetail, experiment_id=experiment_id, body=body)

    @wraps_operation("retract_experiment")
    def retract(self, experiment_id: str, *, reason: str, document_asset_id: str | None = None) -> RetractResult:
        """Retract an experiment (idempotent; a repeat updates the reason). Its outputs are invalidated."""
        body = Retract(reason=reason, document_asset_id=opt(document_asset_id))
        return self._call(retract_experiment.sync_detailed, RetractResult, experiment_id=experiment_id, body=body)

    @wraps_operation("delete_experiment")
    def delete(self, experiment_id: str) -> DeleteSummary:
        """Hard-delete an open experiment (ConflictError once committed: retract it instead)."""
        return self._call(delete_experiment.sync_detailed, DeleteSummary, experiment_id=experiment_id)

    @wraps_operation("get_upstream_retractions")
    def get_upstream_retractions(
        self,
        experiment_id: str,
        *,
        depth: int | None = None,
        since: str | None = None,
        full_chain: bool = False,
    ) -> UpstreamRetractionsResponse:
        """Retracted ancestors (or retracted variations of ancestors): ``.has_retractions`` and ``.retractions``.

        Each has ``.experiment_id``, ``.retracted_at``, ``.reason`` and ``.depth`` (1 for a parent);
        ``full_chain`` adds ``.chain``, the ids from this experiment to the retracted one.
        """
        return self._call(
            get_upstream_retractions.sync_detailed,
            UpstreamRetractionsResponse,
            experiment_id=experiment_id,
            depth=opt(depth),
            since=opt(since),
            full_chain=True if full_chain else UNSET,
        )

    @wraps_operation("list_tentative_links")
    def tentative_links(self, experiment_id: str) -> builtins.list[TentativeParentLink]:
        """Parents that were still open when linked: ``parent_id``, ``parent_state``, ``promotable``; [] usually."""
        listing = self._call(list_tentative_links.sync_detailed, _TentativeLinks, experiment_id=experiment_id)
        return listing.tentative_links

    @wraps_operation("get_experiment_lineage")
    def get_lineage(
        self, experiment_id: str, *, direction: str | None = None, depth: int | None = None
    ) -> LineageResponse:
        """Ancestors and descendants (``.ancestors``, ``.descendants``: full experiments with ``.depth``)."""
        return self._call(
            get_experiment_lineage.sync_detailed,
            LineageResponse,
            experiment_id=experiment_id,
            direction=opt(direction),
            depth=opt(depth),
        )

    @wraps_operation("list_experiment_inputs")
    def list_inputs(self, experiment_id: str) -> builtins.list[AssetRecord]:
        """Assets linked to the experiment as inputs (the local server's route)."""
        return self._list(list_experiment_inputs.sync_detailed, AssetRecord, experiment_id=experiment_id)

    @wraps_operation("list_experiment_outputs")
    def list_outputs(self, experiment_id: str) -> builtins.list[AssetRecord]:
        """Output assets of every variation and run, newest first (the local server's route)."""
        return self._list(list_experiment_outputs.sync_detailed, AssetRecord, experiment_id=experiment_id)

    @wraps_operation("link_experiment_inputs")
    def link_inputs(
        self,
        experiment_id: str,
        asset_ids: str | Sequence[str],
        *,
        variation: int | None = None,
        allow_invalid_assets: bool = False,
        propagate_acl: bool = True,
    ) -> InputsLinked:
        """Link assets as inputs of the experiment, or of one of its variations, in one call.

        Experiment-level links send ``propagate_acl`` (the experiment's readers may read the assets);
        variation-level ones do not (the server ignores it there). The target must be open.
        """
        ids = asset_id_list(asset_ids)
        if variation is None:
            body = InputsLink(asset_ids=ids, allow_invalid_assets=allow_invalid_assets, propagate_acl=propagate_acl)
            return self._call(
                link_experiment_inputs.sync_detailed, InputsLinked, experiment_id=experiment_id, body=body
            )
        body = InputsLink(asset_ids=ids, allow_invalid_assets=allow_invalid_assets)
        return self._call(
            link_variation_inputs.sync_detailed,
            InputsLinked,
            experiment_id=experiment_id,
            variation=variation,
            body=body,
        )

    # -- the git integration (a GitHub repository per experiment; the local server has none: 501) -------
    @wraps_operation("fork_experiment")
    def fork(
        self,
        experiment_id: str,
        *,
        hypothesis_summary: str,
        rationale: str | None = None,
        config_yaml: str | None = None,
        slug: str | None = None,
        allow_retracted_parent: bool = False,
    ) -> ExperimentT:
        """A new experiment whose repository mirrors the source's git history, with the source as its parent.

        Needs the hosted service's GitHub App: the local server answers 501 ``git_unavailable``.
        """
        body = ExperimentFork(
            hypothesis_summary=hypothesis_summary,
            rationale=opt(rationale),
            config_yaml=opt(config_yaml),
            slug=opt(slug),
            allow_retracted_parent=True if allow_retracted_parent else UNSET,
        )
        created = self._call(fork_experiment.sync_detailed, ExperimentCreated, experiment_id=experiment_id, body=body)
        return self._handle(created)

    @wraps_operation("get_experiment_git_status")
    def git_status(self, experiment_id: str) -> GitStatus:
        """The repository's state (``pending``, ``ready``, ``failed`` or ``archived``), URL and branches."""
        return self._call(get_experiment_git_status.sync_detailed, GitStatus, experiment_id=experiment_id)

    def wait_for_repo(self, experiment_id: str, *, timeout: float = 300.0, poll_interval: float = 2.0) -> GitStatus:
        """Poll :meth:`git_status` until the repository is ready, failed or archived, or ``timeout`` passes.

        Returns the last status either way (check ``.state``). The sleep between polls is interruptible.
        """
        deadline = time.monotonic() + timeout
        while True:
            status = self.git_status(experiment_id)
            if status.state in ("ready", "failed", "archived") or time.monotonic() >= deadline:
                return status
            time.sleep(min(poll_interval, max(0.0, deadline - time.monotonic())))

    @wraps_operation("mint_git_token")
    def mint_git_token(self, experiment_id: str) -> GitToken:
        """A one-hour token to clone and push the experiment's repository (``agent/*`` branches stay protected).

        The token is a secret: it is kept out of the record's repr.
        """
        return self._call(mint_git_token.sync_detailed, GitToken, experiment_id=experiment_id)

    @wraps_operation("promote_lineage")
    def promote_lineage(self, experiment_id: str, parent_id: str) -> Record:
        """Make a tentative parent link lineage (the parent then shows in ``parent_ids`` and the lineage).

        The parent must have committed (ConflictError while it is open); promoting again succeeds.
        """
        return self._call(promote_lineage.sync_detailed, Record, experiment_id=experiment_id, parent_id=parent_id)

    @wraps_operation("move_experiment")
    def move(
        self,
        experiment_id: str,
        *,
        organization_id: str,
        team_id: str | None = None,
        visibility: str | None = None,
    ) -> ExperimentRecord:
        """Transfer a personal experiment, outputs included, into an organization you belong to.

        ``visibility`` says who else reads it (organization-wide by default); the creator keeps access.
        ConflictError when an organization owns it already.
        """
        body = OwnershipMove(organization_id=organization_id, team_id=opt(team_id), visibility=opt(visibility))
        return self._call(move_experiment.sync_detailed, ExperimentRecord, experiment_id=experiment_id, body=body)

    @wraps_operation("get_experiment_rationale")
    def get_rationale(self, experiment_id: str) -> str | None:
        """Why the experiment was made: the rationale it was created with, or None."""
        answer = self._call(get_experiment_rationale.sync_detailed, Record, experiment_id=experiment_id)
        rationale = answer.get("rationale")
        return rationale if isinstance(rationale, str) else None


class _TentativeLinks(Record):
    """The tentative-links envelope."""

    __slots__ = ()
    _nested: ClassVar[Mapping[str, type[Record]]] = {"tentative_links": TentativeParentLink}

    @property
    def tentative_links(self) -> builtins.list[TentativeParentLink]:
        """The links."""
        value = self.get("tentative_links")
        return value if isinstance(value, builtins.list) else []
