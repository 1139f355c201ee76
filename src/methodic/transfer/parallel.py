"""Work on the shared pool without deadlock: the caller takes items from a queue, and so do helpers it queues.

s3transfer keeps separate executors so that a task never waits on a pool it fills itself. Here the
one shared :class:`~methodic.transfer.pool.TransferPool` is used instead, safely: the calling thread
(often a pool worker itself) works through the items too, and it waits only for items that some
thread is actively working on, never for a helper still queued behind other tasks. A helper that
starts after the queue ran dry simply returns. With a free pool the work spreads over every worker;
with a busy one it degrades to the caller doing it alone, never to a deadlock.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from methodic.transfer.pool import TransferPool

T = TypeVar("T")


def run_shared(pool: TransferPool, items: Sequence[T], work: Callable[[T], None]) -> list[tuple[T, BaseException]]:
    """Run ``work`` on every item, in parallel on ``pool`` and the calling thread; return the failures.

    After the first failure no new item is started (the ones in flight finish); the items never
    started are simply not done. Returns ``(item, error)`` for each failure, in the order they failed.
    """
    queue = deque(items)
    done = threading.Condition()
    failures: list[tuple[T, BaseException]] = []
    active = 0

    def drain() -> None:
        nonlocal active
        while True:
            with done:
                if failures or not queue:
                    return
                item = queue.popleft()
                active += 1
            try:
                work(item)
            except BaseException as exc:
                with done:
                    failures.append((item, exc))
            finally:
                with done:
                    active -= 1
                    done.notify_all()

    for _ in range(min(pool.max_workers - 1, len(items) - 1)):
        if not pool.submit_helper(drain):
            break  # the pool is closing: the caller carries on alone
    drain()
    with done:
        while active:
            done.wait()
    return failures
