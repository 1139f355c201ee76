"""The git integration: a variation's branch binding, and the repository operations a local server cannot do.

On the hosted service every experiment has a GitHub repository, made and managed by a GitHub App. The local
server has no GitHub App, so forking, the repository's state and install tokens answer 501
``git_unavailable`` with that reason, never a made-up repository. Binding a branch name to an open
variation needs no repository and works as on the hosted service.
"""

from __future__ import annotations

from methodic_server.errors import ApiError
from methodic_server.routes.base import EXPERIMENT, VARIATION, Answer, Ctx, Handler, Operation, Services


def operations(services: Services) -> list[Operation]:
    """PUT a variation's git-ref; fork, git status and git token (501 here)."""
    s = services.store

    def no_github(what: str) -> Handler:
        def handler(c: Ctx) -> Answer:
            s.experiments.get(c.params["experiment_id"])  # an unknown experiment is still a 404
            raise ApiError(
                501,
                "git_unavailable",
                f"{what} needs the hosted service's GitHub App (a repository per experiment); "
                "the local server has none",
            )

        return handler

    return [
        Operation(
            "set_variation_git_ref",
            "PUT",
            VARIATION + "/git-ref",
            lambda c: (
                200,
                s.variations.set_git_ref(c.params["experiment_id"], c.params["variation"], c.body["git_ref"]),
            ),
            takes_body=True,
        ),
        Operation("fork_experiment", "POST", EXPERIMENT + "/fork", no_github("forking an experiment"), takes_body=True),
        Operation(
            "get_experiment_git_status",
            "GET",
            EXPERIMENT + "/git",
            no_github("an experiment's git state"),
            worker="read",
        ),
        Operation("mint_git_token", "POST", EXPERIMENT + "/git/token", no_github("an install token")),
    ]
