"""What a docs page says comes from your own code, for the blocks that run after it.

Each prelude runs in the block's namespace before the block, with the local server's
``CHRONICLE_SERVER_URL`` / ``CHRONICLE_API_KEY`` in the environment and a fresh working folder.
"""

from __future__ import annotations

from pathlib import Path

# A committed experiment, its variation 0 and its pending run 0: `chronicle`, `exp_id`, `run`.
PENDING_RUN = """
from pathlib import Path
from methodic import Chronicle, UploadTracker
chronicle = Chronicle.from_env()
exp_id = chronicle.experiments.create(title="docs", hypothesis_summary="h", config_yaml="lr: 0.1\\n").id
chronicle.experiments.commit(exp_id)
chronicle.variation(exp_id, 0).commit(commit_without_hypothesis=True)
run = chronicle.run(exp_id, variation=0, run=0)
"""

# The same run, started.
RUN = PENDING_RUN + "run.start()\n"

# A run (as RUN) that already has one ready checkpoint, and a tracker.
RUN_WITH_CHECKPOINT = (
    RUN
    + """
Path("out/checkpoint-100").mkdir(parents=True)
Path("out/checkpoint-100/model.bin").write_bytes(b"weights" * 1000)
run.upload_directory_async("out/checkpoint-100", asset_type="checkpoint", asset_config={"step": 100}).wait()
tracker = UploadTracker(db_path=Path("uploads.sqlite"))
"""
)

# What the researcher's page leaves behind: an experiment with variation 1 committed (lr 0.05, 1000
# steps), its id in CHRONICLE_EXPERIMENT_ID as a scheduler would pass it.
EXPERIMENT = """
import os
from methodic import Chronicle
with Chronicle.from_env() as _c:
    _exp = _c.experiments.create(title="docs", hypothesis_summary="h", config_yaml="lr: 0.01\\nsteps: 1000\\n")
    _exp.commit().variations.create(config_yaml="lr: 0.05\\nsteps: 1000\\n", hypothesis="faster").commit()
    os.environ["CHRONICLE_EXPERIMENT_ID"] = _exp.id
"""

# The HF Trainer page's `model`, `args` and `ds`: the tiny GPT-2 of examples/hf_trainer.py (built from a
# config, trained on the CPU in seconds), and a pending run named by the environment for the callback.
HF_TRAINER = (
    PENDING_RUN
    + f"""
import os, sys
import pytest
pytest.importorskip("transformers")  # the dev extra's; `make test-all`'s test extra has no framework
sys.path.insert(0, {str(Path(__file__).resolve().parents[2] / "examples")!r})
import hf_trainer
model = hf_trainer.tiny_gpt2()
args = hf_trainer.training_arguments(Path("out"), max_steps=4, save_steps=2, save_total_limit=1)
ds = hf_trainer.CountingDataset(size=32)
os.environ.update(CHRONICLE_EXPERIMENT_ID=exp_id, CHRONICLE_VARIATION="0", CHRONICLE_RUN="0")
"""
)

EXAMPLES = str(Path(__file__).resolve().parents[2] / "examples")

# The Lightning page's `model` and `data`: the small regression of examples/lightning_runner.py (logs
# `train_loss`), and a pending run named by the environment.
LIGHTNING = (
    PENDING_RUN
    + f"""
import os, sys
import pytest
pytest.importorskip("lightning")
sys.path.insert(0, {EXAMPLES!r})
import lightning_runner
model = lightning_runner.Regression()
data = lightning_runner.data(n=64)
os.environ.update(CHRONICLE_EXPERIMENT_ID=exp_id, CHRONICLE_VARIATION="0", CHRONICLE_RUN="0")
"""
)

# The accelerate page's `steps` and `loss` (its loop body is `...`), and a pending run in the environment.
ACCELERATE = (
    PENDING_RUN
    + """
import os
import pytest
pytest.importorskip("accelerate")
steps, loss = 200, 0.25
os.environ.update(CHRONICLE_EXPERIMENT_ID=exp_id, CHRONICLE_VARIATION="0", CHRONICLE_RUN="0")
"""
)

PRELUDES = {
    "lightning": LIGHTNING,
    "accelerate": ACCELERATE,
    "hf_trainer": HF_TRAINER,
    "experiment": EXPERIMENT,
    "pending_run": PENDING_RUN,
    "run": RUN,
    "run_with_checkpoint": RUN_WITH_CHECKPOINT,
}
