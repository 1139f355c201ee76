"""``chronicle.research_prompts``: the high-level research goals that experiments work toward."""

from __future__ import annotations

from collections.abc import Sequence

from methodic_api.api.research_prompts import (
    attach_research_prompt,
    create_research_prompt,
    get_research_prompt,
    list_experiment_research_prompts,
)
from methodic_api.models.research_prompt_attach import ResearchPromptAttach
from methodic_api.models.research_prompt_create import ResearchPromptCreate

from methodic._models import Record
from methodic._operations import wraps_operation
from methodic.namespaces._base import Namespace
from methodic.types import ResearchPrompt, ResearchPromptLink


class ResearchPromptsNamespace(Namespace):
    """Prompts are immutable once created, then associated with experiments (at most one primary each)."""

    @wraps_operation("create_research_prompt")
    def create(self, prompt: str, *, experiment_ids: Sequence[str] | None = None) -> ResearchPrompt:
        """Create a prompt (``{id, prompt, created_at, created_by}``), then associate it with ``experiment_ids``.

        The associations are made one request each after the create, none of them primary: use
        :meth:`attach` with ``primary=True`` for that. The create itself links nothing.
        """
        created = self._call(create_research_prompt.sync_detailed, ResearchPrompt, body=ResearchPromptCreate(prompt))
        for experiment_id in experiment_ids or ():
            self.attach(experiment_id, created.id)
        return created

    @wraps_operation("get_research_prompt")
    def get(self, research_prompt_id: str) -> ResearchPrompt:
        """A prompt by id (NotFoundError if there is none)."""
        return self._call(get_research_prompt.sync_detailed, ResearchPrompt, research_prompt_id=research_prompt_id)

    @wraps_operation("list_experiment_research_prompts")
    def list_for_experiment(self, experiment_id: str) -> list[ResearchPromptLink]:
        """The experiment's prompts: ``[{research_prompt, is_primary}]``, at most one of them primary."""
        return self._list(
            list_experiment_research_prompts.sync_detailed, ResearchPromptLink, experiment_id=experiment_id
        )

    @wraps_operation("attach_research_prompt")
    def attach(self, experiment_id: str, research_prompt_id: str, *, primary: bool = False) -> Record:
        """Associate a prompt with an experiment (``primary=True``: the experiment's one primary prompt).

        Answers ``{experiment_id, research_prompt_id, is_primary}``. Associating again only updates the flag.
        """
        body = ResearchPromptAttach(research_prompt_id=research_prompt_id, is_primary=primary)
        return self._call(attach_research_prompt.sync_detailed, Record, experiment_id=experiment_id, body=body)


class ExperimentResearchPrompts:
    """``exp.research_prompts``: the namespace bound to one experiment."""

    def __init__(self, api: ResearchPromptsNamespace, experiment_id: str) -> None:
        self._api = api
        self._experiment_id = experiment_id

    def __repr__(self) -> str:
        return f"<ExperimentResearchPrompts {self._experiment_id}>"

    def list(self) -> list[ResearchPromptLink]:
        """The experiment's prompts, with which one is primary."""
        return self._api.list_for_experiment(self._experiment_id)

    def attach(self, research_prompt_id: str, *, primary: bool = False) -> Record:
        """Associate an existing prompt with this experiment."""
        return self._api.attach(self._experiment_id, research_prompt_id, primary=primary)

    def create(self, prompt: str, *, primary: bool = False) -> ResearchPrompt:
        """Create a prompt and associate it with this experiment; returns the prompt."""
        created = self._api.create(prompt)
        self._api.attach(self._experiment_id, created.id, primary=primary)
        return created
