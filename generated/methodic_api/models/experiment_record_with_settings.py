from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.experiment_record_with_settings_report_settings_type_0 import (
        ExperimentRecordWithSettingsReportSettingsType0,
    )


T = TypeVar("T", bound="ExperimentRecordWithSettings")


@_attrs_define
class ExperimentRecordWithSettings:
    """
    Attributes:
        id (str | Unset):
        report_settings (ExperimentRecordWithSettingsReportSettingsType0 | None | Unset):
    """

    id: str | Unset = UNSET
    report_settings: ExperimentRecordWithSettingsReportSettingsType0 | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.experiment_record_with_settings_report_settings_type_0 import (
            ExperimentRecordWithSettingsReportSettingsType0,  # noqa: PLC0415
        )

        id = self.id

        report_settings: dict[str, Any] | None | Unset
        if isinstance(self.report_settings, Unset):
            report_settings = UNSET
        elif isinstance(self.report_settings, ExperimentRecordWithSettingsReportSettingsType0):
            report_settings = self.report_settings.to_dict()
        else:
            report_settings = self.report_settings

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if id is not UNSET:
            field_dict["id"] = id
        if report_settings is not UNSET:
            field_dict["report_settings"] = report_settings

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.experiment_record_with_settings_report_settings_type_0 import (
            ExperimentRecordWithSettingsReportSettingsType0,  # noqa: PLC0415
        )

        d = dict(src_dict)
        id = d.pop("id", UNSET)

        def _parse_report_settings(data: object) -> ExperimentRecordWithSettingsReportSettingsType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                report_settings_type_0 = ExperimentRecordWithSettingsReportSettingsType0.from_dict(data)

                return report_settings_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ExperimentRecordWithSettingsReportSettingsType0 | None | Unset, data)

        report_settings = _parse_report_settings(d.pop("report_settings", UNSET))

        experiment_record_with_settings = cls(
            id=id,
            report_settings=report_settings,
        )

        experiment_record_with_settings.additional_properties = d
        return experiment_record_with_settings

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
