"""Input links asked for on an asset that is still pending: recorded, and made when the asset turns ready.

An agent's ``upload_asset`` in presign mode asks for the link before the bytes exist, and an input must be
ready to be linked. The request is checked (the caller may link there) and stored with the asset; the
finalize (or the approval) that makes the asset ready links it.
"""

from __future__ import annotations

from typing import Any

from methodic_server.store import Store

KIND = "mcp_pending_input"


def record(store: Store, asset_id: str, experiment_id: str, variation: int | None) -> None:
    """Remember to link ``asset_id`` as an input of the experiment (or one variation) once it is ready."""
    with store.transaction():
        store.docs.put(KIND, asset_id, {"experiment_id": experiment_id, "variation": variation})


def pending(store: Store, asset_id: str) -> dict[str, Any] | None:
    """The input link still waiting for ``asset_id`` to be ready, or None."""
    with store.lock:
        return store.docs.get(KIND, asset_id)


def apply(store: Store, asset: dict[str, Any]) -> None:
    """Make the input link recorded for ``asset`` if it is ready now (a no-op otherwise, and when none waits)."""
    if asset.get("state") != "ready":
        return
    wanted = pending(store, str(asset["id"]))
    if wanted is None:
        return
    store.links.link_inputs(wanted["experiment_id"], wanted["variation"], {"asset_ids": [asset["id"]]})
    with store.transaction():
        store.docs.delete(KIND, str(asset["id"]))
