"""Where the API key may be sent besides Chronicle itself: the storage gateway's URLs, vetted one rule.

The hosted platform's gateway (Scribe) takes the API key on its upload and read URLs. Those URLs come
from a server's answer, so a lying or misconfigured server could name any host; the key goes only to a
URL that cannot leak it on the way: ``https``, or Chronicle's own scheme and host, or plain ``http`` to
this machine's loopback (the local development server). Anything else is refused before a byte moves.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit


def loopback(host: str | None) -> bool:
    """Whether ``host`` is this machine (a key sent there never leaves it)."""
    if host is None:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def key_may_go_to(url: str, server_url: str) -> bool:
    """Whether the API key may accompany a request to ``url`` (see the module docstring for the rule)."""
    parts, server = urlsplit(url), urlsplit(server_url)
    same_origin = (parts.scheme, parts.netloc) == (server.scheme, server.netloc)
    return parts.scheme == "https" or same_origin or (parts.scheme == "http" and loopback(parts.hostname))
