"""The one background upload pool per ``Chronicle``, shared by all its handles.

Failures are never lost: each failed task is recorded with the component it was for, and
``wait(raise_errors=True)`` raises :class:`~methodic.errors.UploadError` naming every one of them.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from methodic._constants import LOGGER_NAME
from methodic.errors import ChronicleError, UploadError

logger = logging.getLogger(LOGGER_NAME)


class UploadPool:
    """A bounded thread pool whose tasks are tracked until someone waits for them."""

    def __init__(self, max_workers: int) -> None:
        self.max_workers = max_workers
        self._executor: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        self._pending: set[Future[None]] = set()
        self._failures: list[tuple[str, str, BaseException]] = []
        self._closed = False

    def __repr__(self) -> str:
        return f"<UploadPool workers={self.max_workers} pending={len(self._pending)} failed={len(self._failures)}>"

    def submit(self, asset_id: str, label: str, task: Callable[[], None]) -> Future[None]:
        """Run ``task`` in the background; a failure is recorded against (asset_id, label)."""
        with self._lock:
            if self._closed:
                raise ChronicleError("the Chronicle client is closed; no more uploads can start")
            if self._executor is None:
                self._executor = ThreadPoolExecutor(self.max_workers, thread_name_prefix="methodic-upload")
            future = self._executor.submit(self._run, asset_id, label, task)
            self._pending.add(future)
        future.add_done_callback(self._forget)
        return future

    def _run(self, asset_id: str, label: str, task: Callable[[], None]) -> None:
        try:
            task()
        except BaseException as exc:
            logger.warning("background upload of %s/%s failed: %s", asset_id, label, exc)
            with self._lock:
                self._failures.append((asset_id, label, exc))
            raise

    def _forget(self, future: Future[None]) -> None:
        with self._lock:
            self._pending.discard(future)

    @property
    def pending(self) -> int:
        """Tasks queued or running."""
        with self._lock:
            return len(self._pending)

    def wait(self, *, raise_errors: bool = True) -> None:
        """Block until every queued task has finished; then raise UploadError for any that failed.

        Reported failures are cleared, so each is raised once.
        """
        while True:
            with self._lock:
                pending = list(self._pending)
            if not pending:
                break
            for future in pending:
                # A failure was recorded in _failures by _run; it is raised below, once.
                with contextlib.suppress(BaseException):
                    future.result()
        with self._lock:
            failures, self._failures = self._failures, []
        if failures and raise_errors:
            raise UploadError(failures)
        for asset_id, label, exc in failures:
            logger.error("upload of %s/%s failed: %s", asset_id, label, exc)

    def close(self, *, cancel: bool = False) -> None:
        """Stop accepting tasks. By default waits for queued uploads; ``cancel=True`` drops those not started."""
        with self._lock:
            self._closed = True
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=cancel)
