"""Presigned storage URLs: an HMAC-SHA256 over method, path and expiry, like cloud storage signatures."""

from __future__ import annotations

import hashlib
import hmac
import time
from urllib.parse import quote


def object_path(asset_id: str, component: str) -> str:
    """The storage path of one component (each path segment URL-quoted)."""
    return (
        "/objects/" + quote(asset_id, safe="") + "/" + "/".join(quote(part, safe="") for part in component.split("/"))
    )


def signature(secret: bytes, method: str, path: str, expires: int) -> str:
    """Hex HMAC of the request a URL allows."""
    message = f"{method}\n{path}\n{expires}"
    return hmac.new(secret, message.encode(), hashlib.sha256).hexdigest()


def presign(base_url: str, secret: bytes, method: str, path: str, ttl: float) -> tuple[str, int]:
    """A URL valid for ``method`` on ``path`` for ``ttl`` seconds (already expired when ttl <= 0)."""
    expires = int(time.time() + ttl) if ttl > 0 else int(time.time()) - 1
    sig = signature(secret, method, path, expires)
    return f"{base_url}{path}?method={method}&expires={expires}&signature={sig}", expires


def verify(secret: bytes, method: str, path: str, expires: str, sig: str) -> str | None:
    """None when the signature is valid and unexpired; else the error code."""
    try:
        when = int(expires)
    except ValueError:
        return "signature_invalid"
    if not hmac.compare_digest(signature(secret, method, path, when), sig):
        return "signature_invalid"
    if when < time.time():
        return "signature_expired"
    return None
