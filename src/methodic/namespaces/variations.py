"""``chronicle.variations``: variations are addressed by their integer index within an experiment."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Generic, TypeVar

from methodic_api.api.variations import (
    commit_variation,
    create_variation,
    get_variation,
    link_variation_inputs,
    list_variation_inputs,
    list_variation_outputs,
    retract_variation,
    set_variation_git_ref,
    unlink_variation_input,
    update_variation,
)
from methodic_api.models.free_form import FreeForm
from methodic_api.models.inputs_link import InputsLink
from methodic_api.models.retract import Retract
from methodic_api.models.variation_commit import VariationCommit
from methodic_api.models.variation_create import VariationCreate
from methodic_api.models.variation_git_ref import VariationGitRef
from methodic_api.models.variation_update import VariationUpdate

from methodic._compat import VariationsAliases
from methodic._operations import wraps_operation
from methodic._transport import Transport
from methodic.namespaces._base import Namespace, opt
from methodic.types import (
    AssetRecord,
    InputsLinked,
    InputUnlinked,
    VariationRecord,
    VariationRetractResult,
)

#: What ``create`` returns: the client binds this to its ``Variation`` handle.
VariationT = TypeVar("VariationT")


def free_form(value: Mapping[str, Any] | None) -> FreeForm | None:
    """A free-form JSON object for a request body (None: not sent)."""
    if value is None:
        return None
    return FreeForm.from_dict(dict(value))


def asset_id_list(asset_ids: str | Sequence[str]) -> list[str]:
    """One id or several, as the list the wire takes (ValueError for none)."""
    ids = [asset_ids] if isinstance(asset_ids, str) else list(asset_ids)
    if not ids:
        raise ValueError("link at least one asset id")
    return ids


class VariationsNamespace(Namespace, VariationsAliases, Generic[VariationT]):
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
        accelerate_config_yaml: str | None = None,
        launch_config: Mapping[str, Any] | None = None,
        description: str | None = None,
        input_asset_ids: list[str] | None = None,
        git_ref: str | None = None,
        name: str | None = None,
        hypothesis: str | None = None,
        expected_outcome: str | None = None,
    ) -> VariationT:
        """Create an open variation with the next free index (and its pending run 0). Returns a handle."""
        body = VariationCreate(
            config_yaml=config_yaml,
            accelerate_config_yaml=opt(accelerate_config_yaml),
            launch_config=opt(free_form(launch_config)),
            description=opt(description),
            input_asset_ids=opt(input_asset_ids),
            git_ref=opt(git_ref),
            name=opt(name),
            hypothesis=opt(hypothesis),
            expected_outcome=opt(expected_outcome),
        )
        record = self._call(create_variation.sync_detailed, VariationRecord, experiment_id=experiment_id, body=body)
        return self._handle(experiment_id, record)

    @wraps_operation("get_variation")
    def get(self, experiment_id: str, variation: int) -> VariationRecord:
        """The variation with its config: ``config_yaml``, ``config_json`` (a dict), ``launch_config``, ..."""
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
    ) -> VariationRecord:
        """Edit an open variation (pre-registering its hypothesis, say); ConflictError once committed.

        Only the fields given are sent (``""`` clears one); a committed variation is frozen.
        """
        body = VariationUpdate(
            hypothesis=opt(hypothesis),
            expected_outcome=opt(expected_outcome),
            description=opt(description),
            name=opt(name),
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

    @wraps_operation("commit_variation")
    def commit(self, experiment_id: str, variation: int, *, commit_without_hypothesis: bool = False) -> VariationRecord:
        """Commit an open variation; without a hypothesis the server refuses (409) unless told to commit anyway."""
        return self._call(
            commit_variation.sync_detailed,
            VariationRecord,
            experiment_id=experiment_id,
            variation=variation,
            body=VariationCommit(commit_without_hypothesis=commit_without_hypothesis),
        )

    @wraps_operation("set_variation_git_ref")
    def set_git_ref(self, experiment_id: str, variation: int, git_ref: str) -> VariationRecord:
        """Bind a branch to an open variation; its SHA is pinned at commit (ConflictError once committed).

        ``agent/*`` branches are the platform's and are refused (BadRequestError).
        """
        return self._call(
            set_variation_git_ref.sync_detailed,
            VariationRecord,
            experiment_id=experiment_id,
            variation=variation,
            body=VariationGitRef(git_ref=git_ref),
        )

    @wraps_operation("retract_variation")
    def retract(
        self, experiment_id: str, variation: int, *, reason: str, document_asset_id: str | None = None
    ) -> VariationRetractResult:
        """Retract a variation (idempotent; a repeat updates the reason); its outputs are invalidated.

        Like an experiment's retraction, a flag beside the state: its runs are not stopped. The result
        has ``.variation`` (with ``retracted_at``) and ``["outputs_invalidated"]``.
        """
        return self._call(
            retract_variation.sync_detailed,
            VariationRetractResult,
            experiment_id=experiment_id,
            variation=variation,
            body=Retract(reason=reason, document_asset_id=opt(document_asset_id)),
        )

    @wraps_operation("list_variation_inputs")
    def list_inputs(self, experiment_id: str, variation: int) -> list[AssetRecord]:
        """Assets linked as inputs of the variation (its own and the experiment's)."""
        return self._list(
            list_variation_inputs.sync_detailed, AssetRecord, experiment_id=experiment_id, variation=variation
        )

    @wraps_operation("link_variation_inputs")
    def link_inputs(
        self,
        experiment_id: str,
        variation: int,
        asset_ids: str | Sequence[str],
        *,
        allow_invalid_assets: bool = False,
    ) -> InputsLinked:
        """Link assets as inputs of one open variation (ready assets; invalidated ones only when allowed)."""
        body = InputsLink(asset_ids=asset_id_list(asset_ids), allow_invalid_assets=allow_invalid_assets)
        return self._call(
            link_variation_inputs.sync_detailed,
            InputsLinked,
            experiment_id=experiment_id,
            variation=variation,
            body=body,
        )

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
        return self._list(
            list_variation_outputs.sync_detailed, AssetRecord, experiment_id=experiment_id, variation=variation
        )
