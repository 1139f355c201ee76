"""Results that read both ways: by key, as hosted-SDK code indexes them, and by attribute.

``result["outputs_invalidated"]`` and ``result.outputs_invalidated`` both work. The generated models only
index their *unknown* keys (``additional_properties``); these subclasses
index every field, nested models as plain dicts (their ``to_dict()``). Attribute access, equality and
the repr stay the generated model's.
"""

from __future__ import annotations

from collections.abc import KeysView
from typing import Any, TypeVar, cast

from methodic_api.models.experiment_deleted import ExperimentDeleted
from methodic_api.models.experiment_detail import ExperimentDetail
from methodic_api.models.experiment_retracted import ExperimentRetracted
from methodic_api.models.tentative_link import TentativeLink
from methodic_api.models.upstream_retractions import UpstreamRetractions
from methodic_api.models.variation_retracted import VariationRetracted

M = TypeVar("M")


class Indexable:
    """Mapping-style reads of every field of a generated model (mixed in before the model class)."""

    __slots__ = ()

    def _fields(self) -> dict[str, Any]:
        return cast(Any, self).to_dict()  # type: ignore[no-any-return]

    def __getitem__(self, key: str) -> Any:
        return self._fields()[key]

    def __contains__(self, key: str) -> bool:
        return key in self._fields()

    def get(self, key: str, default: Any = None) -> Any:
        """The field's value (nested models as dicts), or ``default``."""
        return self._fields().get(key, default)

    def keys(self) -> KeysView[str]:
        """The field names, as the JSON body has them."""
        return self._fields().keys()


class RetractResult(Indexable, ExperimentRetracted):
    """``experiments.retract``: ``["outputs_invalidated"]`` / ``.outputs_invalidated`` and the experiment."""

    __slots__ = ()


class DeleteSummary(Indexable, ExperimentDeleted):
    """``experiments.delete``: what was removed (variations, runs, links)."""

    __slots__ = ()


class VariationRetractResult(Indexable, VariationRetracted):
    """``variations.retract``: the variation and how many of its outputs were invalidated."""

    __slots__ = ()


class UpstreamRetractionsResult(Indexable, UpstreamRetractions):
    """``experiments.get_upstream_retractions``: ``.has_retractions`` and ``.retractions``."""

    __slots__ = ()


class TentativeLinkRecord(Indexable, TentativeLink):
    """One entry of ``experiments.tentative_links``: the parent, its state, whether it can be promoted."""

    __slots__ = ()


class ExperimentView(ExperimentDetail):
    """``experiments.get``: the detail (``.experiment``, ``.variations``) that also reads like the handle.

    Public code uses the result both ways (evidence §6.3): ``detail.experiment.state`` and
    ``getattr(exp, "wandb_project")``. The experiment's common fields are proxied here, read-only.
    """

    __slots__ = ()

    @property
    def id(self) -> str:
        """The experiment id."""
        return self.experiment.id

    @property
    def title(self) -> str:
        """Short display name."""
        return self.experiment.title

    @property
    def hypothesis_summary(self) -> str:
        """The one-line hypothesis."""
        return self.experiment.hypothesis_summary

    @property
    def state(self) -> str:
        """``open``, ``committed`` or ``concluded``."""
        return self.experiment.state

    @property
    def committed_at(self) -> str | None:
        """When the experiment was committed."""
        return self.experiment.committed_at

    @property
    def retracted_at(self) -> str | None:
        """When the experiment was retracted."""
        return self.experiment.retracted_at

    @property
    def wandb_project(self) -> str | None:
        """The W&B project runs fall back to."""
        return self.experiment.wandb_project


def reading_both_ways(cls: type[M], model: Any) -> M:
    """``model`` re-read as ``cls`` (its indexable subclass); the JSON round trip keeps unknown keys."""
    return cast(Any, cls).from_dict(model.to_dict())  # type: ignore[no-any-return]
