"""The contract's operations, one module per area; each module declares its own routes."""

from __future__ import annotations

from methodic_server.routes import (
    access,
    api_keys,
    assets,
    assist,
    collections,
    datasets,
    errata,
    events,
    experiments,
    feedback,
    git,
    imports,
    ownership,
    prompts,
    publications,
    r2,
    reports,
    research,
    runs,
    search,
    tags,
    variations,
)
from methodic_server.routes.base import Answer, Caller, Ctx, Handler, Operation, Services


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
        api_keys,
        errata,
        tags,
        collections,
        ownership,
        access,
        r2,
        reports,
        assist,
        events,
        feedback,
        datasets,
        imports,
    )
    return [op for area in areas for op in area.operations(services)]


__all__ = ["Answer", "Caller", "Ctx", "Handler", "Operation", "Services", "all_operations"]
