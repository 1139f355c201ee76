"""Ranks as threads of one process: the collectives of a process group, on a barrier (no torch, fast).

:class:`ThreadGroup` is a real :class:`methodic.transfer.distributed.ProcessGroup`: every rank must
call each collective, and each call returns only once every rank made it, as with ``torch.distributed``.
:func:`run_ranks` runs one function per rank on its own thread and returns each rank's result (or
raises the first rank's exception).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


class _Meeting:
    def __init__(self, world_size: int) -> None:
        self.barrier = threading.Barrier(world_size, timeout=120)
        self.slots: list[Any] = [None] * world_size


class ThreadGroup:
    """One rank of a group whose ranks are threads; make them with :meth:`of`."""

    def __init__(self, meeting: _Meeting, rank: int) -> None:
        self._meeting = meeting
        self._rank = rank

    @staticmethod
    def of(world_size: int) -> list[ThreadGroup]:
        """Every rank's handle on one new group."""
        meeting = _Meeting(world_size)
        return [ThreadGroup(meeting, rank) for rank in range(world_size)]

    @property
    def rank(self) -> int:
        """This rank."""
        return self._rank

    @property
    def world_size(self) -> int:
        """How many ranks the group has."""
        return len(self._meeting.slots)

    def all_gather(self, value: Any) -> list[Any]:
        """Every rank's value, in rank order: written, then read once every rank wrote, then released."""
        self._meeting.slots[self._rank] = value
        self._meeting.barrier.wait()
        gathered = list(self._meeting.slots)
        self._meeting.barrier.wait()  # nobody writes the next round's value before everyone read this one
        return gathered

    def broadcast(self, value: Any) -> Any:
        """Rank 0's value on every rank."""
        return self.all_gather(value)[0]


def run_ranks(work: list[Callable[[], T]]) -> list[T]:
    """``work[r]()`` for every rank r at once, each on its own thread; their results in rank order."""
    with ThreadPoolExecutor(max_workers=len(work)) as pool:
        futures = [pool.submit(w) for w in work]
        return [f.result(timeout=180) for f in futures]
