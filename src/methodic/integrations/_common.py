"""What every trainer integration shares besides the session: the run to record, checkpoint configs, trackers.

Split from :mod:`methodic.integrations.session` (which re-exports every name): the run resolved from
arguments or ``CHRONICLE_*`` variables, JSON-safe metrics, a checkpoint's ``asset_config``, the tracker
an ``upload_tracker`` option names, and the folders whose upload still runs.
"""

from __future__ import annotations

import json
import logging
import math
import os
import shutil
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from methodic._constants import LOGGER_NAME
from methodic.errors import ChronicleConfigError

if TYPE_CHECKING:
    from methodic._client import Chronicle
    from methodic.run import Run
    from methodic.transfer.tracker import UploadTracker

logger = logging.getLogger(LOGGER_NAME)

ENV_EXPERIMENT_ID = "CHRONICLE_EXPERIMENT_ID"
ENV_VARIATION = "CHRONICLE_VARIATION"
ENV_RUN = "CHRONICLE_RUN"
TRACKER_FILE_NAME = "methodic-uploads.sqlite"
#: Seconds without a training step, log or save after which the callbacks' heartbeats stop.
DEFAULT_IDLE_TIMEOUT = 3600.0


def resolve_run(
    run: Run | None = None,
    *,
    chronicle: Chronicle | None = None,
    experiment_id: str | None = None,
    variation: int | None = None,
    run_index: int | None = None,
) -> Run:
    """The run to record: the one given, or the triple from arguments or the environment.

    The environment is ``CHRONICLE_EXPERIMENT_ID``, ``CHRONICLE_VARIATION`` and ``CHRONICLE_RUN``;
    the client is ``chronicle`` or ``Chronicle.from_env()``.
    No network call is made: every rank of a distributed job may resolve its run cheaply.
    """
    if run is not None:
        return run
    experiment_id = experiment_id or os.environ.get(ENV_EXPERIMENT_ID)
    variation = variation if variation is not None else _int_env(ENV_VARIATION)
    run_index = run_index if run_index is not None else _int_env(ENV_RUN)
    missing = [
        name
        for name, value in ((ENV_EXPERIMENT_ID, experiment_id), (ENV_VARIATION, variation), (ENV_RUN, run_index))
        if value is None
    ]
    if missing or experiment_id is None or variation is None or run_index is None:
        raise ChronicleConfigError(
            "no run to record: pass run=chronicle.run(experiment_id, variation, run), or experiment_id=, "
            f"variation= and run_index=, or set {', '.join(missing)}"
        )
    if chronicle is None:
        from methodic._client import Chronicle

        chronicle = Chronicle.from_env()
    return chronicle.run(experiment_id, variation, run_index)


def _int_env(name: str) -> int | None:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return None
    try:
        return int(raw)
    except ValueError:
        raise ChronicleConfigError(f"{name} must be an integer, got {raw!r}") from None


def wandb_link() -> dict[str, str]:
    """The W&B triple for ``run.start()`` when a wandb run is active in this process (wandb is never imported)."""
    wandb = sys.modules.get("wandb")
    active = getattr(wandb, "run", None) if wandb is not None else None
    if active is None:
        return {}
    link: dict[str, str] = {}
    for key, attribute in (("wandb_run_id", "id"), ("wandb_entity", "entity"), ("wandb_project", "project")):
        value = getattr(active, attribute, None)
        if isinstance(value, str) and value:
            link[key] = value
    get_url = getattr(active, "get_url", None)
    url = get_url() if callable(get_url) else None
    if isinstance(url, str) and url:
        link["wandb_dashboard_url"] = url
    return link if "wandb_run_id" in link else {}


def jsonable(value: Any) -> Any:
    """``value`` made JSON-safe: numbers stay numbers (NaN and infinities become None), the rest becomes text."""
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    item = getattr(value, "item", None)  # numpy and torch scalars
    if callable(item):
        try:
            return jsonable(item())
        except (TypeError, ValueError, RuntimeError):
            pass
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return str(value)
    return value


def numeric_metrics(metrics: Mapping[str, Any]) -> dict[str, float]:
    """The finite numbers among ``metrics`` (tensors included), for a checkpoint's ``asset_config``."""
    out: dict[str, float] = {}
    for key, value in metrics.items():
        number = jsonable(value)
        if isinstance(number, (int, float)) and not isinstance(number, bool):
            out[str(key)] = float(number)
    return out


def checkpoint_config(
    framework: str,
    *,
    step: int,
    epoch: float | None = None,
    metrics: Mapping[str, Any] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The ``asset_config`` of a checkpoint: ``step``, ``framework``, ``epoch``, the latest numeric ``metrics``."""
    config: dict[str, Any] = {"step": int(step), "framework": framework}
    if epoch is not None:
        config["epoch"] = jsonable(epoch)
    config["metrics"] = numeric_metrics(metrics or {})
    if extra:
        config.update(jsonable(extra))
    return config


def open_tracker(tracker: UploadTracker | Path | str | None, *, auto_dir: Path | str) -> UploadTracker | None:
    """The tracker for an integration's ``upload_tracker`` option.

    ``"auto"`` is ``methodic-uploads.sqlite`` in ``auto_dir`` (the trainer's output folder); a path is opened
    (its folder created); a tracker is used as given; None keeps upload state in memory only.
    """
    if tracker is None or not isinstance(tracker, (str, Path)):
        return tracker
    from methodic.transfer.tracker import UploadTracker

    path = Path(auto_dir) / TRACKER_FILE_NAME if tracker == "auto" else Path(tracker)
    path.parent.mkdir(parents=True, exist_ok=True)
    return UploadTracker(db_path=path)


def owns_tracker(option: object) -> bool:
    """Whether an ``upload_tracker`` option makes the integration open (and so close) the tracker itself."""
    return isinstance(option, (str, Path))


class InFlightFolders:
    """Checkpoint folders whose upload is still running, so a save into the same folder can make way first.

    A checkpoint saved under a fixed name (Lightning's ``last.ckpt`` folder, accelerate's ``latest/``) is
    written again in place, truncating the files whose hard links the previous upload of that folder is
    still sending: that upload would fail as changed. Removing the old files before the save is safe (the
    staged links keep those bytes until their upload is done, and the save writes new files), and keeps
    both checkpoints.
    """

    class _Upload(Protocol):
        def done(self) -> bool: ...

    def __init__(self) -> None:
        self._folders: dict[str, InFlightFolders._Upload] = {}

    def record(self, folder: Path, upload: InFlightFolders._Upload) -> None:
        """``upload`` was staged from ``folder`` (a checkpoint folder, not a single file)."""
        if folder.is_dir():
            self._folders[str(folder.resolve())] = upload

    def release(self, folder: Path | str) -> bool:
        """Before saving into ``folder`` again: remove it if its previous upload still runs (not collective)."""
        upload = self._folders.pop(str(Path(folder).resolve()), None)
        if upload is None or upload.done():
            return False
        shutil.rmtree(folder, ignore_errors=True)
        logger.debug("%s is saved again while its previous upload runs; its old files stay staged", folder)
        return True

    def clear(self) -> None:
        """Forget every folder (their uploads are over)."""
        self._folders.clear()
