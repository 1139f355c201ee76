"""Publications: register (DOI, BibTeX or arXiv), search by title, finalize a draft."""

from __future__ import annotations

from methodic_server.routes.base import Answer, Ctx, Operation, Services, created_by


def operations(services: Services) -> list[Operation]:
    """POST /v1/publications/register, GET /v1/publications, POST /v1/publications/{id}/finalize."""
    s = services.store

    def register(c: Ctx) -> Answer:
        return s.publications.register(c.body, created_by(c))

    return [
        Operation("register_publication", "POST", "/v1/publications/register", register, takes_body=True),
        Operation(
            "search_publications",
            "GET",
            "/v1/publications",
            lambda c: (200, s.publications.search(c.query.get("q"), created_by(c))),
        ),
        Operation(
            "finalize_publication",
            "POST",
            "/v1/publications/{publication_id}/finalize",
            lambda c: (200, s.publications.finalize(c.params["publication_id"], c.body, created_by(c))),
            takes_body=True,
        ),
    ]
