"""Where the engine keeps the state of an asset's upload: one interface, two ledgers, shared record types.

- ``records``: the record types every ledger hands out (pure data).
- ``interface``: :class:`Ledger`, what the engine asks of a ledger.
- ``memory``: :class:`MemoryLedger`, for uploads without a tracker (nothing survives the process).
- ``sqlite``: :class:`~methodic.UploadTracker`, the durable ledger (its writes), over ``reads`` (its
  queries), ``database`` (connections and transactions) and ``schema`` (the file, its schema, migrations).

Importing this package loads neither ``sqlite3`` nor the tracker: an upload without a tracker never
pays for them. The public module of the durable tracker stays :mod:`methodic.transfer.tracker`.
"""

from methodic.transfer.ledger.interface import Ledger
from methodic.transfer.ledger.memory import MemoryLedger
from methodic.transfer.ledger.records import (
    COMPONENT_STATES,
    DEAD_ASSET_STATES,
    PartRecord,
    PendingUpload,
    TrackedComponent,
)

__all__ = [
    "COMPONENT_STATES",
    "DEAD_ASSET_STATES",
    "Ledger",
    "MemoryLedger",
    "PartRecord",
    "PendingUpload",
    "TrackedComponent",
]
