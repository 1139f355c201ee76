"""Asset routes: create (inline or presigned), list, read, delete, finalize, verify, presign, flags, preserve."""

from __future__ import annotations

from typing import Any

from methodic_server.errors import ApiError, bad_request
from methodic_server.gateway import r2_copy, upload_url
from methodic_server.mcp import links as pending_links
from methodic_server.options import ApiOptions
from methodic_server.routes.base import Answer, Ctx, Operation, Services, created_by, iso, query_flag, query_int
from methodic_server.store.assets import asset_expired
from methodic_server.store.datasets import CATALOG_FILTERS
from methodic_server.store.scopes import check_visibility, require_member

ASSET = "/v1/assets/{asset_id}"


def choose_route(options: ApiOptions, targets: Any) -> str:
    """The upload route of a new presigned asset: ``r2`` if the server offers it and the client lists it.

    ``upload_targets`` is the client's list of routes it can use, in preference order (the hosted client
    always sends ``["r2", "gcs"]``). ``r2`` is the storage gateway (the API key on every request; above
    ``max_part_bytes``, a multipart upload), served when the server's route is r2 and its storage is our
    own. Everyone else gets ``gcs``, presigned PUTs: a client that lists only ``gcs``, or none, and also a
    list without ``gcs``, since the list is a preference and the only other answer would be refusing.
    """
    listed = targets if isinstance(targets, list) else []
    return "r2" if options.r2 and "r2" in listed else "gcs"


def upload_route(options: ApiOptions, via: str) -> dict[str, Any]:
    """The ``upload`` answer: the route, and for r2 the gateway's largest single PUT or part."""
    return {"via": via, "max_part_bytes": options.max_part_bytes if via == "r2" else None}


def asset_route(options: ApiOptions, asset: dict[str, Any]) -> str:
    """The route an asset's uploads take: the one it was created with, while a gateway serves it."""
    return "r2" if asset.get("upload_via") == "r2" and options.gateway_url is not None else "gcs"


def operations(services: Services) -> list[Operation]:
    """The asset operations; presigned URLs come from the storage service."""
    s, storage, options = services.store, services.storage, services.options

    def get_asset(c: Ctx) -> Answer:
        with s.lock:
            asset = s.assets.get(c.params["asset_id"])
        if query_flag(c, "include_presigned"):
            if asset["state"] == "expired":
                raise asset_expired(asset)
            if asset["state"] == "ready" and asset["components"]:
                asset["presigned_urls"] = {
                    comp["name"]: {"url": storage.presign("GET", asset["id"], comp["name"], options.presign_ttl)[0]}
                    for comp in asset["components"]
                }
        served = asset_route(options, asset) == "r2" or bool(asset.get("r2_copy"))  # uploaded there, or moved
        if asset["state"] == "ready" and served and options.gateway_url is not None:
            asset["r2"] = r2_copy(options.gateway_url, asset["id"])  # the gateway serves its bytes
        return 200, asset

    def create_asset(c: Ctx) -> Answer:
        # the owning scopes must be the caller's (a superadmin's any); the visibility a known value
        if c.body.get("organization_id") is not None:
            require_member(c.key_kind, c.body["organization_id"], kind="organization")
        if c.body.get("team_id") is not None:
            require_member(c.key_kind, c.body["team_id"], kind="team")
        check_visibility(c.body.get("visibility"))
        if c.body.get("register_by_reference"):
            return 201, {"asset": s.datasets.register_by_reference(c.body, created_by(c))}
        s.datasets.check_create(c.body)
        s.imports.check_create(c.body)
        if c.body.get("output_of"):
            out = dict(c.body["output_of"])
            out["experiment_id"] = s.experiments.resolve(out["experiment_id"])
            c.body["output_of"] = out
        asset = s.assets.create(c.body, created_by(c))
        if not c.body.get("presign"):
            return 201, {"asset": asset}
        via = choose_route(options, c.body.get("upload_targets"))
        asset = s.assets.set_upload_via(asset["id"], via)
        single = bool(asset.get("single_file"))
        urls, stamp = [], 0
        for comp in asset["components"]:
            if via == "r2" and options.gateway_url is not None:
                url = upload_url(options.gateway_url, asset["id"], comp["name"])
            else:
                url, stamp = storage.presign("PUT", asset["id"], comp["name"], options.presign_ttl)
            urls.append({"component": None if single else comp["name"], "url": url})
        return 201, {
            "asset": asset,
            "upload_urls": urls,
            "upload": upload_route(options, via),
            "urls_expire_at": iso(stamp) if stamp else None,  # gateway URLs do not expire; the key is checked
        }

    def presign(c: Ctx) -> Answer:
        with s.lock:
            asset = s.assets.get(c.params["asset_id"])
        operation = c.body["operation"]
        if operation not in ("read", "upload"):
            raise bad_request('operation must be "read" or "upload"')
        if asset["state"] == "expired":
            raise asset_expired(asset)
        if operation == "upload" and asset["state"] != "pending":
            raise ApiError(409, "conflict", f"asset is {asset['state']}; only pending assets take uploads")
        if operation == "read" and asset["state"] != "ready":
            raise ApiError(409, "conflict", f"asset is {asset['state']}; only ready assets can be read")
        names = [comp["name"] for comp in asset["components"]]
        wanted = c.body.get("components") or names
        unknown = sorted(set(wanted) - set(names))
        if unknown:
            raise bad_request(f"unknown components: {unknown}")
        method = "PUT" if operation == "upload" else "GET"
        via = asset_route(options, asset) if operation == "upload" else "gcs"
        urls, stamp = {}, 0
        for name in wanted:
            if via == "r2" and options.gateway_url is not None:
                urls[name] = {"url": upload_url(options.gateway_url, asset["id"], name)}
                continue
            url, stamp = storage.presign(method, asset["id"], name, options.presign_ttl)
            urls[name] = {"url": url}
        answer: dict[str, Any] = {"presigned_urls": urls}
        if stamp:  # gateway URLs do not expire
            answer["expires_at"] = iso(stamp)
        if operation == "upload":
            answer["upload"] = upload_route(options, via)
        return 200, answer

    def delete_asset(c: Ctx) -> Answer:
        asset = s.assets.delete(c.params["asset_id"])
        storage.delete(asset["id"])
        return 200, {"id": asset["id"], "deleted": True}

    def list_assets(c: Ctx) -> Answer:
        filters = {
            "asset_type": c.query.get("asset_type"),
            "state": c.query.get("state"),
            "experiment_id": c.query.get("experiment_id"),
            "variation": query_int(c, "variation"),
            "run": query_int(c, "run"),
        }
        limit = query_int(c, "limit", 100, 1, 500) or 100
        if any(c.query.get(k) is not None for k in CATALOG_FILTERS):
            page, cursor = s.datasets.catalog_page(c.query, filters, c.query.get("cursor"), limit)
        else:
            page, cursor = s.assets.list_page(filters, c.query.get("cursor"), limit)
        return (
            200,
            page,
            ({"X-Has-More": "true", "X-Next-Cursor": cursor} if cursor is not None else {"X-Has-More": "false"}),
        )

    def finalize(c: Ctx) -> Answer:
        files = c.body.get("files")
        asset = s.assets.finalize(c.params["asset_id"], None if files is None else list(files), storage.stat)
        pending_links.apply(s, asset)  # an input link an agent asked for while the asset was pending
        return 200, asset

    def approve(c: Ctx) -> Answer:
        asset = s.assets.approve(c.params["asset_id"])
        pending_links.apply(s, asset)
        return 200, asset

    return [
        Operation("create_asset", "POST", "/v1/assets", create_asset, takes_body=True, worker="asset"),
        Operation("list_assets", "GET", "/v1/assets", list_assets, worker="read"),
        Operation("get_asset", "GET", ASSET, get_asset, worker="read"),
        Operation("delete_asset", "DELETE", ASSET, delete_asset),
        Operation(
            "finalize_asset",
            "PUT",
            ASSET + "/finalize",
            finalize,
            takes_body=True,
            worker="asset",
        ),
        Operation("presign_asset", "POST", ASSET + "/presign", presign, takes_body=True, worker="asset"),
        Operation("approve_asset", "PUT", ASSET + "/approve", approve),
        Operation(
            "preserve_asset",
            "PUT",
            ASSET + "/preserve",
            lambda c: (200, s.assets.preserve(c.params["asset_id"])),
            worker="asset",
        ),
        Operation(
            "reject_asset",
            "PUT",
            ASSET + "/reject",
            lambda c: (200, s.assets.reject(c.params["asset_id"], c.body["reason"])),
            takes_body=True,
        ),
        Operation(
            "deprecate_asset",
            "PUT",
            ASSET + "/deprecate",
            lambda c: (200, s.assets.set_flag(c.params["asset_id"], "deprecated", c.body["reason"])),
            takes_body=True,
        ),
        Operation(
            "invalidate_asset",
            "PUT",
            ASSET + "/invalidate",
            lambda c: (200, s.assets.set_flag(c.params["asset_id"], "invalidated", c.body["reason"])),
            takes_body=True,
        ),
    ]
