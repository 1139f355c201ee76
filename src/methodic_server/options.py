"""Knobs of one running server that tests may turn while it runs (delays, presign TTL, contract checks, body cap)."""

from __future__ import annotations

from dataclasses import dataclass, field

#: Default cap on an API request body: 16 MiB.
DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024


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
