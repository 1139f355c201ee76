"""``chronicle.variations``: variations are addressed by their integer index within an experiment."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar

from methodic_api.api.variations import (
    commit_variation,
    create_variation,
    get_variation,
    get_variation_config,
    list_variation_inputs,
    list_variation_outputs,
    resume_variation,
    retract_variation,
    unlink_variation_input,
    update_variation,
)
from methodic_api.models.asset_list import AssetList
from methodic_api.models.free_form import FreeForm
from methodic_api.models.variation_create import VariationCreate
from methodic_api.models.variation_retract import VariationRetract
from methodic_api.models.variation_retracted import VariationRetracted
from methodic_api.models.variation_update import VariationUpdate

from methodic._operations import wraps_operation
from methodic._records import VariationRetractResult, reading_both_ways
from methodic._transport import Transport
from methodic.namespaces._base import Namespace, assets_of, opt
from methodic.types import AssetRecord, InputUnlinked, RunRecord, VariationConfig, VariationRecord

#: What ``create`` returns: the client binds this to its ``Variation`` handle.
VariationT = TypeVar("VariationT")


def _free_form(value: Mapping[str, Any] | None) -> FreeForm | None:
    if value is None:
        return None
    return FreeForm.from_dict(dict(value))


class VariationsNamespace(Namespace, Generic[VariationT]):
    """Create, commit and inspect variations; resume them with a fresh run.

    ``handle`` turns a created variation into what ``create`` returns (the ``Variation`` handle, injected).
    """

    def __init__(self, transport: Transport, handle: Callable[[str, VariationRecord], VariationT]) -> None:
        super().__init__(transport)
        self._handle = handle

    @wraps_operation("create_variation")
    def create(
        self,
        experiment_id: str,
        *,
        config_yaml: str,
        name: str | None = None,
        description: str | None = None,
        hypothesis: str | None = None,
        expected_outcome: str | None = None,
        input_asset_ids: list[str] | None = None,
        launch_config: Mapping[str, Any] | None = None,
        accelerate_config_json: Mapping[str, Any] | None = None,
    ) -> VariationT:
        """Create an open variation with the next free index. Returns a handle."""
        body = VariationCreate(
            config_yaml=config_yaml,
            name=opt(name),
            description=opt(description),
            hypothesis=opt(hypothesis),
            expected_outcome=opt(expected_outcome),
            input_asset_ids=opt(input_asset_ids),
            launch_config=opt(_free_form(launch_config)),
            accelerate_config_json=opt(_free_form(accelerate_config_json)),
        )
        record = self._call(create_variation.sync_detailed, VariationRecord, experiment_id=experiment_id, body=body)
        return self._handle(experiment_id, record)

    @wraps_operation("get_variation")
    def get(self, experiment_id: str, variation: int) -> VariationRecord:
        """The full variation record."""
        return self._call(
            get_variation.sync_detailed, VariationRecord, experiment_id=experiment_id, variation=variation
        )

    @wraps_operation("update_variation")
    def update(
        self,
        experiment_id: str,
        variation: int,
        *,
        hypothesis: str | None = None,
        expected_outcome: str | None = None,
        description: str | None = None,
        name: str | None = None,
        config_yaml: str | None = None,
        launch_config: Mapping[str, Any] | None = None,
    ) -> VariationRecord:
        """Change an open variation (pre-registering its hypothesis, say); ConflictError once committed.

        Only the fields given are sent; a committed variation is frozen, like its inputs and git ref.
        """
        body = VariationUpdate(
            hypothesis=opt(hypothesis),
            expected_outcome=opt(expected_outcome),
            description=opt(description),
            name=opt(name),
            config_yaml=opt(config_yaml),
            launch_config=opt(_free_form(launch_config)),
        )
        if not body.to_dict():
            raise ValueError("update needs at least one field to change")
        return self._call(
            update_variation.sync_detailed,
            VariationRecord,
            experiment_id=experiment_id,
            variation=variation,
            body=body,
        )

    @wraps_operation("retract_variation")
    def retract(self, experiment_id: str, variation: int, *, reason: str) -> VariationRetractResult:
        """Retract a variation (idempotent; a repeat updates the reason); its outputs are invalidated.

        Like an experiment's retraction, a flag beside the state: its runs are not stopped. The result
        has ``.variation`` (with ``retracted_at``) and ``["outputs_invalidated"]``.
        """
        retracted = self._call(
            retract_variation.sync_detailed,
            VariationRetracted,
            experiment_id=experiment_id,
            variation=variation,
            body=VariationRetract(reason=reason),
        )
        return reading_both_ways(VariationRetractResult, retracted)

    @wraps_operation("commit_variation")
    def commit(self, experiment_id: str, variation: int) -> VariationRecord:
        """Commit an open variation of a committed experiment; the server creates pending run 0."""
        return self._call(
            commit_variation.sync_detailed, VariationRecord, experiment_id=experiment_id, variation=variation
        )

    @wraps_operation("get_variation_config")
    def get_config(self, experiment_id: str, variation: int) -> VariationConfig:
        """What a runner pulls at start: ``config_yaml``, ``config_json``, accelerate and launch configs."""
        return self._call(
            get_variation_config.sync_detailed, VariationConfig, experiment_id=experiment_id, variation=variation
        )

    @wraps_operation("list_variation_inputs")
    def list_inputs(self, experiment_id: str, variation: int) -> list[AssetRecord]:
        """Assets linked as inputs of the variation."""
        listing = self._call(
            list_variation_inputs.sync_detailed, AssetList, experiment_id=experiment_id, variation=variation
        )
        return assets_of(listing)

    @wraps_operation("unlink_variation_input")
    def unlink_input(self, experiment_id: str, variation: int, asset_id: str) -> InputUnlinked:
        """Unlink an input from an open variation (ConflictError once committed)."""
        return self._call(
            unlink_variation_input.sync_detailed,
            InputUnlinked,
            experiment_id=experiment_id,
            variation=variation,
            asset_id=asset_id,
        )

    @wraps_operation("list_variation_outputs")
    def list_outputs(self, experiment_id: str, variation: int) -> list[AssetRecord]:
        """Outputs of every run of the variation, newest first."""
        listing = self._call(
            list_variation_outputs.sync_detailed, AssetList, experiment_id=experiment_id, variation=variation
        )
        return assets_of(listing)

    @wraps_operation("resume_variation")
    def resume(self, experiment_id: str, variation: int) -> RunRecord:
        """Create a new pending run with a fresh number (``.run``) once earlier runs are terminal."""
        return self._call(resume_variation.sync_detailed, RunRecord, experiment_id=experiment_id, variation=variation)
