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


def signature(secret: bytes, method: str, path: str, expires: int, sub: str = "") -> str:
    """Hex HMAC of the request a URL allows (``sub``: the part of a multipart upload it is for, if any)."""
    message = f"{method}\n{path}\n{expires}" + (f"\n{sub}" if sub else "")
    return hmac.new(secret, message.encode(), hashlib.sha256).hexdigest()


def part_sub(upload_id: str, part_number: int | str) -> str:
    """The query a part URL carries and its signature covers: ``uploadId=...&partNumber=...``."""
    return f"uploadId={upload_id}&partNumber={part_number}"


def presign(base_url: str, secret: bytes, method: str, path: str, ttl: float, sub: str = "") -> tuple[str, int]:
    """A URL valid for ``method`` on ``path`` (and ``sub``) for ``ttl`` seconds (already expired when ttl <= 0)."""
    expires = int(time.time() + ttl) if ttl > 0 else int(time.time()) - 1
    sig = signature(secret, method, path, expires, sub)
    extra = f"&{sub}" if sub else ""
    return f"{base_url}{path}?method={method}&expires={expires}{extra}&signature={sig}", expires


def verify(secret: bytes, method: str, path: str, expires: str, sig: str, sub: str = "") -> str | None:
    """None when the signature is valid and unexpired; else the error code."""
    try:
        when = int(expires)
    except ValueError:
        return "signature_invalid"
    if not hmac.compare_digest(signature(secret, method, path, when, sub), sig):
        return "signature_invalid"
    if when < time.time():
        return "signature_expired"
    return None
