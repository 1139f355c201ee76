"""Every second name: the seeds' and the hosted SDK's aliases, each calling the one canonical method it names.

One operation has one canonical name, which the docs teach; the names here keep the seed specs' and the
published hosted client's code working (``tests/hosted_wire/test_signatures.py`` holds the hosted ones).
Each class is a mixin its namespace or handle inherits, so ``chronicle.runs.get`` and the rest still exist;
each alias says which canonical method it calls, and does nothing else.

The aliases, and the canonical method each calls::

    chronicle.upload_session(target)       -> chronicle.run(e, v, r).uploads (None: no transfer yet)
    chronicle.drain_uploads(e, v, r, t)    -> chronicle.run(e, v, r).drain_uploads(t)
    experiments.add_inputs                 -> experiments.link_inputs
    experiments.link_input                 -> experiments.link_inputs (one id)
    variations.get_config                  -> variations.get
    runs.get                               -> runs.get_status
    runs.get_variation_config              -> variations.get
    runs.list_variation_outputs            -> variations.list_outputs
    assets.share_with_scope                -> assets.grant_access (a scope's id)
    Experiment.add_inputs                  -> Experiment.link_inputs
    Experiment.link_input                  -> Experiment.link_inputs (one id)
    Variation.get_config                   -> variations.get
    Run.refresh_state                      -> Run.get_status (then .state)
    Run.register_and_upload_async          -> Run.upload_directory_async (a tracker)
    Run.upload_environment                 -> Run.upload_asset("environment", ...)
    Run.upload_component                   -> assets.upload_component
    Run.finalize_asset                     -> assets.finalize
    Run.get_asset                          -> assets.get
    Run.presign_asset                      -> assets.presign

Second names of result *types* (``FileSha256`` for :class:`~methodic.types.ComponentDigest`,
``VariationConfig`` for ``VariationRecord``, ...) are not methods: they are defined in :mod:`methodic.types`,
each on the line after the class it names, because the result types are the lowest layer and may not
import this module (``make lint``'s layers contract).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

if TYPE_CHECKING:
    from methodic._models import Record
    from methodic.transfer.futures import AssetUpload, OutputTarget
    from methodic.transfer.progress import ProgressOption
    from methodic.transfer.session import UploadSession
    from methodic.transfer.tracker import UploadTracker
    from methodic.types import (
        AssetCreated,
        AssetRecord,
        FileSha256,
        InputsLinked,
        PresignedUrls,
        RunRecord,
        VariationConfig,
        VariationRecord,
    )


# -- what each alias needs of its class: the canonical method ----------------------------------------
class _Client(Protocol):
    @property
    def _resources(self) -> Any: ...

    def run(self, experiment_id: str, variation: int, run: int) -> Any: ...


class _LinksInputs(Protocol):
    def link_inputs(
        self,
        experiment_id: str,
        asset_ids: str | Sequence[str],
        *,
        variation: int | None = None,
        allow_invalid_assets: bool = False,
        propagate_acl: bool = True,
    ) -> InputsLinked: ...


class _GetsVariation(Protocol):
    def get(self, experiment_id: str, variation: int) -> VariationRecord: ...


class _GetsRunStatus(Protocol):
    def get_status(self, experiment_id: str, variation: int, run: int) -> RunRecord: ...


class _HasVariations(Protocol):
    @property
    def _variations(self) -> Any: ...


class _GrantsAccess(Protocol):
    def grant_access(self, asset_id: str, principal_id: str, action: str = "read") -> Record: ...


class _Handle(Protocol):
    """A handle: its resources (``_api``: the namespaces and the transfers) and its ids."""

    @property
    def _api(self) -> Any: ...


class _ExperimentHandle(Protocol):
    def link_inputs(
        self, asset_ids: str | Sequence[str], *, variation: int | None = None, allow_invalid_assets: bool = False
    ) -> Any: ...


class _VariationHandle(_Handle, Protocol):
    experiment_id: str
    variation: int


class _RunHandle(_VariationHandle, Protocol):
    @property
    def state(self) -> str | None: ...

    def get_status(self) -> RunRecord: ...

    def upload_asset(
        self,
        asset_type: str,
        content: Any,
        name: str | None = None,
        content_type: str | None = None,
        asset_config: Mapping[str, Any] | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> AssetCreated: ...

    def upload_directory_async(
        self,
        local_dir: Path | str,
        asset_type: str,
        content_type: str = ...,
        upload_tracker: UploadTracker | None = None,
        asset_config: Mapping[str, Any] | None = None,
        metadata: Mapping[str, Any] | None = None,
        ttl_days: int | None = None,
        *,
        name: str | None = None,
        progress: ProgressOption = None,
    ) -> AssetUpload: ...


_E = TypeVar("_E", bound=_ExperimentHandle)


# -- the client --------------------------------------------------------------------------------------
class ChronicleAliases:
    """``Chronicle``'s second names: a run's uploads by its ids instead of through its handle."""

    def upload_session(self: _Client, output_of: OutputTarget) -> UploadSession | None:
        """Alias of ``chronicle.run(e, v, r).uploads``; None while this client never started a transfer."""
        session: UploadSession | None = self._resources.upload_session(output_of)
        return session

    def drain_uploads(self: _Client, experiment_id: str, variation: int, run: int, timeout: float) -> list[AssetUpload]:
        """Alias of ``chronicle.run(e, v, r).drain_uploads(timeout)``: the run's uploads still unfinished after it."""
        unfinished: list[AssetUpload] = self.run(experiment_id, variation, run).drain_uploads(timeout)
        return unfinished


# -- namespaces ---------------------------------------------------------------------------------------
class ExperimentsAliases:
    """``chronicle.experiments``' second names."""

    def add_inputs(
        self: _LinksInputs,
        experiment_id: str,
        asset_ids: str | Sequence[str],
        *,
        variation: int | None = None,
        allow_invalid_assets: bool = False,
    ) -> InputsLinked:
        """Alias of ``experiments.link_inputs`` (its older name)."""
        return self.link_inputs(
            experiment_id, asset_ids, variation=variation, allow_invalid_assets=allow_invalid_assets
        )

    def link_input(
        self: _LinksInputs,
        experiment_id: str,
        asset_id: str,
        *,
        variation: int | None = None,
        allow_invalid_assets: bool = False,
        propagate_acl: bool = True,
    ) -> InputsLinked:
        """Alias of ``experiments.link_inputs`` for one asset."""
        return self.link_inputs(
            experiment_id,
            [asset_id],
            variation=variation,
            allow_invalid_assets=allow_invalid_assets,
            propagate_acl=propagate_acl,
        )


class VariationsAliases:
    """``chronicle.variations``' second names."""

    def get_config(self: _GetsVariation, experiment_id: str, variation: int) -> VariationRecord:
        """Alias of ``variations.get``: what a runner trains with is the variation itself (``config_json``, ...)."""
        return self.get(experiment_id, variation)


class RunsAliases:
    """``chronicle.runs``' second names."""

    def get(self: _GetsRunStatus, experiment_id: str, variation: int, run: int) -> RunRecord:
        """Alias of ``runs.get_status`` (its older name)."""
        return self.get_status(experiment_id, variation, run)

    def get_variation_config(self: _HasVariations, experiment_id: str, variation: int) -> VariationRecord:
        """Alias of ``variations.get`` (the hosted SDK's name on ``runs``): the variation with its config."""
        record: VariationRecord = self._variations.get(experiment_id, variation)
        return record

    def list_variation_outputs(self: _HasVariations, experiment_id: str, variation: int) -> list[AssetRecord]:
        """Alias of ``variations.list_outputs`` (the hosted SDK's name on ``runs``): every run's outputs."""
        outputs: list[AssetRecord] = self._variations.list_outputs(experiment_id, variation)
        return outputs


class AssetsAliases:
    """``chronicle.assets``' second names."""

    def share_with_scope(self: _GrantsAccess, asset_id: str, scope_id: str, action: str = "read") -> Record:
        """Alias of ``assets.grant_access`` to a team or organization you belong to (``me.scopes()``)."""
        return self.grant_access(asset_id, scope_id, action=action)


# -- handles ------------------------------------------------------------------------------------------
class ExperimentAliases:
    """``Experiment``'s second names."""

    def add_inputs(
        self: _E,
        asset_ids: str | Sequence[str],
        *,
        variation: int | None = None,
        allow_invalid_assets: bool = False,
    ) -> _E:
        """Alias of ``Experiment.link_inputs`` (its older name); returns self."""
        self.link_inputs(asset_ids, variation=variation, allow_invalid_assets=allow_invalid_assets)
        return self

    def link_input(self: _E, asset_id: str, *, variation: int | None = None, allow_invalid_assets: bool = False) -> _E:
        """Alias of ``Experiment.link_inputs`` for one asset; returns self."""
        self.link_inputs([asset_id], variation=variation, allow_invalid_assets=allow_invalid_assets)
        return self


class VariationAliases:
    """``Variation``'s second names."""

    def get_config(self: _VariationHandle) -> VariationConfig:
        """Alias of ``variations.get``: the runner configuration."""
        config: VariationConfig = self._api.variations.get(self.experiment_id, self.variation)
        return config


class RunAliases:
    """``Run``'s second names (most are the hosted SDK's asset calls, bound to the run's client)."""

    def refresh_state(self: _RunHandle) -> str | None:
        """Alias of ``Run.get_status`` that answers the state (useful when the watchdog changed it)."""
        self.get_status()
        return self.state

    def upload_environment(self: _RunHandle, environment: Mapping[str, Any]) -> AssetCreated:
        """Alias of ``Run.upload_asset("environment", ...)`` (``methodic.environment.capture()`` builds one)."""
        return self.upload_asset("environment", dict(environment))

    def upload_component(
        self: _RunHandle,
        upload_url: str,
        local_path: Path | str,
        content_type: str = "application/octet-stream",
        *,
        progress: ProgressOption = None,
    ) -> FileSha256:
        """Alias of ``assets.upload_component``: one file to its URL; its hex sha256 (with ``.size``)."""
        digest: FileSha256 = self._api.assets.upload_component(upload_url, local_path, content_type, progress=progress)
        return digest

    def finalize_asset(self: _RunHandle, asset_id: str, sha256s: Mapping[str, str] | None = None) -> AssetRecord:
        """Alias of ``assets.finalize`` (pending → ready, each given sha256 checked first; safe twice)."""
        record: AssetRecord = self._api.assets.finalize(asset_id, sha256s)
        return record

    def get_asset(self: _RunHandle, asset_id: str, include_presigned: bool = False) -> AssetRecord:
        """Alias of ``assets.get`` (with read URLs when ``include_presigned``)."""
        record: AssetRecord = self._api.assets.get(asset_id, include_presigned=include_presigned)
        return record

    def presign_asset(
        self: _RunHandle, asset_id: str, operation: str = "read", components: Sequence[str] | None = None
    ) -> PresignedUrls:
        """Alias of ``assets.presign`` (``"read"``, or ``"upload"`` while pending)."""
        urls: PresignedUrls = self._api.assets.presign(asset_id, operation=operation, components=components)
        return urls

    def register_and_upload_async(
        self: _RunHandle,
        local_dir: Path | str,
        asset_type: str,
        upload_tracker: UploadTracker,
        content_type: str = "application/octet-stream",
        asset_config: Mapping[str, Any] | None = None,
        metadata: Mapping[str, Any] | None = None,
        ttl_days: int | None = None,
        *,
        name: str | None = None,
        progress: ProgressOption = None,
    ) -> AssetUpload:
        """Alias of ``Run.upload_directory_async`` with an ``upload_tracker`` (the hosted SDK's order).

        Every component is registered in the tracker, in one transaction, before any upload starts.
        """
        return self.upload_directory_async(
            local_dir,
            asset_type,
            content_type,
            upload_tracker,
            asset_config,
            metadata,
            ttl_days,
            name=name,
            progress=progress,
        )
