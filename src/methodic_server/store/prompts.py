"""Research prompts: high-level, immutable research goals, each associated with any number of experiments.

An experiment has at most one primary prompt: making another one primary leaves the previous one
associated, no longer primary. Associations are kept per experiment (``<experiment_id>/<prompt_id>``),
in the order they were made.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from methodic_server.errors import not_found
from methodic_server.store.documents import now_iso

if TYPE_CHECKING:
    from methodic_server.store import Store


class ResearchPrompts:
    """Prompts keyed by id, and their experiment associations."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.docs = store.docs

    def create(self, prompt: str, created_by: str) -> dict[str, Any]:
        """A new prompt; it is never changed afterwards."""
        record = {"id": str(uuid.uuid4()), "prompt": prompt, "created_at": now_iso(), "created_by": created_by}
        with self.docs.transaction():
            return self.docs.put("research_prompt", record["id"], record)

    def get(self, prompt_id: str) -> dict[str, Any]:
        """The prompt, or 404."""
        record = self.docs.get("research_prompt", prompt_id)
        if record is None:
            raise not_found(f"research prompt {prompt_id} not found")
        return record

    def attach(self, experiment_id: str, prompt_id: str, primary: bool) -> dict[str, Any]:
        """Associate (again: the flag is updated); a new primary demotes the experiment's previous one."""
        with self.docs.transaction():
            self.store.experiments.get(experiment_id)
            self.get(prompt_id)
            if primary:
                for other in self.docs.all("prompt_link", f"{experiment_id}/"):
                    if other["is_primary"] and other["research_prompt_id"] != prompt_id:
                        self.docs.put(
                            "prompt_link",
                            f"{experiment_id}/{other['research_prompt_id']}",
                            other | {"is_primary": False},
                        )
            link = {"experiment_id": experiment_id, "research_prompt_id": prompt_id, "is_primary": primary}
            return self.docs.put("prompt_link", f"{experiment_id}/{prompt_id}", link)

    def of_experiment(self, experiment_id: str) -> list[dict[str, Any]]:
        """``[{research_prompt, is_primary}]`` in the order the prompts were associated."""
        with self.docs.lock:
            self.store.experiments.get(experiment_id)
            return [
                {"research_prompt": self.get(link["research_prompt_id"]), "is_primary": link["is_primary"]}
                for link in self.docs.all("prompt_link", f"{experiment_id}/")
            ]
