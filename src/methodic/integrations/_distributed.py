"""Just enough torch.distributed for the integrations: who is the main process, and meeting points.

The process group itself is :class:`methodic.transfer.distributed.TorchGroup` (the distributed uploads'
group); this adds what the trainers need on top: torchrun's ranks before the framework initialised the
group, and identity operations outside one. Nothing here imports torch: a process that never imported
it cannot be in a torch process group, so it is a single process.
"""

from __future__ import annotations

import os
from typing import TypeVar

from methodic.transfer.distributed import TorchGroup

T = TypeVar("T")


def in_process_group() -> bool:
    """Whether this process is one of several in an initialised torch.distributed group."""
    return TorchGroup.active() is not None


def rank() -> int:
    """The global rank of the calling process (torchrun's RANK before the group exists; 0 when not distributed)."""
    group = TorchGroup.active()
    return group.rank if group is not None else int(os.environ.get("RANK", "0"))


def local_rank() -> int:
    """The rank of the calling process on its node (torchrun's LOCAL_RANK; 0 when not distributed)."""
    return int(os.environ.get("LOCAL_RANK", "0")) if in_process_group() else 0


def is_main_process() -> bool:
    """Whether this process is global rank 0, the one that talks to Chronicle for the run."""
    return rank() == 0


def barrier() -> None:
    """Wait until every process got here (nothing to wait for when not distributed)."""
    group = TorchGroup.active()
    if group is not None:
        group.barrier()


def broadcast_from_main(value: T) -> T:
    """Rank 0's ``value`` on every rank (pickled through the process group)."""
    group = TorchGroup.active()
    return value if group is None else group.broadcast(value)


def gather_everywhere(value: T) -> list[T]:
    """Every rank's ``value``, in rank order, on every rank."""
    group = TorchGroup.active()
    return [value] if group is None else group.all_gather(value)
