"""The public home of :class:`UploadTracker`, the durable upload ledger, and the records it hands out.

The implementation lives in :mod:`methodic.transfer.ledger` (records, the SQLite tracker's writes,
reads, connections and schema); this module keeps the names users and the hosted SDK's code import
(``from methodic.transfer.tracker import UploadTracker, PendingUpload``) in one stable place, and loads
``sqlite3`` only when it is imported.
"""

from __future__ import annotations

from methodic.errors import TrackerError
from methodic.transfer.files import ComponentSpec
from methodic.transfer.ledger.records import (
    COMPONENT_STATES,
    DEAD_ASSET_STATES,
    PartRecord,
    PendingUpload,
    TrackedComponent,
)
from methodic.transfer.ledger.schema import SCHEMA_VERSION
from methodic.transfer.ledger.sqlite import UploadTracker, check_recordable

__all__ = [
    "COMPONENT_STATES",
    "DEAD_ASSET_STATES",
    "SCHEMA_VERSION",
    "ComponentSpec",
    "PartRecord",
    "PendingUpload",
    "TrackedComponent",
    "TrackerError",
    "UploadTracker",
    "check_recordable",
]
