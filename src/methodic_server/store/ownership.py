"""Who owns an experiment or asset and who else reads it: moves into an organization, visibility, batch approval.

A move transfers a personal experiment into an organization (its outputs follow it, since an output belongs
to its experiment's organization); an organization-owned experiment does not move again (409). An asset
moves on its own too, and its visibility (who besides its owners reads it) can change without a move.
The local server has one user, so these decide what records say and what listings filter on; there is no
second user whose reads they could refuse.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from methodic_server.errors import ApiError, bad_request, conflict
from methodic_server.store.assets import REVIEW_REQUIRED
from methodic_server.store.scopes import check_visibility, known, require_member, require_owner_member, scopes_of

if TYPE_CHECKING:
    from methodic_server.store import Store


def _target_scope(key_kind: str, body: dict[str, Any]) -> tuple[str, str | None, str | None]:
    """The organization, team and visibility a move names, checked: the caller belongs to both scopes."""
    organization = str(body["organization_id"])
    require_member(key_kind, organization, kind="organization")
    team = body.get("team_id")
    if team is not None:
        require_member(key_kind, str(team), kind="team")
        if (known(str(team)) or {}).get("organization_id") != organization:
            raise bad_request(f"team {team} is not a team of {organization}")
    check_visibility(body.get("visibility"))
    return organization, team, body.get("visibility")


class Ownership:
    """Moves, visibility and batch approval over the experiment and asset records."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.docs = store.docs

    def move_experiment(self, experiment_id: str, body: dict[str, Any], key_kind: str) -> dict[str, Any]:
        """Personal → organization, outputs included (visibility defaults to organization-wide)."""
        organization, team, visibility = _target_scope(key_kind, body)
        with self.docs.transaction():
            experiment = self.store.experiments.get(experiment_id)
            if experiment["organization_id"] is not None:
                raise conflict(
                    f"experiment {experiment_id} is owned by {experiment['organization_id']}; only personal ones move",
                    code="already_owned_by_organization",
                )
            experiment.update(organization_id=organization, team_id=team, visibility=visibility or "organization")
            self.docs.put("experiment", experiment_id, experiment)
            for asset in self.store.assets.outputs_of(experiment_id):
                record = self.docs.get("asset", asset["id"]) or {}
                record.update(organization_id=organization, team_id=team)
                self.docs.put("asset", asset["id"], record)
            return self.store.experiments.get(experiment_id)

    def move_asset(self, asset_id: str, body: dict[str, Any], key_kind: str) -> dict[str, Any]:
        """Into an organization (and team); an output moves with its experiment, not alone."""
        organization, team, visibility = _target_scope(key_kind, body)
        with self.docs.transaction():
            asset = self.store.assets.get(asset_id)
            if asset["experiment_id"] is not None:
                raise conflict(
                    f"asset {asset_id} is an output of experiment {asset['experiment_id']}: move the experiment",
                    code="owned_by_experiment",
                )
            asset.update(organization_id=organization, team_id=team, visibility=visibility or "organization")
            return self.docs.put("asset", asset_id, asset)

    def set_visibility(self, asset_id: str, visibility: str) -> dict[str, Any]:
        """Who besides its owners reads the asset; its owners stay as they are."""
        check_visibility(visibility)
        with self.docs.transaction():
            asset = self.store.assets.get(asset_id)
            asset["visibility"] = visibility
            return self.docs.put("asset", asset_id, asset)

    def bulk_approve(self, body: dict[str, Any], key_kind: str) -> dict[str, Any]:
        """Approve each listed asset (or every review-gated one in the caller's scopes); a failure is its row."""
        listed, everything = body.get("asset_ids"), bool(body.get("all_in_scope"))
        if (listed is not None) == everything:
            raise bad_request("pass exactly one of asset_ids or all_in_scope: true")
        if everything:
            mine = {str(s["id"]) for s in scopes_of(key_kind)}
            with self.docs.lock:
                listed = [
                    a["id"]
                    for a in self.docs.all("asset")
                    if a["state"] == "pending"
                    and REVIEW_REQUIRED in (a.get("pending_reasons") or [])
                    and (a.get("organization_id") or "user_local") in mine
                ]
        results = []
        for asset_id in dict.fromkeys(listed or []):
            try:
                owner = self.store.assets.get(str(asset_id)).get("organization_id")
                require_owner_member(key_kind, owner, f"asset {asset_id}")  # another organization's: its row fails
                approved = self.store.assets.approve(str(asset_id))
            except ApiError as exc:
                results.append({"asset_id": asset_id, "status": "error", "error": exc.message, "finalized": None})
                continue
            results.append(
                {"asset_id": asset_id, "status": "approved", "error": None, "finalized": approved["state"] == "ready"}
            )
        approved_count = sum(row["status"] == "approved" for row in results)
        return {"results": results, "approved": approved_count, "failed": len(results) - approved_count}
