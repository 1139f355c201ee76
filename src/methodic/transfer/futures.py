"""The public side of a background upload: the future :class:`AssetUpload` and :class:`OutputTarget`.

As s3transfer keeps its ``TransferFuture`` apart from the coordinator that drives it, the future here
holds only outcomes: the engine (:mod:`methodic.transfer.job`) records each component's failure and
the finalized asset, and a waiter reads them. Nothing here moves a byte or asks the server anything.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from methodic._constants import LOGGER_NAME
from methodic.errors import ChronicleError, UploadError

if TYPE_CHECKING:
    from methodic.types import AssetRecord

logger = logging.getLogger(f"{LOGGER_NAME}.uploads")

#: The label under which a failed finalize is reported (it belongs to the asset, not to a file).
FINALIZE = "<finalize>"
#: The label of a failure that concerns the whole asset (abandoned, unreachable, files changed).
ASSET = "<asset>"


@dataclass(frozen=True)
class OutputTarget:
    """Where an asset belongs: the run (or variation, or experiment) it is an output of."""

    experiment_id: str
    variation: int | None = None
    run: int | None = None

    def as_dict(self) -> dict[str, Any]:
        """The ``output_of`` body field."""
        return {"experiment_id": self.experiment_id, "variation": self.variation, "run": self.run}


class AssetUpload(str):
    """A background upload of one multi-component asset. ``wait()`` returns the ready asset or raises.

    It is also the asset's id (a ``str`` equal to ``asset_id``), as the hosted SDK's
    ``register_and_upload_async`` returns the id: ``chronicle.assets.get(run.register_and_upload_async(...))``.
    """

    def __new__(cls, asset_id: str, components: Sequence[str] = ()) -> AssetUpload:
        """The string value is the asset id; the rest is set up by ``__init__``."""
        return super().__new__(cls, asset_id)

    def __init__(self, asset_id: str, components: Sequence[str] = ()) -> None:
        self.asset_id = asset_id
        self.components = tuple(components)
        self._done = threading.Event()
        self._result: AssetRecord | None = None
        self._errors: list[tuple[str, BaseException]] = []
        self._reported = False
        self._cancelled: set[str] = set()
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        state = "done" if self._done.is_set() else "uploading"
        return f"<AssetUpload asset_id={self.asset_id!r} components={len(self.components)} {state}>"

    def done(self) -> bool:
        """Whether every component finished (successfully or not)."""
        return self._done.is_set()

    def wait_done(self, timeout: float | None = None) -> bool:
        """Block until the upload is over, successfully or not (at most ``timeout`` s); return whether it is."""
        return self._done.wait(timeout)

    # The engine's side, as with concurrent.futures.Future: it records outcomes, waiters read them.
    def set_failure(self, label: str, error: BaseException) -> None:
        """Record that component ``label`` (or ``FINALIZE``) failed."""
        logger.warning("background upload of %s/%s failed: %s", self.asset_id, label, error)
        with self._lock:
            self._errors.append((label, error))

    def set_cancelled(self, label: str) -> None:
        """Record that component ``label`` was dropped by ``close(cancel_uploads=True)`` before it started."""
        with self._lock:
            self._cancelled.add(label)

    def has_failures(self) -> bool:
        """Whether any component (or the finalize) failed so far."""
        with self._lock:
            return bool(self._errors)

    def set_result(self, asset: AssetRecord) -> None:
        """Record the finalized asset."""
        self._result = asset

    def release(self) -> None:
        """Wake every waiter: the upload is over, one way or the other."""
        self._done.set()

    def failed(self) -> bool:
        """Whether the upload is over without a finalized asset (a component or the finalize failed)."""
        return self.done() and (self.has_failures() or self._result is None)

    def failures(self) -> list[tuple[str, str, BaseException]]:
        """Every failure of an upload that is over (reported or not): (asset id, component or label, error)."""
        if not self.failed():
            return []
        with self._lock:
            failures = [(self.asset_id, name, exc) for name, exc in self._errors]
        if not failures and self._result is None:  # over without an asset: never counted as a success
            failures = [(self.asset_id, FINALIZE, ChronicleError(f"asset {self.asset_id} was not finalized"))]
        return failures

    def take_failures(self, *, cancelled: bool = True) -> list[tuple[str, str, BaseException]]:
        """The failures of an upload that is over, the first time they are asked for (then none: reported once).

        ``cancelled=False`` leaves out the components a ``close(cancel_uploads=True)`` dropped: the client's
        own close asked for that and does not raise for it (a run's wait does: they never landed).
        """
        if not self.failed():
            return []
        with self._lock:
            if self._reported:
                return []
            self._reported = True
            dropped = set(self._cancelled)
        return [f for f in self.failures() if cancelled or f[1] not in dropped]

    def wait(self, timeout: float | None = None) -> AssetRecord:
        """Block until the asset is finalized; raise UploadError naming the failed components.

        A failure raised here is not raised again by its run's ``wait_for_uploads()``, nor by ``close()``.
        """
        if not self._done.wait(timeout):
            raise TimeoutError(f"upload of asset {self.asset_id} still running after {timeout}s")
        if self.failed():
            with self._lock:
                self._reported = True
            raise UploadError(self.failures())
        assert self._result is not None
        return self._result
