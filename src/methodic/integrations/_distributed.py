"""Just enough torch.distributed for the integrations: who is the main process, and meeting points.

Nothing here imports torch: a process that never imported it cannot be in a torch process group, so
it is a single process (its rank taken from torchrun's variables, if any).
"""

from __future__ import annotations

import os
import sys
from typing import Any, TypeVar

T = TypeVar("T")


def _group() -> Any | None:
    """``torch.distributed`` when a process group with more than one member is initialised, else None."""
    torch = sys.modules.get("torch")
    if torch is None:
        return None
    dist = getattr(torch, "distributed", None)
    if dist is None or not dist.is_available() or not dist.is_initialized():
        return None
    return dist if dist.get_world_size() > 1 else None


def in_process_group() -> bool:
    """Whether this process is one of several in an initialised torch.distributed group."""
    return _group() is not None


def rank() -> int:
    """The global rank of the calling process (0 when not distributed)."""
    dist = _group()
    return int(dist.get_rank()) if dist is not None else int(os.environ.get("RANK", "0"))


def local_rank() -> int:
    """The rank of the calling process on its node (torchrun's LOCAL_RANK; 0 when not distributed)."""
    return int(os.environ.get("LOCAL_RANK", "0")) if _group() is not None else 0


def is_main_process() -> bool:
    """Whether this process is global rank 0, the one that talks to Chronicle for the run."""
    return rank() == 0


def barrier() -> None:
    """Wait until every process got here (nothing to wait for when not distributed)."""
    dist = _group()
    if dist is not None:
        dist.barrier()


def broadcast_from_main(value: T) -> T:
    """Rank 0's ``value`` on every rank (pickled through the process group)."""
    dist = _group()
    if dist is None:
        return value
    holder = [value]
    dist.broadcast_object_list(holder, src=0)
    return holder[0]


def gather_everywhere(value: T) -> list[T]:
    """Every rank's ``value``, in rank order, on every rank."""
    dist = _group()
    if dist is None:
        return [value]
    gathered: list[Any] = [None] * int(dist.get_world_size())
    dist.all_gather_object(gathered, value)
    return gathered
