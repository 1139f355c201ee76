"""A HF Trainer run that is killed with SIGKILL right after its second checkpoint was handed over.

python hf_kill_child.py OUTPUT_DIR   (the run from CHRONICLE_* variables)
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples"))

import hf_trainer
from transformers import TrainerCallback


class KillAfterSecondSave(TrainerCallback):
    """Runs after ChronicleCallback's on_save: the checkpoint is handed over, its upload is in flight."""

    def on_save(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        if state.global_step == 4:
            os.kill(os.getpid(), signal.SIGKILL)


if __name__ == "__main__":
    hf_trainer.train(
        Path(sys.argv[1]), max_steps=8, save_steps=2, save_total_limit=1, extra_callbacks=[KillAfterSecondSave()]
    )
