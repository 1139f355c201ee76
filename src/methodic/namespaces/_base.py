"""What every namespace shares: the API transport and a way to leave optional fields out of a request."""

from __future__ import annotations

from typing import Any, TypeVar

from methodic_api.models.asset_list import AssetList
from methodic_api.types import UNSET, Unset

from methodic._transport import Transport
from methodic.types import AssetRecord

T = TypeVar("T")


def opt(value: T | None) -> T | Unset:
    """None means "not given": the generated models drop UNSET fields from the JSON body."""
    return UNSET if value is None else value


def assets_of(listing: AssetList) -> list[AssetRecord]:
    """Wrap each asset of a listing response."""
    return [AssetRecord(a) for a in listing.assets]


class Namespace:
    """Base class: binds an API area to the transport that does the HTTP (the anthropic SDK's ``SyncAPIResource``)."""

    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"

    def _call(self, endpoint: Any, expected: type[T], /, **kwargs: Any) -> T:
        return self._transport.call(endpoint, expected, **kwargs)
