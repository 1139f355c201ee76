from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.lesson import Lesson
    from ..models.scope_lessons_experiments_item import ScopeLessonsExperimentsItem


T = TypeVar("T", bound="ScopeLessons")


@_attrs_define
class ScopeLessons:
    """
    Attributes:
        lessons (list[Lesson] | Unset):
        experiments (list[ScopeLessonsExperimentsItem] | Unset):
    """

    lessons: list[Lesson] | Unset = UNSET
    experiments: list[ScopeLessonsExperimentsItem] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        lessons: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.lessons, Unset):
            lessons = []
            for lessons_item_data in self.lessons:
                lessons_item = lessons_item_data.to_dict()
                lessons.append(lessons_item)

        experiments: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.experiments, Unset):
            experiments = []
            for experiments_item_data in self.experiments:
                experiments_item = experiments_item_data.to_dict()
                experiments.append(experiments_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if lessons is not UNSET:
            field_dict["lessons"] = lessons
        if experiments is not UNSET:
            field_dict["experiments"] = experiments

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.lesson import Lesson  # noqa: PLC0415
        from ..models.scope_lessons_experiments_item import ScopeLessonsExperimentsItem  # noqa: PLC0415

        d = dict(src_dict)
        _lessons = d.pop("lessons", UNSET)
        lessons: list[Lesson] | Unset = UNSET
        if _lessons is not UNSET:
            lessons = []
            for lessons_item_data in _lessons:
                lessons_item = Lesson.from_dict(lessons_item_data)

                lessons.append(lessons_item)

        _experiments = d.pop("experiments", UNSET)
        experiments: list[ScopeLessonsExperimentsItem] | Unset = UNSET
        if _experiments is not UNSET:
            experiments = []
            for experiments_item_data in _experiments:
                experiments_item = ScopeLessonsExperimentsItem.from_dict(experiments_item_data)

                experiments.append(experiments_item)

        scope_lessons = cls(
            lessons=lessons,
            experiments=experiments,
        )

        scope_lessons.additional_properties = d
        return scope_lessons

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
