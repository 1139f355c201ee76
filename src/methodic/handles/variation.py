"""The ``Variation`` handle: a variation by (experiment id, index), and its runs."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from methodic._compat import VariationAliases
from methodic.run import Run

if TYPE_CHECKING:
    from methodic._resources import Resources
    from methodic.types import (
        AssetRecord,
        VariationRecord,
    )


class Variation(VariationAliases):
    """A variation, by (experiment_id, index). ``.variation`` is the index."""

    def __init__(
        self, api: Resources, experiment_id: str, variation: int, *, _data: VariationRecord | None = None
    ) -> None:
        self._api = api
        self.experiment_id = experiment_id
        self.variation = variation
        self._data = _data
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        state = f" state={self._data.state!r}" if self._data is not None else ""
        return f"<Variation experiment_id={self.experiment_id!r} variation={self.variation}{state}>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Variation) and (other.experiment_id, other.variation) == (
            self.experiment_id,
            self.variation,
        )

    def __hash__(self) -> int:
        return hash(("variation", self.experiment_id, self.variation))

    @property
    def data(self) -> VariationRecord:
        """The server record (fetched on first use after a mutation)."""
        with self._lock:
            if self._data is None:
                self._data = self._api.variations.get(self.experiment_id, self.variation)
            return self._data

    def _invalidate(self) -> None:
        with self._lock:
            self._data = None

    @property
    def name(self) -> str | None:
        """Display name."""
        return self.data.name

    @property
    def state(self) -> str | None:
        """``open`` or ``committed``."""
        return self.data.state

    @property
    def committed_at(self) -> str | None:
        """When the variation was committed."""
        return self.data.committed_at

    @property
    def config_yaml(self) -> str | None:
        """The variation's configuration."""
        return self.data.config_yaml

    @property
    def run_count(self) -> int | None:
        """How many runs the variation has."""
        return self.data.run_count

    @property
    def retracted_at(self) -> str | None:
        """When the variation was retracted (a flag orthogonal to its state)."""
        return self.data.retracted_at

    @property
    def hypothesis(self) -> str | None:
        """What the variation is expected to show (pre-registered while open)."""
        return self.data.hypothesis

    def update(self, **changes: Any) -> Variation:
        """Change this open variation (ConflictError once committed); returns self."""
        self._api.variations.update(self.experiment_id, self.variation, **changes)
        self._invalidate()
        return self

    def retract(self, *, reason: str, document_asset_id: str | None = None) -> Variation:
        """Retract this variation (its outputs are invalidated); returns self."""
        self._api.variations.retract(
            self.experiment_id, self.variation, reason=reason, document_asset_id=document_asset_id
        )
        self._invalidate()
        return self

    def commit(self, *, commit_without_hypothesis: bool = False) -> Variation:
        """Commit the variation; returns self. Without a hypothesis only with ``commit_without_hypothesis``."""
        self._api.variations.commit(
            self.experiment_id, self.variation, commit_without_hypothesis=commit_without_hypothesis
        )
        self._invalidate()
        return self

    def set_git_ref(self, git_ref: str) -> Variation:
        """Bind a branch to this open variation (its SHA is pinned at commit); returns self."""
        self._api.variations.set_git_ref(self.experiment_id, self.variation, git_ref)
        self._invalidate()
        return self

    def unlink_input(self, asset_id: str) -> Variation:
        """Unlink an input asset; returns self."""
        self._api.variations.unlink_input(self.experiment_id, self.variation, asset_id)
        self._invalidate()
        return self

    def run(self, run: int) -> Run:
        """A handle on one of this variation's runs.

        The platform makes runs, never the client: creating the variation makes run 0, and the hosted
        scheduler makes later ones when it queues the variation again. A runner works on the run it
        was launched for and resumes from the variation's newest checkpoint (``find_checkpoint``).
        """
        return Run(self._api, self.experiment_id, self.variation, run)

    def list_inputs(self) -> list[AssetRecord]:
        """Assets linked as inputs."""
        return self._api.variations.list_inputs(self.experiment_id, self.variation)

    def list_outputs(self) -> list[AssetRecord]:
        """Outputs of every run, newest first."""
        return self._api.variations.list_outputs(self.experiment_id, self.variation)

    @property
    def launch_config(self) -> dict[str, Any] | None:
        """How the variation is launched (free-form)."""
        return self.data.launch_config

    @property
    def expected_outcome(self) -> str | None:
        """What the variation is expected to show."""
        return self.data.expected_outcome
