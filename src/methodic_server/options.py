"""Knobs of one running server that tests may turn while it runs (delays, presign TTL, contract checks, body cap)."""

from __future__ import annotations

from dataclasses import dataclass, field

#: Default cap on an API request body: 16 MiB.
DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024
#: The upload routes a server can offer: ``r2`` (the storage gateway, which takes the API key and multipart
#: uploads of any size) and ``gcs`` (one presigned PUT per component).
UPLOAD_ROUTES = ("r2", "gcs")
#: Default largest single PUT, or part, the storage gateway takes: 64 MiB.
DEFAULT_MAX_PART_BYTES = 64 * 1024 * 1024
#: Default seconds an unfinished gateway multipart upload may stay untouched before it is aborted (7 days, as R2).
DEFAULT_GATEWAY_UPLOAD_IDLE_TIMEOUT = 7 * 86400.0


@dataclass
class ApiOptions:
    """Knobs of one server instance."""

    presign_ttl: float = 3600.0
    validate_contract: bool = False
    api_delay: float = 0.0
    #: Largest API request body accepted (bytes); a larger one is a 413 before it is read into memory.
    #: The biggest legitimate body is an inline asset, and anything large belongs in presigned storage.
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    contract_violations: list[str] = field(default_factory=list)
    #: The route a presigned create answers when the client can use it: ``r2`` (the gateway) or ``gcs``.
    upload_route: str = "r2"
    #: The gateway's part limit, announced as ``upload.max_part_bytes`` on the r2 route.
    max_part_bytes: int = DEFAULT_MAX_PART_BYTES
    #: The storage gateway's base URL (None: there is none, as with S3-backed storage; every upload is gcs).
    gateway_url: str | None = None

    @property
    def r2(self) -> bool:
        """Whether this server offers the r2 route: configured to, and a gateway serves it."""
        return self.upload_route == "r2" and self.gateway_url is not None
