"""Scrubbing secrets (API keys, presigned query strings) out of text that users will see or log."""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

_URL_WITH_QUERY = re.compile(r"(https?://[^\s?#\"'<>]+)\?(?!<redacted>)[^\s\"'<>]*")
_API_KEY = re.compile(r"\bsk_[A-Za-z]+_[A-Za-z0-9]{6,}")
_BEARER = re.compile(r"(?i)(bearer\s+)[^\s\"',]+")


def redact_url(url: str) -> str:
    """The URL without its query string and fragment: presigned signatures live there."""
    parts = urlsplit(url)
    if not parts.query and not parts.fragment:
        return url
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "<redacted>" if parts.query else "", ""))


def redact_text(text: str, *secrets: str) -> str:
    """Remove query strings of URLs, anything shaped like an API key or bearer token, and the given secrets."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "<redacted>")
    text = _URL_WITH_QUERY.sub(r"\1?<redacted>", text)
    text = _API_KEY.sub("sk_<redacted>", text)
    return _BEARER.sub(r"\1<redacted>", text)
