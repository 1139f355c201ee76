"""Imports: research-report PDFs registered into an organization's library, then finalized as one batch.

An ``imported_report`` belongs to an organization (never a person) and is never public; its bytes are
unique within the organization (the sha256 declared at create: a second copy is 409 ``duplicate_import``).
The batch finalize checks each upload and flips it ready. Extracting the text (a text layer, or OCR by a
vision model) is the hosted extraction service's work, which the local server does not have.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from methodic_server.errors import ApiError, bad_request, conflict, not_found
from methodic_server.store.documents import now_iso
from methodic_server.store.scopes import require_member

if TYPE_CHECKING:
    from methodic_server.store import Store

IMPORTED_REPORT = "imported_report"
#: Why no extraction job starts here, recorded on each finalized report.
NO_EXTRACTION = "text extraction (text layer or vision-model OCR) needs the hosted extraction service"

Stat = Callable[[str, str, int | None], tuple[int, str, str | None] | None]


class Imports:
    """The rules of imported reports and their batch finalize."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.docs = store.docs

    def check_create(self, body: dict[str, Any]) -> None:
        """An imported report: in an organization, not public, and not a copy of one the organization has."""
        if body.get("asset_type") != IMPORTED_REPORT:
            return
        organization_id = body.get("organization_id")
        if organization_id is None:
            raise bad_request("imported reports belong to an organization: organization_id is required")
        if body.get("visibility") == "public":
            raise bad_request("imported reports cannot be public")
        sha256 = (body.get("asset_config") or {}).get("sha256")
        if not isinstance(sha256, str):
            return
        with self.docs.lock:
            for asset in self.docs.all("asset"):
                if (
                    asset["asset_type"] == IMPORTED_REPORT
                    and asset.get("organization_id") == organization_id
                    and asset["state"] != "abandoned"
                    and (asset.get("asset_config") or {}).get("sha256") == sha256
                ):
                    raise conflict(
                        f"the organization already has this report ({asset['id']})",
                        code="duplicate_import",
                        details={"asset_id": asset["id"]},
                    )

    def bulk_finalize(self, body: dict[str, Any], key_kind: str, stat: Stat) -> dict[str, Any]:
        """Finalize each imported report of the batch; one that fails stays pending and is listed with why."""
        targets = [self._collection(str(ref), key_kind) for ref in dict.fromkeys(body.get("collections") or [])]
        ids = list(dict.fromkeys(body["asset_ids"]))
        with self.docs.lock:
            assets = [self.store.assets.get(asset_id) for asset_id in ids]  # 404 for an unknown one
        for asset in assets:
            if asset["asset_type"] != IMPORTED_REPORT:
                raise bad_request(f"asset {asset['id']} is a {asset['asset_type']}, not an imported_report")
            require_member(key_kind, asset["organization_id"], kind="organization")
        finalized: list[str] = []
        failed: list[dict[str, str]] = []
        warnings: list[dict[str, str]] = []
        for asset in assets:
            config = asset.get("asset_config") or {}
            declared = config.get("sha256")
            files = None
            if isinstance(declared, str) and len(asset["components"]) == 1:
                files = [{"path": asset["components"][0]["name"], "sha256": declared}]
            try:
                self.store.assets.finalize(asset["id"], files, stat)
            except ApiError as exc:
                failed.append({"id": asset["id"], "reason": exc.message})
                continue
            self._record_import(asset["id"], body.get("import_source"))
            finalized.append(asset["id"])
            for collection in targets:  # a report that could not join a collection is a warning, not a failure
                added_by = "local-user" if key_kind == "user" else key_kind
                try:
                    self.store.collections.add(collection["id"], {"asset_ids": [asset["id"]]}, key_kind, added_by)
                except ApiError as exc:
                    warnings.append({"asset_id": asset["id"], "collection_id": collection["id"], "reason": exc.message})
        return {"finalized": finalized, "failed": failed, "extraction_job_id": None, "collection_warnings": warnings}

    def _collection(self, ref: str, key_kind: str) -> dict[str, Any]:
        """A collection named by id, or by its name's slug among those the caller may read; 404 for neither."""
        with self.docs.lock:
            if self.docs.get("collection", ref) is not None:
                return self.store.collections.readable(ref, key_kind)
            wanted = _slug(ref)
            for found in self.docs.all("collection"):
                if _slug(str(found.get("name", ""))) == wanted:
                    return self.store.collections.readable(found["id"], key_kind)
        raise not_found(f"collection {ref} not found (by id, or by the slug of its name)")

    def _record_import(self, asset_id: str, import_source: Any) -> None:
        with self.docs.transaction():
            asset = self.store.assets.get(asset_id)
            config = dict(asset.get("asset_config") or {})
            config["import"] = {**(config.get("import") or {}), "imported_at": now_iso()}
            if import_source is not None:
                config["import"]["import_source"] = import_source
            config["extraction"] = {"status": "unavailable", "reason": NO_EXTRACTION}
            asset["asset_config"] = config
            self.docs.put("asset", asset_id, asset)


def _slug(name: str) -> str:
    """A collection name as a slug: lower case, runs of anything else than letters and digits as one dash."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
