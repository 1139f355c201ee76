"""The storage gateway (Scribe): where a deployment signs read URLs at the edge, before Chronicle is asked.

Chronicle names it in ``GET /v1/public/client-config`` (``scribe_url``), or the client is told one
(``Chronicle(scribe_url=...)``, ``CHRONICLE_SCRIBE_URL``; ``""`` turns it off). It is asked once, lazily.
Read presigns go there first with the API key and a short timeout; any failure (no gateway, a refusal
only Chronicle can judge, a network error) falls back to Chronicle, which stays the authority. The key
goes only to an ``https`` gateway, one with Chronicle's own scheme and host, or one on this machine's
loopback (the local server's), however it was named.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from typing import Any

from methodic._constants import LOGGER_NAME
from methodic._key_scope import key_may_go_to
from methodic._transport import Transport
from methodic.errors import ChronicleError
from methodic.types import PresignedUrls

logger = logging.getLogger(LOGGER_NAME)

#: How long a read presign waits on the gateway before Chronicle is asked instead.
GATEWAY_TIMEOUT = 10.0


class Gateway:
    """Read presigns at the gateway, resolved once; ``presign_read`` answers None to mean "ask Chronicle"."""

    def __init__(self, transport: Transport, configured: str | None) -> None:
        self._transport = transport
        self._base: str | None = None if configured is None else self._vetted(configured.rstrip("/"))
        self._lock = threading.Lock()

    def base(self) -> str:
        """The gateway's base URL, or ``""`` for none (asking Chronicle's client config the first time)."""
        with self._lock:
            if self._base is None:
                try:
                    config = self._transport.get("/v1/public/client-config")
                    named = config.get("scribe_url") if isinstance(config, Mapping) else None
                    self._base = str(named).rstrip("/") if named else ""
                except ChronicleError as exc:  # an older server, or a blip: Chronicle signs everything
                    logger.debug("Chronicle named no storage gateway (%s)", exc)
                    self._base = ""
                self._base = self._vetted(self._base)
            return self._base

    def _vetted(self, url: str) -> str:
        """The gateway if the API key may go there (https, or Chronicle's own scheme and host), else ``""``."""
        if not url:
            return ""
        if key_may_go_to(url, self._transport.server_url):
            return url
        logger.warning("ignoring storage gateway %s: the API key goes only over https", url)
        return ""

    def presign_read(self, asset_id: str, body: Mapping[str, Any]) -> PresignedUrls | None:
        """The gateway's read URLs for the asset, or None to ask Chronicle."""
        base = self.base()
        if not base:
            return None
        try:
            answer = self._transport.post_absolute(
                f"{base}/v1/assets/{asset_id}/presign", json=dict(body), timeout=GATEWAY_TIMEOUT
            )
        except ChronicleError as exc:
            logger.debug("the storage gateway did not presign %s (%s); asking Chronicle", asset_id, exc)
            return None
        urls = answer.get("presigned_urls") if isinstance(answer, Mapping) else None
        if not isinstance(urls, Mapping) or not urls:
            return None
        return PresignedUrls(urls, expires_at=answer.get("expires_at"))
