"""The one thread pool per client, shared by background uploads and blocking downloads.

Background upload tasks are tracked until someone waits for them. Their failures are not kept
here: each is recorded by its task on the upload it belongs to, and the run's
:class:`~methodic.transfer.session.UploadSession` reports it (a pool is shared by every run of a
client, a failure belongs to one). Download tasks belong to a caller that is blocked on their
futures, so their failures travel in the futures instead.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent import futures
from concurrent.futures import Future
from typing import ParamSpec, TypeVar

from methodic._constants import LOGGER_NAME
from methodic.errors import ClientClosedError
from methodic.transfer.workers import DaemonExecutor

logger = logging.getLogger(f"{LOGGER_NAME}.uploads")

T = TypeVar("T")
P = ParamSpec("P")


class TransferPool:
    """A bounded thread pool; the executor starts with the first task."""

    def __init__(self, max_workers: int) -> None:
        self.max_workers = max_workers
        self._executor: DaemonExecutor | None = None
        self._lock = threading.Lock()
        self._background: set[Future[None]] = set()
        self._closed = False

    def __repr__(self) -> str:
        return f"<TransferPool workers={self.max_workers} pending={len(self._background)}>"

    def _executor_for_new_task(self) -> DaemonExecutor:
        if self._closed:
            raise ClientClosedError(
                "this Chronicle client is closed (close() was called or its `with` block ended); no more transfers"
                " can start: make a new client"
            )
        if self._executor is None:
            self._executor = DaemonExecutor(self.max_workers, thread_name_prefix="methodic-transfer")
        return self._executor

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        """Run ``fn`` for a caller that waits on the returned future (a blocking download)."""
        with self._lock:
            return self._executor_for_new_task().submit(fn, *args, **kwargs)

    def submit_helper(self, task: Callable[[], None]) -> bool:
        """Queue a helper of a task already running (see :mod:`methodic.transfer.parallel`); False once closed."""
        with self._lock:
            if self._closed:
                return False
            try:
                self._executor_for_new_task().submit(task)
            except RuntimeError:  # the executor is shutting down
                return False
        return True

    def submit_background(
        self, asset_id: str, label: str, task: Callable[[], None], *, on_cancel: Callable[[], None] | None = None
    ) -> Future[None]:
        """Run ``task`` in the background. It records its own failure (on its upload); one that escapes is logged.

        ``on_cancel`` runs instead if the task is dropped before it starts (``close(cancel=True)``), so
        whoever waits for it is told rather than left waiting.
        """
        with self._lock:
            future = self._executor_for_new_task().submit(self._run, asset_id, label, task)
            self._background.add(future)
        if on_cancel is not None:
            future.add_done_callback(lambda f: on_cancel() if f.cancelled() else None)
        future.add_done_callback(self._forget)
        return future

    def _run(self, asset_id: str, label: str, task: Callable[[], None]) -> None:
        try:
            task()
        except BaseException as exc:
            logger.warning("background task of %s/%s ended with %s: %s", asset_id, label, type(exc).__name__, exc)
            raise

    def _forget(self, future: Future[None]) -> None:
        with self._lock:
            self._background.discard(future)

    @property
    def pending(self) -> int:
        """Background tasks queued or running."""
        with self._lock:
            return len(self._background)

    def wait(self) -> None:
        """Block until every background task has finished (their outcomes are their uploads' to report)."""
        while True:
            with self._lock:
                pending = list(self._background)
            if not pending:
                break
            # A signal that interrupts the wait (KeyboardInterrupt, SIGTERM raised as RunTerminated,
            # SystemExit) propagates: a wait must never swallow the caller's way out.
            futures.wait(pending)

    def interrupt(self) -> None:
        """The process is being stopped: drop queued tasks and never wait for the running ones (nor let exit wait).

        What was running is left as a kill -9 of this moment would leave it: incomplete in its tracker,
        for ``methodic uploads resume``.
        """
        with self._lock:
            self._closed = True
            executor, self._executor = self._executor, None
            self._background.clear()
        if executor is not None:
            executor.interrupt()

    def close(self, *, cancel: bool = False) -> None:
        """Stop accepting tasks. By default waits for queued tasks; ``cancel=True`` drops those not started."""
        with self._lock:
            self._closed = True
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=cancel)
