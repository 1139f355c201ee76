"""Input links: assets an experiment, or one of its variations, builds on (frozen once committed)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from methodic_server.errors import conflict, not_found
from methodic_server.store.assets import upgrade

if TYPE_CHECKING:
    from methodic_server.store import Store

#: Cited works: exempt from the commit freeze of inputs (linkable until the experiment concludes).
CITATION_TYPES = frozenset({"publication", "arxiv"})


class Links:
    """The ``links`` table; an experiment's own inputs are stored with variation -1."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.docs = store.docs

    def linked(self, kind: str, experiment_id: str, variation: int) -> list[dict[str, Any]]:
        """The assets linked as ``kind`` (experiment_input or variation_input), in link order."""
        rows = self.docs.db.execute(
            "SELECT asset_id FROM links WHERE kind = ? AND experiment_id = ? AND variation = ? ORDER BY rowid",
            (kind, experiment_id, variation),
        ).fetchall()
        return [upgrade(a) for a in (self.docs.get("asset", r[0]) for r in rows) if a is not None]

    def inputs(self, experiment_id: str, variation: int | None = None) -> list[dict[str, Any]]:
        """Input assets of the experiment, or of one variation (its own, then the experiment's)."""
        with self.docs.lock:
            self.store.experiments.get(experiment_id)
            if variation is None:
                return self.linked("experiment_input", experiment_id, -1)
            self.store.variations.get(experiment_id, variation)
            own = self.linked("variation_input", experiment_id, variation)
            shared = self.linked("experiment_input", experiment_id, -1)
            seen = {a["id"] for a in own}
            return own + [a for a in shared if a["id"] not in seen]

    def link_inputs(self, experiment_id: str, variation: int | None, body: dict[str, Any]) -> dict[str, Any]:
        """Link assets as inputs of the experiment (``variation`` None) or of one variation: all or none.

        Linking an input again is a no-op. ``propagate_acl`` is accepted and has nothing to do here: the local
        server has no per-asset access lists (every key it knows reads every asset).
        """
        with self.docs.transaction():
            linked = [
                self._link(experiment_id, variation, asset_id, bool(body.get("allow_invalid_assets")))
                for asset_id in dict.fromkeys(body["asset_ids"])
            ]
        return {
            "experiment_id": experiment_id,
            "variation": variation,
            "asset_ids": [a["id"] for a in linked],
            "linked": linked,
        }

    def _link(self, experiment_id: str, variation: int | None, asset_id: str, allow_invalid: bool) -> dict[str, Any]:
        """One link (the caller holds the transaction)."""
        asset = self.store.assets.get(asset_id)
        self.check_open(experiment_id, variation, asset["asset_type"])
        kind, index = ("experiment_input", -1) if variation is None else ("variation_input", variation)
        self.check_linkable(asset, allow_invalid)
        self.add(kind, experiment_id, index, asset["id"])
        if kind == "variation_input":
            var = self.store.variations.get(experiment_id, index)
            if asset["id"] not in var["input_asset_ids"]:
                var["input_asset_ids"].append(asset["id"])
                self.docs.put("variation", f"{experiment_id}/{index}", var)
        return asset

    def check_open(self, experiment_id: str, variation: int | None, asset_type: str) -> None:
        """409 unless the experiment (or the variation) still takes inputs of ``asset_type``.

        Inputs freeze at commit; a citation stays linkable after commit, until the experiment concludes.
        """
        exp = self.store.experiments.get(experiment_id)
        citation = asset_type in CITATION_TYPES and exp["state"] != "concluded"
        if variation is None:
            if exp["state"] != "open" and not citation:
                raise conflict(f"experiment is {exp['state']}; its inputs are frozen")
        elif self.store.variations.get(experiment_id, variation)["state"] != "open" and not citation:
            raise conflict("variation is committed; its inputs are frozen")

    def add(self, kind: str, experiment_id: str, variation: int, asset_id: str) -> None:
        """Record one link (linking twice is a no-op)."""
        self.docs.db.execute(
            "INSERT OR IGNORE INTO links VALUES (?, ?, ?, ?)", (kind, experiment_id, variation, asset_id)
        )

    def check_linkable(self, asset: dict[str, Any], allow_invalid: bool) -> None:
        """409 unless the asset is ready (and valid, or ``allow_invalid``)."""
        if asset["state"] != "ready":
            raise conflict(f"asset {asset['id']} is {asset['state']}; only ready assets can be inputs")
        if asset["invalidated"] and not allow_invalid:
            raise conflict(
                f"asset {asset['id']} is invalidated; pass allow_invalid_assets to link it anyway",
                code="asset_invalidated",
            )

    def unlink_input(self, experiment_id: str, variation: int, asset_id: str) -> dict[str, Any]:
        """Remove a variation input (open variations only)."""
        with self.docs.transaction():
            var = self.store.variations.get(experiment_id, variation)
            if var["state"] != "open":
                raise conflict("variation is committed; its inputs are frozen")
            removed = self.docs.db.execute(
                "DELETE FROM links WHERE kind = 'variation_input' AND experiment_id = ? AND variation = ?"
                " AND asset_id = ?",
                (experiment_id, variation, asset_id),
            ).rowcount
            if not removed:
                raise not_found(f"asset {asset_id} is not an input of variation {variation}")
            var["input_asset_ids"] = [a for a in var["input_asset_ids"] if a != asset_id]
            self.docs.put("variation", f"{experiment_id}/{variation}", var)
        return {"experiment_id": experiment_id, "variation": variation, "asset_id": asset_id}

    def count_for(self, asset_id: str) -> int:
        """In how many places an asset is linked as an input."""
        return int(self.docs.db.execute("SELECT COUNT(*) FROM links WHERE asset_id = ?", (asset_id,)).fetchone()[0])

    def remove_experiment(self, experiment_id: str) -> int:
        """Drop every link of an experiment; returns how many there were."""
        return int(self.docs.db.execute("DELETE FROM links WHERE experiment_id = ?", (experiment_id,)).rowcount)
