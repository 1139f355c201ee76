"""Knobs of one running server that tests may turn while it runs (delays, presign TTL, contract checks)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ApiOptions:
    """Knobs of one server instance."""

    presign_ttl: float = 3600.0
    validate_contract: bool = False
    api_delay: float = 0.0
    contract_violations: list[str] = field(default_factory=list)
