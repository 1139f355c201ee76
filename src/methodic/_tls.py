"""One TLS context per process for every connection the SDK opens: the API's, storage's, direct downloads'.

``httpx.HTTPTransport()`` builds a context of its own and loads certifi's CA bundle into it: 10-15 ms of CPU
each time on the project machine, and a client that uploads builds two transports (the API's and storage's),
so ``methodic uploads resume`` paid it twice before its first byte moved. An :class:`ssl.SSLContext` may be
shared by any number of connections and threads, so one serves them all.

The trade-off: the context is built once, on first use, with httpx's defaults (certifi's CAs, or the
``SSL_CERT_FILE`` / ``SSL_CERT_DIR`` the environment names at that moment); changing those variables later in
the same process changes nothing. A caller who needs other TLS settings for the API passes ``http_client=``.
"""

from __future__ import annotations

import functools
import ssl

import httpx

__all__ = ["default_ssl_context"]


@functools.lru_cache(maxsize=1)
def default_ssl_context() -> ssl.SSLContext:
    """Httpx's default verifying context (hostnames checked, certificates required), built once per process."""
    return httpx.create_ssl_context()
