"""Errata: corrections attached to exactly one experiment, variation or asset (an erratum too).

An erratum is an ``errata_report`` asset plus its target. Authored ones keep their Markdown or LaTeX as the
asset's content; the hosted service compiles that to PDF where a compiler is configured, and the local
server has none, so it keeps the source only (``asset_config.compile_status: "not_configured"``). Imported
ones are a PDF the client uploads to the answer's URL and then finalizes; the hosted service extracts
``report.md`` from it, which the local server cannot (``asset_config.extraction: "not_available"``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from methodic_server.errors import bad_request, not_found
from methodic_server.store.documents import now_iso

if TYPE_CHECKING:
    from methodic_server.store import Store


class Errata:
    """Errata records keyed by their asset id, with the target they correct."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.docs = store.docs

    def _target(self, given: Any) -> tuple[dict[str, Any], str | None]:
        """The target in its canonical shape, and the organization that owns it (the caller holds the lock)."""
        if not isinstance(given, dict):
            raise bad_request("target must be {experiment_id[, variation]} or {asset_id}")
        if given.get("asset_id") is not None:
            if given.get("experiment_id") is not None or given.get("variation") is not None:
                raise bad_request("a target is an asset or an experiment (with a variation), not both")
            asset = self.store.assets.get(str(given["asset_id"]))
            return {"asset_id": asset["id"]}, asset["organization_id"]
        if given.get("experiment_id") is None:
            raise bad_request("target needs experiment_id (optionally with variation) or asset_id")
        experiment = self.store.experiments.get(self.store.experiments.resolve(str(given["experiment_id"])))
        target: dict[str, Any] = {"experiment_id": experiment["id"]}
        if given.get("variation") is not None:
            self.store.variations.get(experiment["id"], given["variation"])
            target["variation"] = given["variation"]
        return target, experiment["organization_id"]

    def create(self, body: dict[str, Any], created_by: str) -> dict[str, Any]:
        """The new erratum (an authored one ready at once; an imported one pending until its PDF is finalized)."""
        direction = body.get("direction")
        sources = [name for name in ("markdown", "latex") if body.get(name) is not None]
        if direction == "authored" and len(sources) != 1:
            raise bad_request("an authored erratum takes exactly one of markdown or latex")
        if direction == "imported" and sources:
            raise bad_request("an imported erratum is a PDF uploaded after create: no markdown or latex")
        if direction not in ("authored", "imported"):
            raise bad_request("direction must be authored or imported")
        with self.docs.transaction():
            target, organization = self._target(body.get("target"))
            config: dict[str, Any] = {"direction": direction, "target": target}
            asset_body: dict[str, Any] = {"asset_type": "errata_report", "organization_id": organization}
            if direction == "authored":
                source = sources[0]
                config |= {"source_format": source, "compile_status": "not_configured"}
                content_type = "text/markdown" if source == "markdown" else "application/x-latex"
                asset_body |= {"name": body.get("name") or "erratum", "content": body[source]}
                asset_body |= {"content_type": content_type, "asset_config": config}
                asset = self.store.assets.new(asset_body, presign=False, created_by=created_by)
            else:
                config["extraction"] = "not_available"
                asset_body |= {"name": body.get("name") or "erratum.pdf", "asset_config": config}
                asset = self.store.assets.new(asset_body, presign=True, created_by=created_by)
            record = {"asset_id": asset["id"], "target": target, "created_by": created_by, "created_at": now_iso()}
            self.docs.put("erratum", asset["id"], record)
            return self._hydrated(record)

    def _hydrated(self, record: dict[str, Any]) -> dict[str, Any]:
        return {
            "asset": self.store.assets.get(record["asset_id"]),
            "target": record["target"],
            "created_by": record["created_by"],
            "created_at": record["created_at"],
        }

    def of(self, target: dict[str, Any]) -> list[dict[str, Any]]:
        """The errata correcting exactly this target, oldest first (a variation's are not the experiment's)."""
        with self.docs.lock:
            canonical, _ = self._target(target)
            return [
                self._hydrated(record)
                for record in self.docs.all("erratum")
                if record["target"] == canonical and self.docs.get("asset", record["asset_id"]) is not None
            ]

    def detach(self, asset_id: str) -> dict[str, Any]:
        """Detach an erratum from its target; its asset stays."""
        with self.docs.transaction():
            if self.docs.get("erratum", asset_id) is None:
                raise not_found(f"erratum {asset_id} not found")
            self.docs.delete("erratum", asset_id)
        return {"asset_id": asset_id, "detached": True}
