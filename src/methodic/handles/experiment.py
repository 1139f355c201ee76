"""The ``Experiment`` handle and ``exp.variations``, the variations namespace bound to it."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from methodic._compat import ExperimentAliases
from methodic.handles.variation import Variation

if TYPE_CHECKING:
    from methodic._models import Record
    from methodic._resources import Resources
    from methodic.namespaces.reports import ExperimentReports
    from methodic.namespaces.research_prompts import ExperimentResearchPrompts
    from methodic.types import (
        AssetRecord,
        DeleteSummary,
        ExperimentCreated,
        ExperimentDetail,
        ExperimentRecord,
        GitStatus,
        GitToken,
        Lesson,
        LineageResponse,
        RunningSummary,
        TentativeParentLink,
        UpstreamRetractionsResponse,
        VariationRecord,
        VariationRetractResult,
    )


class Experiment(ExperimentAliases):
    """An experiment, by id. ``exp.state``, ``exp.committed_at`` etc. read the (cached) server record."""

    def __init__(
        self,
        api: Resources,
        experiment_id: str,
        *,
        _detail: ExperimentDetail | None = None,
        _create_response: ExperimentCreated | None = None,
    ) -> None:
        self._api = api
        self.id = experiment_id
        self._detail = _detail
        #: What create answered (``.tentative_parents``: parents still open), on a handle from ``create``.
        self._create_response = _create_response
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        cached = self._detail
        if cached is None:
            return f"<Experiment id={self.id!r}>"
        return f"<Experiment id={self.id!r} title={cached.experiment.title!r} state={cached.experiment.state!r}>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Experiment) and other.id == self.id

    def __hash__(self) -> int:
        return hash(("experiment", self.id))

    # -- cached server data ---------------------------------------------------------------------
    @property
    def detail(self) -> ExperimentDetail:
        """The experiment record with its variations; fetched on first use after a mutation."""
        with self._lock:
            if self._detail is None:
                self._detail = self._api.experiments.get(self.id)
            return self._detail

    def _invalidate(self) -> None:
        with self._lock:
            self._detail = None

    @property
    def data(self) -> ExperimentRecord:
        """The experiment record."""
        return self.detail.experiment

    @property
    def experiment(self) -> ExperimentRecord:
        """The experiment record, as ``experiments.get(id).experiment`` reads it (the same as :attr:`data`)."""
        return self.detail.experiment

    @property
    def title(self) -> str | None:
        """Short display name."""
        return self.data.title

    @property
    def hypothesis_summary(self) -> str | None:
        """The one-line hypothesis."""
        return self.data.hypothesis_summary

    @property
    def state(self) -> str | None:
        """``open``, ``committed`` or ``concluded``."""
        return self.data.state

    @property
    def committed_at(self) -> str | None:
        """When the experiment was committed."""
        return self.data.committed_at

    @property
    def concluded_at(self) -> str | None:
        """When the experiment was concluded."""
        return self.data.concluded_at

    @property
    def retracted(self) -> bool:
        """Whether the experiment was retracted (orthogonal to state)."""
        return self.data.retracted

    @property
    def retracted_at(self) -> str | None:
        """When the experiment was retracted."""
        return self.data.retracted_at

    @property
    def retraction_reason(self) -> str | None:
        """Why the experiment was retracted."""
        return self.data.retraction_reason

    @property
    def wandb_project(self) -> str | None:
        """The W&B project runs fall back to."""
        return self.data.wandb_project

    @property
    def created_at(self) -> str | None:
        """When the experiment was created."""
        return self.data.created_at

    @property
    def research_prompts(self) -> ExperimentResearchPrompts:
        """The experiment's research prompts: ``list()``, ``attach(prompt_id, primary=)``, ``create(text)``."""
        from methodic.namespaces.research_prompts import ExperimentResearchPrompts

        return ExperimentResearchPrompts(self._api.research_prompts, self.id)

    def fork(
        self,
        *,
        hypothesis_summary: str,
        rationale: str | None = None,
        config_yaml: str | None = None,
        slug: str | None = None,
        allow_retracted_parent: bool = False,
    ) -> Experiment:
        """Fork this experiment, repository and all (see ``experiments.fork``); returns the new experiment."""
        return self._api.experiments.fork(
            self.id,
            hypothesis_summary=hypothesis_summary,
            rationale=rationale,
            config_yaml=config_yaml,
            slug=slug,
            allow_retracted_parent=allow_retracted_parent,
        )

    def move(self, *, organization_id: str, team_id: str | None = None, visibility: str | None = None) -> Experiment:
        """Transfer this personal experiment, outputs included, into an organization; returns self."""
        self._api.experiments.move(self.id, organization_id=organization_id, team_id=team_id, visibility=visibility)
        self._invalidate()
        return self

    def promote_lineage(self, parent_id: str) -> Record:
        """Make a tentative parent link lineage (the parent must have committed)."""
        promoted = self._api.experiments.promote_lineage(self.id, parent_id)
        self._invalidate()
        return promoted

    def git_status(self) -> GitStatus:
        """The state of this experiment's repository."""
        return self._api.experiments.git_status(self.id)

    def wait_for_repo(self, *, timeout: float = 300.0, poll_interval: float = 2.0) -> GitStatus:
        """Poll until this experiment's repository is ready, failed or archived (or ``timeout`` passes)."""
        return self._api.experiments.wait_for_repo(self.id, timeout=timeout, poll_interval=poll_interval)

    def mint_git_token(self) -> GitToken:
        """A one-hour token for this experiment's repository (a secret)."""
        return self._api.experiments.mint_git_token(self.id)

    def evaluation_support(self, **kwargs: Any) -> Record:
        """Have the evaluator judge findings or a write-up first: ``experiments.evaluation_support``'s keywords."""
        return self._api.experiments.evaluation_support(self.id, **kwargs)

    def training_support(self) -> Record:
        """Advice before queueing a training run (none yet: ``stub`` true)."""
        return self._api.experiments.training_support(self.id)

    def set_report_settings(self, settings: Mapping[str, Any]) -> Experiment:
        """Replace how this experiment's reports are made (frozen at commit); returns self."""
        self._api.reports.update_settings(self.id, settings=settings)
        self._invalidate()
        return self

    @property
    def reports(self) -> ExperimentReports:
        """The experiment's reports: ``exp.reports.hypothesis.render(payload=...)`` and the other kinds."""
        from methodic.namespaces.reports import ExperimentReports

        return ExperimentReports(self._api.reports, self.id)

    def get_rationale(self) -> str | None:
        """Why the experiment was made (the rationale it was created with), or None."""
        return self._api.experiments.get_rationale(self.id)

    @property
    def variations(self) -> ExperimentVariations:
        """The experiment's variations: ``create(...)``, ``get(index)``, iteration."""
        return ExperimentVariations(self)

    # -- mutations ------------------------------------------------------------------------------
    def commit(self, *, tentative_links: Mapping[str, str] | None = None) -> Experiment:
        """Commit the experiment; returns self."""
        self._api.experiments.commit(self.id, tentative_links=tentative_links)
        self._invalidate()
        return self

    def conclude(self, *, on_exist_action: str | None = None) -> Experiment:
        """Conclude the experiment (``on_exist_action``: keep or regenerate a takeaways report); returns self."""
        self._api.experiments.conclude(self.id, on_exist_action=on_exist_action)
        self._invalidate()
        return self

    def retract(self, *, reason: str, document_asset_id: str | None = None) -> Experiment:
        """Retract the experiment (its outputs are invalidated); returns self."""
        self._api.experiments.retract(self.id, reason=reason, document_asset_id=document_asset_id)
        self._invalidate()
        return self

    def delete(self) -> DeleteSummary:
        """Hard-delete the (open) experiment; returns what was removed."""
        summary = self._api.experiments.delete(self.id)
        self._invalidate()
        return summary

    def link_inputs(
        self, asset_ids: str | Sequence[str], *, variation: int | None = None, allow_invalid_assets: bool = False
    ) -> Experiment:
        """Link assets as inputs of the experiment (or of one of its variations), all or none; returns self."""
        self._api.experiments.link_inputs(
            self.id, asset_ids, variation=variation, allow_invalid_assets=allow_invalid_assets
        )
        self._invalidate()
        return self

    def record_finding(
        self,
        *,
        status: str,
        summary: str,
        evidence_variation: int,
        evidence_run: int | None = None,
        source_asset_id: str | None = None,
    ) -> RunningSummary:
        """Record what is working on this experiment's running summary (see ``experiments.record_finding``)."""
        recorded = self._api.experiments.record_finding(
            self.id,
            status=status,
            summary=summary,
            evidence_variation=evidence_variation,
            evidence_run=evidence_run,
            source_asset_id=source_asset_id,
        )
        self._invalidate()
        return recorded

    def dismiss_validation(self, finding_id: str, *, reason: str) -> RunningSummary:
        """Overrule a finding's verdict with a reason; the verdict is kept beside the dismissal."""
        summary = self._api.experiments.dismiss_validation(self.id, finding_id, reason=reason)
        self._invalidate()
        return summary

    def record_lesson(self, **kwargs: Any) -> Lesson:
        """Record a research lesson on this experiment: ``experiments.record_lesson``'s keywords."""
        return self._api.experiments.record_lesson(self.id, **kwargs)

    def list_lessons(self, **kwargs: Any) -> list[Lesson]:
        """The experiment's lessons, with its ancestors' by default: ``experiments.list_lessons``' keywords."""
        return self._api.experiments.list_lessons(self.id, **kwargs)

    # -- reads ----------------------------------------------------------------------------------
    def get_lineage(self, *, direction: str | None = None, depth: int | None = None) -> LineageResponse:
        """Ancestors and descendants."""
        return self._api.experiments.get_lineage(self.id, direction=direction, depth=depth)

    def list_inputs(self) -> list[AssetRecord]:
        """Input assets."""
        return self._api.experiments.list_inputs(self.id)

    def get_upstream_retractions(
        self, *, depth: int | None = None, since: str | None = None, full_chain: bool = False
    ) -> UpstreamRetractionsResponse:
        """Retracted ancestors (up to ``depth`` generations)."""
        return self._api.experiments.get_upstream_retractions(self.id, depth=depth, since=since, full_chain=full_chain)

    def tentative_links(self) -> list[TentativeParentLink]:
        """Parents still open, to promote or drop at commit."""
        return self._api.experiments.tentative_links(self.id)

    def list_outputs(self) -> list[AssetRecord]:
        """Output assets of every variation and run, newest first."""
        return self._api.experiments.list_outputs(self.id)


class ExperimentVariations:
    """``exp.variations``: the variations namespace bound to one experiment."""

    def __init__(self, experiment: Experiment) -> None:
        self._experiment = experiment

    def __repr__(self) -> str:
        return f"<variations of Experiment {self._experiment.id!r}>"

    def create(self, *, config_yaml: str, **kwargs: Any) -> Variation:
        """Create a variation of this experiment (same keywords as ``chronicle.variations.create``)."""
        variation = self._experiment._api.variations.create(self._experiment.id, config_yaml=config_yaml, **kwargs)
        self._experiment._invalidate()
        return variation

    def get(self, variation: int) -> Variation:
        """A handle on one variation (fetched lazily)."""
        return Variation(self._experiment._api, self._experiment.id, variation)

    def update(self, variation: int, **changes: Any) -> Variation:
        """Change an open variation (same keywords as ``chronicle.variations.update``); returns its handle."""
        self._experiment._api.variations.update(self._experiment.id, variation, **changes)
        self._experiment._invalidate()
        return Variation(self._experiment._api, self._experiment.id, variation)

    def set_git_ref(self, variation: int, git_ref: str) -> VariationRecord:
        """Bind a branch to one of the experiment's open variations."""
        return self._experiment._api.variations.set_git_ref(self._experiment.id, variation, git_ref)

    def retract(self, variation: int, *, reason: str, document_asset_id: str | None = None) -> VariationRetractResult:
        """Retract one variation (its outputs are invalidated), as ``exp.variations.retract(v, reason=...)``."""
        result = self._experiment._api.variations.retract(
            self._experiment.id, variation, reason=reason, document_asset_id=document_asset_id
        )
        self._experiment._invalidate()
        return result

    def __iter__(self) -> Iterator[Variation]:
        experiment = self._experiment
        return iter([Variation(experiment._api, experiment.id, v.variation) for v in experiment.detail.variations])

    def __len__(self) -> int:
        return len(self._experiment.detail.variations)
