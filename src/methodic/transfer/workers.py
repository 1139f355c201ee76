"""The transfer pool's threads: like ``ThreadPoolExecutor``, but they never hold the process hostage.

``ThreadPoolExecutor`` joins its threads when the interpreter exits, so a PUT stuck behind a slow storage
answer keeps a stopped trainer alive until the scheduler's SIGKILL (a run left ``running``, found by a
review of SIGTERM during the final wait). These threads are daemons: the interpreter does not wait for
them. Waiting is explicit instead: :meth:`DaemonExecutor.shutdown` joins them, and an exit hook waits for
the work still queued or running unless the pool was interrupted. So a script that never closes its
client still gets every upload it started (as before), and a process being stopped (Ctrl-C, SIGTERM
inside ``run.lifecycle()``) exits at once; what did not finish stays in its tracker, resumable, exactly
as after a kill -9 of that moment. Futures are the standard ``concurrent.futures.Future``, driven through
its documented executor-side methods.
"""

from __future__ import annotations

import atexit
import queue
import threading
import weakref
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, ParamSpec, TypeVar

T = TypeVar("T")
P = ParamSpec("P")

_Item = tuple[Future[Any], Callable[..., Any], tuple[Any, ...], dict[str, Any]]


class DaemonExecutor:
    """At most ``max_workers`` daemon threads running submitted callables, started as work arrives."""

    def __init__(self, max_workers: int, thread_name_prefix: str = "methodic-transfer") -> None:
        if max_workers < 1:
            raise ValueError("max_workers must be at least 1")
        self._max_workers = max_workers
        self._prefix = thread_name_prefix
        self._queue: queue.SimpleQueue[_Item | None] = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self._idle = threading.Semaphore(0)
        self._lock = threading.Lock()
        self._shutdown = False
        self._interrupted = False
        _EXECUTORS.add(self)

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        """Queue ``fn(*args, **kwargs)``; its outcome arrives in the returned future."""
        with self._lock:
            if self._shutdown:
                raise RuntimeError("cannot schedule new work after shutdown")
            future: Future[T] = Future()
            self._queue.put((future, fn, args, kwargs))
            if not self._idle.acquire(blocking=False) and len(self._threads) < self._max_workers:
                thread = threading.Thread(target=self._work, name=f"{self._prefix}_{len(self._threads)}", daemon=True)
                thread.start()
                self._threads.append(thread)
            return future

    def _work(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                self._queue.put(None)  # wake the next worker too
                return
            future, fn, args, kwargs = item
            if future.set_running_or_notify_cancel():
                try:
                    result = fn(*args, **kwargs)
                except BaseException as exc:  # the future carries it to whoever waits
                    future.set_exception(exc)
                else:
                    future.set_result(result)
            del item, future, fn, args, kwargs
            self._idle.release()

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Accept no more work; drop queued work with ``cancel_futures``; join the threads when ``wait``."""
        with self._lock:
            self._shutdown = True
            if cancel_futures:
                self._cancel_queued()
            self._queue.put(None)
            threads = list(self._threads)
        if wait:
            for thread in threads:
                thread.join()

    def interrupt(self) -> None:
        """The process is being stopped: drop queued work and never wait for what is running."""
        self._interrupted = True
        self.shutdown(wait=False, cancel_futures=True)

    def _cancel_queued(self) -> None:
        kept: list[_Item | None] = []
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                break
            if item is None:
                kept.append(item)
            else:
                item[0].cancel()
        for item in kept:
            self._queue.put(item)

    def _wait_at_exit(self) -> None:
        if not self._interrupted:
            self.shutdown(wait=True)


_EXECUTORS: weakref.WeakSet[DaemonExecutor] = weakref.WeakSet()


@atexit.register
def _finish_work_at_exit() -> None:
    """At interpreter exit, finish the work of pools nobody closed (unless they were interrupted)."""
    for executor in list(_EXECUTORS):
        executor._wait_at_exit()
