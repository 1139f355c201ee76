"""Where ``Chronicle.from_env`` and ``Chronicle.from_file`` turn resolved settings into a client."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol, TypeVar

from methodic._config import Settings
from methodic._scope import PERSONAL


class _Client(Protocol):
    @property
    def _transport(self) -> Any: ...


C = TypeVar("C", bound=_Client)


def settings_overrides(overrides: Mapping[str, Any]) -> dict[str, Any]:
    """The overrides to resolve settings with; ``organization_id=PERSONAL`` clears the files' organization."""
    # PERSONAL is a keyword-only override: it forces the personal scope whatever the files say
    if overrides.get("organization_id") is PERSONAL:
        return {**overrides, "organization_id": None, "organization_slug": None}
    return dict(overrides)


def from_settings(client: Callable[..., C], settings: Settings, overrides: Mapping[str, Any]) -> C:
    """Build a client from resolved settings, passing through the overrides that are no setting (transports, sizes)."""
    passthrough = {
        "http_client",
        "transport",
        "storage_transport",
        "max_response_bytes",
        "multipart_threshold",
        "min_part_size",
        "download_range_size",
    }
    extra = {k: v for k, v in overrides.items() if k in passthrough}
    personal = overrides.get("organization_id") is PERSONAL
    built = client(
        settings.server_url,
        settings.api_key,
        timeout=settings.timeout,
        max_upload_workers=settings.max_upload_workers,
        organization_id=PERSONAL if personal else settings.organization_id,
        organization_slug=None if personal else settings.organization_slug,
        scribe_url=settings.scribe_url,
        **extra,
    )
    if settings.server_url_from_default:
        built._transport.mark_default_url()
    return built
