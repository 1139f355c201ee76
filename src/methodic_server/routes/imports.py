"""Import routes: the batch finalize of imported reports (``POST /v1/assets/bulk-finalize``)."""

from __future__ import annotations

from methodic_server.routes.base import Answer, Ctx, Operation, Services


def operations(services: Services) -> list[Operation]:
    """POST /v1/assets/bulk-finalize."""
    s, storage = services.store, services.storage

    def bulk_finalize(c: Ctx) -> Answer:
        return 200, s.imports.bulk_finalize(c.body, c.key_kind, storage.stat)

    return [Operation("bulk_finalize_assets", "POST", "/v1/assets/bulk-finalize", bulk_finalize, takes_body=True)]
