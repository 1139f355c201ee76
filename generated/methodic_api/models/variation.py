from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.variation_accelerate_config_json_type_0 import VariationAccelerateConfigJsonType0
    from ..models.variation_config_json import VariationConfigJson
    from ..models.variation_launch_config_type_0 import VariationLaunchConfigType0


T = TypeVar("T", bound="Variation")


@_attrs_define
class Variation:
    """
    Attributes:
        variation (int):
        experiment_id (str | Unset):
        config_yaml (str | Unset):
        config_json (VariationConfigJson | Unset): config_yaml parsed into JSON (empty when it is not a mapping).
        created_at (str | Unset):
        created_by (str | Unset):
        state (str | Unset): open or committed.
        accelerate_config_json (None | Unset | VariationAccelerateConfigJsonType0):
        accelerate_config_yaml (None | str | Unset):
        launch_config (None | Unset | VariationLaunchConfigType0):
        description (None | str | Unset):
        committed_at (None | str | Unset):
        retracted_at (None | str | Unset):
        retraction_reason (None | str | Unset):
        git_ref (None | str | Unset):
        git_sha (None | str | Unset):
        name (None | str | Unset):
        hypothesis (None | str | Unset):
        expected_outcome (None | str | Unset):
        input_asset_ids (list[str] | Unset):
        run_count (int | Unset):
        latest_status (None | str | Unset):
    """

    variation: int
    experiment_id: str | Unset = UNSET
    config_yaml: str | Unset = UNSET
    config_json: VariationConfigJson | Unset = UNSET
    created_at: str | Unset = UNSET
    created_by: str | Unset = UNSET
    state: str | Unset = UNSET
    accelerate_config_json: None | Unset | VariationAccelerateConfigJsonType0 = UNSET
    accelerate_config_yaml: None | str | Unset = UNSET
    launch_config: None | Unset | VariationLaunchConfigType0 = UNSET
    description: None | str | Unset = UNSET
    committed_at: None | str | Unset = UNSET
    retracted_at: None | str | Unset = UNSET
    retraction_reason: None | str | Unset = UNSET
    git_ref: None | str | Unset = UNSET
    git_sha: None | str | Unset = UNSET
    name: None | str | Unset = UNSET
    hypothesis: None | str | Unset = UNSET
    expected_outcome: None | str | Unset = UNSET
    input_asset_ids: list[str] | Unset = UNSET
    run_count: int | Unset = UNSET
    latest_status: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.variation_accelerate_config_json_type_0 import VariationAccelerateConfigJsonType0  # noqa: PLC0415
        from ..models.variation_launch_config_type_0 import VariationLaunchConfigType0  # noqa: PLC0415

        variation = self.variation

        experiment_id = self.experiment_id

        config_yaml = self.config_yaml

        config_json: dict[str, Any] | Unset = UNSET
        if not isinstance(self.config_json, Unset):
            config_json = self.config_json.to_dict()

        created_at = self.created_at

        created_by = self.created_by

        state = self.state

        accelerate_config_json: dict[str, Any] | None | Unset
        if isinstance(self.accelerate_config_json, Unset):
            accelerate_config_json = UNSET
        elif isinstance(self.accelerate_config_json, VariationAccelerateConfigJsonType0):
            accelerate_config_json = self.accelerate_config_json.to_dict()
        else:
            accelerate_config_json = self.accelerate_config_json

        accelerate_config_yaml: None | str | Unset
        if isinstance(self.accelerate_config_yaml, Unset):
            accelerate_config_yaml = UNSET
        else:
            accelerate_config_yaml = self.accelerate_config_yaml

        launch_config: dict[str, Any] | None | Unset
        if isinstance(self.launch_config, Unset):
            launch_config = UNSET
        elif isinstance(self.launch_config, VariationLaunchConfigType0):
            launch_config = self.launch_config.to_dict()
        else:
            launch_config = self.launch_config

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        committed_at: None | str | Unset
        if isinstance(self.committed_at, Unset):
            committed_at = UNSET
        else:
            committed_at = self.committed_at

        retracted_at: None | str | Unset
        if isinstance(self.retracted_at, Unset):
            retracted_at = UNSET
        else:
            retracted_at = self.retracted_at

        retraction_reason: None | str | Unset
        if isinstance(self.retraction_reason, Unset):
            retraction_reason = UNSET
        else:
            retraction_reason = self.retraction_reason

        git_ref: None | str | Unset
        if isinstance(self.git_ref, Unset):
            git_ref = UNSET
        else:
            git_ref = self.git_ref

        git_sha: None | str | Unset
        if isinstance(self.git_sha, Unset):
            git_sha = UNSET
        else:
            git_sha = self.git_sha

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        hypothesis: None | str | Unset
        if isinstance(self.hypothesis, Unset):
            hypothesis = UNSET
        else:
            hypothesis = self.hypothesis

        expected_outcome: None | str | Unset
        if isinstance(self.expected_outcome, Unset):
            expected_outcome = UNSET
        else:
            expected_outcome = self.expected_outcome

        input_asset_ids: list[str] | Unset = UNSET
        if not isinstance(self.input_asset_ids, Unset):
            input_asset_ids = self.input_asset_ids

        run_count = self.run_count

        latest_status: None | str | Unset
        if isinstance(self.latest_status, Unset):
            latest_status = UNSET
        else:
            latest_status = self.latest_status

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "variation": variation,
            }
        )
        if experiment_id is not UNSET:
            field_dict["experiment_id"] = experiment_id
        if config_yaml is not UNSET:
            field_dict["config_yaml"] = config_yaml
        if config_json is not UNSET:
            field_dict["config_json"] = config_json
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if created_by is not UNSET:
            field_dict["created_by"] = created_by
        if state is not UNSET:
            field_dict["state"] = state
        if accelerate_config_json is not UNSET:
            field_dict["accelerate_config_json"] = accelerate_config_json
        if accelerate_config_yaml is not UNSET:
            field_dict["accelerate_config_yaml"] = accelerate_config_yaml
        if launch_config is not UNSET:
            field_dict["launch_config"] = launch_config
        if description is not UNSET:
            field_dict["description"] = description
        if committed_at is not UNSET:
            field_dict["committed_at"] = committed_at
        if retracted_at is not UNSET:
            field_dict["retracted_at"] = retracted_at
        if retraction_reason is not UNSET:
            field_dict["retraction_reason"] = retraction_reason
        if git_ref is not UNSET:
            field_dict["git_ref"] = git_ref
        if git_sha is not UNSET:
            field_dict["git_sha"] = git_sha
        if name is not UNSET:
            field_dict["name"] = name
        if hypothesis is not UNSET:
            field_dict["hypothesis"] = hypothesis
        if expected_outcome is not UNSET:
            field_dict["expected_outcome"] = expected_outcome
        if input_asset_ids is not UNSET:
            field_dict["input_asset_ids"] = input_asset_ids
        if run_count is not UNSET:
            field_dict["run_count"] = run_count
        if latest_status is not UNSET:
            field_dict["latest_status"] = latest_status

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.variation_accelerate_config_json_type_0 import VariationAccelerateConfigJsonType0  # noqa: PLC0415
        from ..models.variation_config_json import VariationConfigJson  # noqa: PLC0415
        from ..models.variation_launch_config_type_0 import VariationLaunchConfigType0  # noqa: PLC0415

        d = dict(src_dict)
        variation = d.pop("variation")

        experiment_id = d.pop("experiment_id", UNSET)

        config_yaml = d.pop("config_yaml", UNSET)

        _config_json = d.pop("config_json", UNSET)
        config_json: VariationConfigJson | Unset
        if isinstance(_config_json, Unset):
            config_json = UNSET
        else:
            config_json = VariationConfigJson.from_dict(_config_json)

        created_at = d.pop("created_at", UNSET)

        created_by = d.pop("created_by", UNSET)

        state = d.pop("state", UNSET)

        def _parse_accelerate_config_json(data: object) -> None | Unset | VariationAccelerateConfigJsonType0:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                accelerate_config_json_type_0 = VariationAccelerateConfigJsonType0.from_dict(data)

                return accelerate_config_json_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | VariationAccelerateConfigJsonType0, data)

        accelerate_config_json = _parse_accelerate_config_json(d.pop("accelerate_config_json", UNSET))

        def _parse_accelerate_config_yaml(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        accelerate_config_yaml = _parse_accelerate_config_yaml(d.pop("accelerate_config_yaml", UNSET))

        def _parse_launch_config(data: object) -> None | Unset | VariationLaunchConfigType0:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                launch_config_type_0 = VariationLaunchConfigType0.from_dict(data)

                return launch_config_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | VariationLaunchConfigType0, data)

        launch_config = _parse_launch_config(d.pop("launch_config", UNSET))

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_committed_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        committed_at = _parse_committed_at(d.pop("committed_at", UNSET))

        def _parse_retracted_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        retracted_at = _parse_retracted_at(d.pop("retracted_at", UNSET))

        def _parse_retraction_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        retraction_reason = _parse_retraction_reason(d.pop("retraction_reason", UNSET))

        def _parse_git_ref(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        git_ref = _parse_git_ref(d.pop("git_ref", UNSET))

        def _parse_git_sha(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        git_sha = _parse_git_sha(d.pop("git_sha", UNSET))

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_hypothesis(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        hypothesis = _parse_hypothesis(d.pop("hypothesis", UNSET))

        def _parse_expected_outcome(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        expected_outcome = _parse_expected_outcome(d.pop("expected_outcome", UNSET))

        input_asset_ids = cast(list[str], d.pop("input_asset_ids", UNSET))

        run_count = d.pop("run_count", UNSET)

        def _parse_latest_status(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        latest_status = _parse_latest_status(d.pop("latest_status", UNSET))

        variation = cls(
            variation=variation,
            experiment_id=experiment_id,
            config_yaml=config_yaml,
            config_json=config_json,
            created_at=created_at,
            created_by=created_by,
            state=state,
            accelerate_config_json=accelerate_config_json,
            accelerate_config_yaml=accelerate_config_yaml,
            launch_config=launch_config,
            description=description,
            committed_at=committed_at,
            retracted_at=retracted_at,
            retraction_reason=retraction_reason,
            git_ref=git_ref,
            git_sha=git_sha,
            name=name,
            hypothesis=hypothesis,
            expected_outcome=expected_outcome,
            input_asset_ids=input_asset_ids,
            run_count=run_count,
            latest_status=latest_status,
        )

        variation.additional_properties = d
        return variation

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
