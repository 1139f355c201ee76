"""``UploadSession``: the background uploads of one run, with their failures, their drain and their wait.

A client serves many runs at once (one ``Chronicle`` per process is the documented pattern), but a
run must answer for its own checkpoints only: ``run.succeed()`` waits for the run's uploads and
raises for the run's failures, never for another run's, and never reports success while one of its
own is pending or failed. So every upload belongs to the session of the run it is an output of
(:meth:`methodic.transfer.manager.TransferManager.session`), and each failure is kept by the upload
itself until a wait reports it, exactly once: to the run that waits, or to ``chronicle.wait_for_uploads()``
and ``close()``, which answer for every session.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING

from methodic._constants import LOGGER_NAME
from methodic.errors import ChronicleError, UploadError

if TYPE_CHECKING:
    from methodic.transfer.futures import AssetUpload, OutputTarget

logger = logging.getLogger(f"{LOGGER_NAME}.uploads")

#: The label of an upload that was stopped before it finished (the same label as a whole-asset failure).
UNFINISHED = "<asset>"

Failure = tuple[str, str, BaseException]


class UploadSession:
    """The uploads of one run (``output_of``; None for uploads that are no run's output).

    It keeps each upload while it runs, and afterwards while it holds a failure nobody was told of;
    an upload that ended ready is let go at once, so a long training run does not accumulate them.
    Failed uploads whose failure was reported are remembered (as failures only) for ``succeed()``:
    a run whose checkpoint was lost never succeeds, however often it is asked.
    """

    def __init__(self, output_of: OutputTarget | None) -> None:
        self.output_of = output_of
        self._changed = threading.Condition()
        self._uploads: list[AssetUpload] = []
        self._reported: list[Failure] = []
        self._stopped = False

    def __repr__(self) -> str:
        with self._changed:
            running = sum(1 for u in self._uploads if not u.done())
            held = len(self._uploads) - running
        return f"<UploadSession {self.output_of!r} running={running} failed_unreported={held}>"

    def add(self, upload: AssetUpload) -> None:
        """``upload`` belongs to this session from now on (it may have ended already: it is reported all the same)."""
        with self._changed:
            if upload.done() and not upload.failed():
                return  # ready before it was added: nothing to wait for, nothing to report
            self._uploads.append(upload)
            self._changed.notify_all()

    def settled(self, upload: AssetUpload) -> None:
        """``upload`` is over: let it go if it is ready, keep its failure for the next wait; wake the waiters."""
        with self._changed:
            if upload.done() and not upload.failed() and upload in self._uploads:
                self._uploads.remove(upload)
            self._changed.notify_all()

    def stop(self) -> None:
        """The client stops its uploads (a signal, ``close(interrupt_uploads=True)``): waits return at once."""
        with self._changed:
            self._stopped = True
            self._changed.notify_all()

    def in_flight(self) -> list[AssetUpload]:
        """The uploads of this session that are not over yet."""
        with self._changed:
            return [u for u in self._uploads if not u.done()]

    @property
    def pending(self) -> int:
        """How many uploads of this session are not over yet."""
        return len(self.in_flight())

    def drain(self, timeout: float) -> list[AssetUpload]:
        """Wait up to ``timeout`` seconds for this session's uploads; return those still unfinished.

        Failures are not raised here: they stay with their uploads for the next :meth:`wait`.
        """
        deadline = time.monotonic() + max(0.0, timeout)
        with self._changed:
            while not self._stopped:
                running = [u for u in self._uploads if not u.done()]
                left = deadline - time.monotonic()
                if not running or left <= 0:
                    break
                self._changed.wait(left)
            return [u for u in self._uploads if not u.done()]

    def wait(self, *, raise_errors: bool = True, every_failure: bool = False) -> None:
        """Block until every upload of this session is over; raise UploadError naming each failed component.

        Each failure is reported once (here or by the upload's own ``wait()``), unless ``every_failure``
        (what ``run.succeed()`` asks): then failures reported before are named again. Uploads the client
        stopped before they finished are named as unfinished every time: they never count as done. A
        signal that interrupts the wait propagates.
        """
        with self._changed:
            while not self._stopped and any(not u.done() for u in self._uploads):
                self._changed.wait()
            earlier = list(self._reported)
        failures = self.take_failures(unfinished=True)
        if every_failure:
            failures = earlier + [f for f in failures if f not in earlier]
        if failures and raise_errors:
            raise UploadError(failures)
        for asset_id, label, exc in failures:
            logger.error("upload of %s/%s failed: %s", asset_id, label, exc)

    def take_failures(self, *, unfinished: bool = False, cancelled: bool = True) -> list[Failure]:
        """The failures no wait has reported yet, marked reported now; with ``unfinished``, uploads not over too.

        ``cancelled=False`` leaves out components a ``close(cancel_uploads=True)`` dropped (see AssetUpload).
        """
        failures: list[Failure] = []
        with self._changed:
            kept: list[AssetUpload] = []
            for upload in self._uploads:
                if not upload.done():
                    kept.append(upload)
                    if unfinished:
                        stopped = ChronicleError(f"asset {upload.asset_id} did not finish uploading")
                        failures.append((upload.asset_id, UNFINISHED, stopped))
                    continue
                failures.extend(upload.take_failures(cancelled=cancelled))
                self._reported.extend(upload.failures())
            self._uploads = kept
        return failures
