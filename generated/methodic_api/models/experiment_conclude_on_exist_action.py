from enum import StrEnum


class ExperimentConcludeOnExistAction(StrEnum):
    KEEP = "keep"
    REGENERATE = "regenerate"

    def __str__(self) -> str:
        return str(self.value)
