"""The contract's operations, one module per area; each module declares its own routes."""

from __future__ import annotations

from methodic_server.routes import (
    assets,
    datasets,
    experiments,
    git,
    imports,
    prompts,
    publications,
    research,
    runs,
    search,
    variations,
)
from methodic_server.routes.base import Answer, Ctx, Handler, Operation, Services


def all_operations(services: Services) -> list[Operation]:
    """Every operation the server implements."""
    areas = (
        experiments,
        variations,
        runs,
        assets,
        search,
        research,
        publications,
        prompts,
        git,
        datasets,
        imports,
    )
    return [op for area in areas for op in area.operations(services)]


__all__ = ["Answer", "Ctx", "Handler", "Operation", "Services", "all_operations"]
