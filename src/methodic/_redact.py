"""Scrubbing secrets (API keys, passwords in URLs, presigned query strings) out of text users see or log."""

from __future__ import annotations

import logging
import re
from urllib.parse import urlsplit, urlunsplit

_URL_WITH_QUERY = re.compile(r"(https?://[^\s?#\"'<>]+)\?(?!<redacted>)[^\s\"'<>]*")
_API_KEY = re.compile(r"\bsk_[A-Za-z]+_[A-Za-z0-9]{6,}")
_BEARER = re.compile(r"(?i)(bearer\s+)[^\s\"',]+")
_USERINFO = re.compile(r"(\b[a-z][a-z0-9+.-]*://)[^/\s@\"'<>]+@", re.IGNORECASE)


def redact_url(url: str) -> str:
    """The URL without credentials, query string and fragment: passwords and presigned signatures live there."""
    parts = urlsplit(url)
    netloc = parts.netloc.rpartition("@")[2] if "@" in parts.netloc else parts.netloc
    if not parts.query and not parts.fragment and netloc == parts.netloc:
        return url
    return urlunsplit((parts.scheme, netloc, parts.path, "<redacted>" if parts.query else "", ""))


class RedactingFilter(logging.Filter):
    """Scrubs query strings and credentials of URLs from log records (httpx logs every request's full URL)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record's message with secrets removed; never drops a record."""
        message = record.getMessage()
        cleaned = redact_text(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


_FILTER = RedactingFilter()


def redact_library_logs() -> None:
    """Install the filter on the loggers of the HTTP libraries the SDK drives (idempotent)."""
    for name in ("httpx", "httpcore"):
        target = logging.getLogger(name)
        if _FILTER not in target.filters:
            target.addFilter(_FILTER)


def redact_text(text: str, *secrets: str) -> str:
    """Remove query strings of URLs, anything shaped like an API key or bearer token, and the given secrets."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "<redacted>")
    text = _USERINFO.sub(r"\1<redacted>@", text)
    text = _URL_WITH_QUERY.sub(r"\1?<redacted>", text)
    text = _API_KEY.sub("sk_<redacted>", text)
    return _BEARER.sub(r"\1<redacted>", text)
