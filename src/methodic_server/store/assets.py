"""Assets: inline (ready at once) or presigned (pending → ready | abandoned), with deprecated / invalidated flags."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from methodic_contract import TERMINAL_RUN_STATES
from methodic_server.errors import ApiError, bad_request, conflict, not_found
from methodic_server.store.documents import now_iso, page_offset, parse_iso

if TYPE_CHECKING:
    from methodic_server.store import Store

#: A component name: a relative POSIX path without empty, ``.`` or ``..`` segments, backslashes or control
#: characters. Used with ``fullmatch`` only: ``$`` and ``.`` would let a newline through (``x\n/../..``).
SAFE_COMPONENT = re.compile(r"(?:(?!\.{1,2}(?:/|\Z))[^/\\\x00-\x1f\x7f]+/)*(?!\.{1,2}\Z)[^/\\\x00-\x1f\x7f]+")

#: The pending reason of a presigned asset until it is finalized.
UPLOAD_IN_PROGRESS = "upload_in_progress"
#: The pending reason of the review gate, cleared by approve.
REVIEW_REQUIRED = "review_required"
#: The pending reasons a client may set at create: each has a call that clears it (approve for review).
#: ``upload_in_progress`` is the server's own (cleared by finalize); any other would keep the asset pending
#: for ever, so it is refused.
CLIENT_PENDING_REASONS = (REVIEW_REQUIRED,)
#: How long a checkpoint's bytes are kept unless the creator asks for less (days).
CHECKPOINT_TTL_DAYS = 180
#: The states whose bytes an expiry removes.
EXPIRABLE_STATES = ("pending", "ready")
#: Times finalize reads storage again when the asset changed while storage was being read.
STAT_ATTEMPTS = 3

#: What a storage check returns per component: (size, checksum, content type), or None when missing.
Stat = Callable[[str, str, int | None], tuple[int, str, str | None] | None]
#: A component as a storage check addresses it: (name, part size).
StatKey = tuple[str, int | None]


def upgrade(asset: dict[str, Any]) -> dict[str, Any]:
    """Give a record stored before the review gate, owner scopes and expiry the fields it lacks (in place)."""
    if "pending_reasons" not in asset:
        waiting = asset["state"] == "pending" and bool(asset["components"])
        asset["pending_reasons"] = [UPLOAD_IN_PROGRESS] if waiting else []
    for key in ("organization_id", "team_id", "visibility", "created_by", "sha256", "expires_at", "expired_at"):
        asset.setdefault(key, None)
    asset.pop("download_urls", None)  # records from before read URLs were presigned_urls, and only on request
    asset["uri"] = asset.get("reference_uri") or f"chronicle://assets/{asset['id']}"  # by reference: where it is
    return asset


def asset_expired(asset: dict[str, Any]) -> ApiError:
    """410 ``asset_expired``: the asset's bytes are gone (its record and hashes remain)."""
    return ApiError(
        410,
        "asset_expired",
        f"asset {asset['id']} expired at {asset['expired_at']}; its bytes were deleted",
        {"asset_id": asset["id"], "expired_at": asset["expired_at"]},
    )


class Assets:
    """Asset records, keyed by id; an asset may be the output of an experiment, variation or run."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.docs = store.docs
        #: Deletes an asset's stored bytes; the API wires it to its object storage (expiry calls it).
        self.delete_bytes: Callable[[str], None] = lambda asset_id: None
        #: Aborts an asset's unfinished multipart uploads once it takes no more (finalized, abandoned, ...).
        #: Called with the store's lock held: the API wires it to storage through a background thread.
        self.release_uploads: Callable[[str], None] = lambda asset_id: None

    def takes_uploads(self, asset_ids: set[str]) -> set[str]:
        """Those of ``asset_ids`` whose uploads may still be used: pending with their upload in progress."""
        with self.docs.transaction():
            found = set()
            for asset_id in asset_ids:
                asset = self.docs.get("asset", asset_id)
                if asset is None:
                    continue
                asset = upgrade(asset)
                if asset["state"] == "pending" and UPLOAD_IN_PROGRESS in asset["pending_reasons"]:
                    found.add(asset_id)
            return found

    def get(self, asset_id: str) -> dict[str, Any]:
        """The asset record (expired if its time has come), or 404."""
        asset = self.docs.get("asset", asset_id)
        if asset is None:
            raise not_found(f"asset {asset_id} not found")
        return self._expire_if_due(upgrade(asset))

    def _expire_if_due(self, asset: dict[str, Any], at: float | None = None) -> dict[str, Any]:
        """Past ``expires_at`` a pending or ready asset becomes ``expired``: its bytes are deleted, its record kept."""
        due = asset["expires_at"]
        moment = time.time() if at is None else at
        if due is None or asset["state"] not in EXPIRABLE_STATES or parse_iso(due) > moment:
            return asset
        asset.update(state="expired", expired_at=now_iso(moment), pending_reasons=[])
        self.docs.put("asset", asset["id"], asset)
        self.delete_bytes(asset["id"])
        return asset

    def expire_now(self, asset_id: str) -> dict[str, Any]:
        """Expire an asset at once, as if its ``expires_at`` had passed (the test hook for 410 ``asset_expired``)."""
        with self.docs.transaction():
            asset = self.get(asset_id)
            if asset["state"] not in EXPIRABLE_STATES:
                raise conflict(f"asset is {asset['state']}; only pending or ready assets expire")
            asset["expires_at"] = now_iso()
            return self._expire_if_due(asset)

    def preserve(self, asset_id: str) -> dict[str, Any]:
        """Keep the asset's bytes: its expiry is cleared (idempotent); 410 ``asset_expired`` once they are gone."""
        with self.docs.transaction():
            asset = self.get(asset_id)
            if asset["state"] == "expired":
                raise asset_expired(asset)
            if asset["expires_at"] is None:
                return asset
            asset["expires_at"] = None
            return self.docs.put("asset", asset_id, asset)

    def sweep_expired(self) -> None:
        """The watchdog's pass: expire every asset whose time has come."""
        with self.docs.transaction():
            for asset in self.docs.all("asset"):
                if asset.get("expires_at") is not None and asset["state"] in EXPIRABLE_STATES:
                    self._expire_if_due(upgrade(asset))

    def outputs_of(
        self, experiment_id: str, variation: int | None = None, run: int | None = None
    ) -> list[dict[str, Any]]:
        """Output assets, newest first."""
        return [
            self._expire_if_due(upgrade(a))
            for a in self.docs.all("asset", newest_first=True)
            if a["experiment_id"] == experiment_id
            and (variation is None or a["variation"] == variation)
            and (run is None or a["run"] == run)
        ]

    def new(self, body: dict[str, Any], *, presign: bool, created_by: str | None = None) -> dict[str, Any]:
        """Store an asset (the caller holds the transaction).

        An output inherits its experiment's organization; naming another one is a 400
        ``asset_org_mismatch``, as on the hosted service.
        """
        unknown = [
            r for r in body.get("pending_reasons") or [] if r not in (*CLIENT_PENDING_REASONS, UPLOAD_IN_PROGRESS)
        ]
        if unknown:
            raise bad_request(
                f"unknown pending_reasons {', '.join(repr(r[:40]) for r in unknown[:5])}: a client may set only "
                f"{', '.join(CLIENT_PENDING_REASONS)} (cleared by PUT /v1/assets/{{id}}/approve)"
            )
        output_of = body.get("output_of")
        experiment_id = variation = run_number = None
        organization_id = body.get("organization_id")
        if output_of:
            experiment_id = output_of["experiment_id"]
            variation, run_number = output_of.get("variation"), output_of.get("run")
            if run_number is not None and variation is None:
                raise bad_request("output_of.run needs output_of.variation")
            if run_number is not None:
                target = self.store.runs.get(experiment_id, variation, run_number)
                if target["state"] in TERMINAL_RUN_STATES:
                    raise conflict(f"run is {target['state']}; it cannot produce new outputs")
            elif variation is not None:
                self.store.variations.get(experiment_id, variation)
            else:
                self.store.experiments.get(experiment_id)
            owner = self.store.experiments.get(experiment_id)["organization_id"]
            if organization_id is not None and organization_id != owner:
                raise bad_request(
                    f"organization_id {organization_id} contradicts the experiment's organization"
                    f" ({owner or 'personal'})",
                    code="asset_org_mismatch",
                )
            organization_id = owner
        ttl_days = body.get("ttl_days")
        if ttl_days is not None and body["asset_type"] != "checkpoint":
            raise bad_request("ttl_days applies to checkpoints only")
        if body["asset_type"] == "checkpoint":
            ttl_days = CHECKPOINT_TTL_DAYS if ttl_days is None else ttl_days
        components = []
        if presign:
            names = body.get("components")
            if names is None:
                # the single-file shape: one component, named by the asset's name
                if not body.get("name"):
                    raise bad_request("presign without components needs name (the file's name)")
                names = [body["name"]]
            if not names:
                raise bad_request("presign needs at least one component")
            if len(set(names)) != len(names):
                raise bad_request("component names must be unique")
            for name in names:
                if not SAFE_COMPONENT.fullmatch(name):
                    raise bad_request(f"component name {name!r} must be a relative POSIX path without '..'")
            components = [
                {"name": n, "size_bytes": None, "sha256": None, "content_type": None, "part_size": None} for n in names
            ]
        elif body.get("components"):
            raise bad_request("components are only for presigned assets")
        created = time.time()
        stamp = now_iso(created)
        reasons = ([UPLOAD_IN_PROGRESS] if presign else []) + [
            r for r in dict.fromkeys(body.get("pending_reasons") or []) if r != UPLOAD_IN_PROGRESS
        ]
        asset = {
            "id": str(uuid.uuid4()),
            "asset_type": body["asset_type"],
            "name": body.get("name"),
            "state": "pending" if reasons else "ready",
            "content_type": body.get("content_type"),
            "content": None if presign else body.get("content"),
            "components": components,
            "asset_config": body.get("asset_config"),
            "tags": list(body.get("tags") or []),
            "experiment_id": experiment_id,
            "variation": variation,
            "run": run_number,
            "deprecated": False,
            "deprecation_reason": None,
            "invalidated": False,
            "invalidation_reason": None,
            "created_at": stamp,
            "finalized_at": None if reasons else stamp,
            "sha256": None,
            "expires_at": None if ttl_days is None else now_iso(created + ttl_days * 86400),
            "expired_at": None,
            "single_file": presign and body.get("components") is None,
            "pending_reasons": reasons,
            "organization_id": organization_id,
            "team_id": body.get("team_id"),
            "visibility": body.get("visibility"),
            "created_by": created_by,
        }
        self.docs.put("asset", asset["id"], asset)
        if asset["state"] == "ready":
            self.store.search.index_asset(asset)
            self._record_ready(asset)
        elif REVIEW_REQUIRED in reasons:
            self.store.events.record(
                "report.awaiting_approval",
                "asset.create",
                "asset",
                asset["id"],
                experiment_id=experiment_id,
                category="report_approval",
                actionable=True,
                payload={"asset_type": asset["asset_type"], "name": asset["name"]},
            )
        return upgrade(asset)

    def _record_ready(self, asset: dict[str, Any]) -> None:
        """The event of an asset becoming ready: a new report for reports, activity for the rest."""
        self.store.events.record(
            "asset.ready",
            "asset.ready",
            "asset",
            asset["id"],
            experiment_id=asset["experiment_id"],
            category="new_report" if asset["asset_type"].endswith("_report") else "activity",
            payload={"asset_type": asset["asset_type"], "name": asset["name"]},
        )

    def create(self, body: dict[str, Any], created_by: str | None = None) -> dict[str, Any]:
        """Inline (ready at once, unless gated by ``pending_reasons``) or presigned (pending)."""
        with self.docs.transaction():
            return self.new(body, presign=bool(body.get("presign")), created_by=created_by)

    def finalize(
        self,
        asset_id: str,
        files: list[dict[str, Any]] | None,
        stat: Callable[[str, str, int | None], tuple[int, str, str | None] | None],
    ) -> dict[str, Any]:
        """Pending → ready after checking every component in storage (idempotent).

        ``files`` gives the sha256 the uploader computed per component (``path``: the component's name, which
        for the single-file shape is the asset's name); each is checked against storage, and a mismatch is a
        409 ``component_mismatch`` that leaves the asset pending. An unknown path is a 400, and so is a list
        that leaves a component out (``components_undeclared``: none goes unchecked). Without ``files``
        storage only has to hold every component. A component an earlier server assembled from parts (its
        ``part_size`` says so; today's uploads in parts go through the storage gateway, which records the
        sha256 of the whole) is checked by its part-wise checksum, so its ``sha256`` in ``files`` must be that.
        A review-gated asset stays pending (``review_required``) after its upload is finalized, until approved.
        Each component keeps the Content-Type its upload was sent with.
        """
        declared = [{"name": f["path"], "sha256": f["sha256"]} for f in files or []]
        paths = [d["name"] for d in declared]
        twice = sorted({p for p in paths if paths.count(p) > 1})
        if twice:  # one of the two hashes would go unchecked
            raise bad_request(f"files names a path more than once: {twice}", details={"duplicates": twice})
        # Storage is read without the store's lock (a big object read back from S3 takes seconds), then the
        # asset is checked again under it: if it changed meanwhile, storage is read again.
        for _ in range(STAT_ATTEMPTS):
            with self.docs.transaction():
                asset = self._finalizable(asset_id, declared)
                if asset["state"] != "pending" or UPLOAD_IN_PROGRESS not in asset["pending_reasons"]:
                    return asset
                keys = _stat_keys(asset)
            found = {key: stat(asset_id, *key) for key in keys}
            with self.docs.transaction():
                asset = self._finalizable(asset_id, declared)
                if asset["state"] != "pending" or UPLOAD_IN_PROGRESS not in asset["pending_reasons"]:
                    return asset
                if _stat_keys(asset) != keys:
                    continue
                self._check_components(asset_id, asset, declared, _known(found))
                if len(asset["components"]) == 1 and asset["components"][0].get("part_size") is None:
                    asset["sha256"] = asset["components"][0]["sha256"]
                asset["pending_reasons"] = [r for r in asset["pending_reasons"] if r != UPLOAD_IN_PROGRESS]
                self._ready_if_ungated(asset)
                saved = self.docs.put("asset", asset_id, asset)
            self.release_uploads(asset_id)  # its upload is over: unfinished multipart uploads are orphans
            return saved
        raise conflict("the asset kept changing while storage was checked; retry", code="conflict")

    def _finalizable(self, asset_id: str, declared: list[dict[str, Any]]) -> dict[str, Any]:
        """The asset, if finalize may look at it (the caller holds the transaction); 409/410/400 otherwise."""
        asset = self.get(asset_id)
        if asset["state"] == "expired":
            raise asset_expired(asset)
        names = {c["name"] for c in asset["components"]}
        unknown = sorted({d["name"] for d in declared} - names)
        if unknown:
            raise bad_request(f"files name no component of this asset: {unknown}", details={"unknown": unknown})
        undeclared = sorted(names - {d["name"] for d in declared}) if declared else []
        if undeclared:  # each component is checked by the hash its uploader computed, or none is
            raise bad_request(
                f"files must name every component of the asset; it leaves out {undeclared}",
                code="components_undeclared",
                details={"undeclared": undeclared},
            )
        if asset["state"] not in ("ready", "pending"):
            raise conflict(f"asset is {asset['state']}; it cannot be finalized")
        return asset

    def _check_components(
        self,
        asset_id: str,
        asset: dict[str, Any],
        declared: list[dict[str, Any]],
        stat: Callable[[str, str, int | None], tuple[int, str, str | None] | None],
    ) -> None:
        """Compare storage with the declared digests (every component, when any is declared).

        Updates each checked component's size, checksum and content type from storage; raises 409
        ``components_missing`` or ``component_mismatch`` (nothing is saved then).
        """
        by_name = {d["name"]: d for d in declared}
        unknown = sorted(set(by_name) - {c["name"] for c in asset["components"]})
        if unknown:
            raise bad_request(f"unknown components: {unknown}")
        missing, mismatched = [], []
        for component in asset["components"]:
            name = component["name"]
            found = stat(asset_id, name, component.get("part_size"))
            if found is None:
                missing.append(name)
                continue
            size, sha, content_type = found
            want = by_name.get(name) or {}
            if ("size_bytes" in want and want["size_bytes"] != size) or ("sha256" in want and want["sha256"] != sha):
                mismatched.append({"name": name, "size_bytes": size, "sha256": sha})
            component.update(size_bytes=size, sha256=sha, content_type=content_type or component.get("content_type"))
        if missing:
            raise conflict(
                f"components missing from storage: {missing}", code="components_missing", details={"missing": missing}
            )
        if mismatched:
            raise conflict(
                "components differ from the declared sizes or checksums",
                code="component_mismatch",
                details={"mismatched": mismatched},
            )

    def _ready_if_ungated(self, asset: dict[str, Any]) -> None:
        """Pending → ready once no reason is left (indexing its content for search then)."""
        if asset["pending_reasons"]:
            return
        asset.update(state="ready", finalized_at=now_iso())
        self.store.search.index_asset(asset)
        self._record_ready(asset)

    def _awaiting_review(self, asset_id: str) -> dict[str, Any]:
        asset = self.get(asset_id)
        if asset["state"] != "pending" or REVIEW_REQUIRED not in asset["pending_reasons"]:
            raise conflict("asset is not awaiting review", code="not_awaiting_review")
        return asset

    def approve(self, asset_id: str) -> dict[str, Any]:
        """Clear the review gate; the asset is ready unless its upload is still unfinished."""
        with self.docs.transaction():
            asset = self._awaiting_review(asset_id)
            asset["pending_reasons"] = [r for r in asset["pending_reasons"] if r != REVIEW_REQUIRED]
            self.store.events.record(
                "report.approved", "asset.approve", "asset", asset_id, experiment_id=asset["experiment_id"]
            )
            self.store.events.resolve(asset_id, "report_approval")
            self._ready_if_ungated(asset)
            return self.docs.put("asset", asset_id, asset)

    def reject(self, asset_id: str, reason: str) -> dict[str, Any]:
        """Abandon an asset awaiting review; the reason is kept in ``asset_config.review``."""
        with self.docs.transaction():
            asset = self._awaiting_review(asset_id)
            config = dict(asset["asset_config"] or {})
            config["review"] = {"state": "rejected", "reason": reason, "rejected_at": now_iso()}
            asset.update(state="abandoned", pending_reasons=[], asset_config=config)
            saved = self.docs.put("asset", asset_id, asset)
            self.store.events.record(
                "report.rejected",
                "asset.reject",
                "asset",
                asset_id,
                experiment_id=asset["experiment_id"],
                payload={"reason": reason},
            )
            self.store.events.resolve(asset_id, "report_approval")
        self.release_uploads(asset_id)
        return saved

    def set_upload_via(self, asset_id: str, via: str) -> dict[str, Any]:
        """Record the upload route a presigned asset was created with (``r2``: through the storage gateway)."""
        with self.docs.transaction():
            asset = self.get(asset_id)
            asset["upload_via"] = via
            return self.docs.put("asset", asset_id, asset)

    def set_flag(self, asset_id: str, flag: str, reason: str) -> dict[str, Any]:
        """Set ``deprecated`` or ``invalidated`` with a reason."""
        with self.docs.transaction():
            asset = self.get(asset_id)
            asset[flag] = True
            asset["deprecation_reason" if flag == "deprecated" else "invalidation_reason"] = reason
            return self.docs.put("asset", asset_id, asset)

    def delete(self, asset_id: str) -> dict[str, Any]:
        """Delete an asset that is not linked as an input."""
        with self.docs.transaction():
            asset = self.get(asset_id)
            links = self.store.links.count_for(asset_id)
            if links:
                raise conflict(f"asset is linked as an input in {links} place(s)", details={"links": links})
            self.docs.delete("asset", asset_id)
            self.store.search.remove(asset_id)
            return asset

    def list_page(
        self, filters: dict[str, Any], cursor: str | None, limit: int
    ) -> tuple[list[dict[str, Any]], str | None]:
        """One page of assets matching the filters, newest first, and the next page's cursor (None: last page)."""
        items = self.list_all(filters)
        start = page_offset(cursor)
        more = start + limit < len(items)
        return items[start : start + limit], str(start + limit) if more else None

    def list_all(self, filters: dict[str, Any]) -> list[dict[str, Any]]:
        """Every asset matching the filters (None: any value), newest first."""
        with self.docs.transaction():
            return [
                a
                for a in (self._expire_if_due(upgrade(x)) for x in self.docs.all("asset", newest_first=True))
                if all(filters[k] is None or a[k] == filters[k] for k in filters)
            ]


def _stat_keys(asset: dict[str, Any]) -> list[StatKey]:
    """The storage checks ``_check_components`` will make for this asset, in order."""
    return [(c["name"], c.get("part_size")) for c in asset["components"]]


def _known(found: dict[StatKey, tuple[int, str, str | None] | None]) -> Stat:
    """A storage check answered from what was read before the lock was taken."""
    return lambda asset_id, name, part_size: found[(name, part_size)]
