"""``upload_asset`` and ``upload_image``: inline (base64, up to 2 MiB) or presign mode (the caller PUTs the file).

Presign mode is what the public launcher uses for a local ``path``: the tool creates a pending single-file
asset and answers a presigned storage PUT (no bearer key goes there; the launcher sends only Content-Type),
the launcher PUTs the bytes and finalizes with a bodyless ``PUT /v1/assets/{id}/finalize``. Inline mode
does the same steps here. An output link is set when the asset is created; an input link is recorded
and made when the asset turns ready (an input must be ready); ``link: "none"`` needs ``scope``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import urllib.request
from typing import Any

from methodic_server.errors import ApiError, bad_request
from methodic_server.mcp import links

#: The largest file ``base64_content`` may carry (decoded); larger files go through presign mode.
INLINE_LIMIT = 2 * 1024 * 1024

_LINKS = ("input", "output", "none")


def upload_tool(name: str) -> Any:
    """The upload tool ``name`` (``upload_image`` defaults its asset type to ``image``)."""
    from methodic_server.mcp.tools import Session, Tool

    default_type = "image" if name == "upload_image" else "file"

    def run(session: Session, args: dict[str, Any]) -> Any:
        return upload(session, args, default_type)

    string: dict[str, Any] = {"type": "string"}
    schema = {
        "type": "object",
        "properties": {
            "experiment_id": string,
            "filename": string,
            "asset_type": {"type": "string", "default": default_type},
            "content_type": string,
            "variation": {"type": "integer", "minimum": 0},
            "run": {"type": "integer", "minimum": 0},
            "link": {"type": "string", "enum": list(_LINKS), "default": "none"},
            "base64_content": {"type": "string", "description": "the file, base64; at most 2 MiB decoded"},
            "scope": {"type": "string", "enum": ["user", "organization"]},
            "organization_id": string,
            "visibility": string,
            "propagate_acl": {"type": "boolean"},
        },
        "required": [],
    }
    description = (
        "Upload a file as an asset. With base64_content (at most 2 MiB) it is stored and ready at once; without, "
        "the answer has upload_url: PUT the bytes there with only Content-Type, then PUT /v1/assets/{id}/finalize. "
        "link: output makes it an output of the experiment (variation, run); input links it as an input once "
        "ready; none (the default) leaves it unlinked and needs scope."
    )
    return Tool(name, description, schema, run, ("create_asset", "finalize_asset"))


def upload(session: Any, args: dict[str, Any], default_type: str) -> dict[str, Any]:
    """Create the asset, and store its bytes when they came inline; see the module's docstring."""
    link = args.get("link") or "none"
    if link not in _LINKS:
        raise bad_request(f"link must be one of {list(_LINKS)}")
    scope = args.get("scope")
    if scope is not None and scope not in ("user", "organization"):
        raise bad_request('scope must be "user" or "organization"')
    if link == "none" and scope is None:
        raise bad_request('link "none" needs scope ("user" or "organization"): an unlinked asset must say whose it is')
    if scope == "organization" and not args.get("organization_id"):
        raise bad_request('scope "organization" needs organization_id')
    exp, variation, run = args.get("experiment_id"), args.get("variation"), args.get("run")
    if link != "none" and not exp:
        raise bad_request(f"link {link!r} needs experiment_id")
    data = _decoded(args.get("base64_content"))
    filename = args.get("filename") or "upload"
    content_type = args.get("content_type") or "application/octet-stream"
    body: dict[str, Any] = {
        "asset_type": args.get("asset_type") or default_type,
        "name": filename,
        "content_type": content_type,
        "presign": True,
    }
    if link == "output":
        body["output_of"] = {"experiment_id": exp, "variation": variation, "run": run}
    if args.get("organization_id") and scope != "user":
        body["organization_id"] = args["organization_id"]
    if args.get("visibility") is not None:
        body["visibility"] = args["visibility"]
    link_op, link_params = _input_link(exp, variation)
    if link == "input":  # the caller must be allowed to link there, and it must take inputs, before anything is made
        session.op(link_op, link_params, body={"asset_ids": ["-"]}, check_only=True)
        store = session.api.store
        with store.lock:
            store.links.check_open(store.experiments.resolve(str(exp)), variation, body["asset_type"])
    created = session.op("create_asset", body=body)
    asset = created["asset"]
    url = created["upload_urls"][0]["url"]
    experiment_id = asset.get("experiment_id") or exp
    if data is None:
        if link == "input":
            links.record(session.api.store, asset["id"], session.api.store.experiments.resolve(str(exp)), variation)
        return {
            "asset_id": asset["id"],
            "experiment_id": experiment_id,
            "state": "pending",
            "upload_url": url,
            "next_step": (
                f"PUT the file's bytes to upload_url with only a Content-Type header ({content_type}), then "
                f"PUT /v1/assets/{asset['id']}/finalize with no body"
            ),
            "link": link,
        }
    _put(url, data, content_type)
    digest = hashlib.sha256(data).hexdigest()
    finalized = session.op(
        "finalize_asset", {"asset_id": asset["id"]}, body={"files": [{"path": filename, "sha256": digest}]}
    )
    if link == "input":
        session.op(link_op, link_params, body={"asset_ids": [asset["id"]]})
    return {
        "asset_id": asset["id"],
        "experiment_id": experiment_id,
        "state": finalized["state"],
        "sha256": finalized.get("sha256"),
        "uploaded_bytes": len(data),
        "link": link,
    }


def _input_link(exp: Any, variation: Any) -> tuple[str, dict[str, Any]]:
    if variation is None:
        return "link_experiment_inputs", {"experiment_id": exp}
    return "link_variation_inputs", {"experiment_id": exp, "variation": variation}


def _decoded(text: Any) -> bytes | None:
    if text is None:
        return None
    if not isinstance(text, str):
        raise bad_request("base64_content must be a string")
    if len(text) > (INLINE_LIMIT * 4) // 3 + 4:
        raise bad_request("base64_content is over 2 MiB; omit it to get an upload_url and PUT the file there")
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise bad_request(f"base64_content is not valid base64: {exc}") from None
    if len(data) > INLINE_LIMIT:
        raise bad_request("base64_content is over 2 MiB; omit it to get an upload_url and PUT the file there")
    return data


def _put(url: str, data: bytes, content_type: str) -> None:
    """PUT the bytes to the presigned URL, as an uploader would (the URL itself is never put in a message)."""
    request = urllib.request.Request(url, data=data, method="PUT", headers={"Content-Type": content_type})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310  (our own storage's URL)
            response.read()
    except OSError as exc:
        status = getattr(exc, "code", None)
        raise ApiError(502, "storage_error", f"storing the file failed (HTTP {status or type(exc).__name__})") from None
