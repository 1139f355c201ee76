"""The git integration over raw HTTP: a branch binding with git's rules, and honest 501s for the repository."""

from __future__ import annotations

import pytest

from tests.helpers import module_server
from tests.server.wire import Wire

server = module_server()  # one contract-checked server for this module's tests


def test_a_branch_binds_to_an_open_variation_and_freezes_at_commit(wire: Wire) -> None:
    exp = wire.experiment()["experiment_id"]
    path = f"/v1/experiments/{exp}/variations/0/git-ref"
    assert wire.ok("PUT", path, {"git_ref": "variation/wider-probe"})["git_ref"] == "variation/wider-probe"
    assert wire.ok("GET", f"/v1/experiments/{exp}/variations/0")["git_ref"] == "variation/wider-probe"
    wire.commit_if_open(exp)
    code, error = wire.error("PUT", path, {"git_ref": "variation/other"})
    assert (code, error["code"]) == (409, "conflict")


@pytest.mark.parametrize(
    "ref", ["agent/v1", "has space", "../escape", "-leading", "trailing/", "x.lock", "a..b", "", "tab\there"]
)
def test_protected_and_malformed_branch_names_are_refused(wire: Wire, ref: str) -> None:
    exp = wire.experiment()["experiment_id"]
    assert wire.error("PUT", f"/v1/experiments/{exp}/variations/0/git-ref", {"git_ref": ref})[0] == 400


@pytest.mark.parametrize(
    ("method", "tail", "body"),
    [("POST", "/fork", {"hypothesis_summary": "h"}), ("GET", "/git", None), ("POST", "/git/token", None)],
)
def test_what_needs_a_github_app_says_so(wire: Wire, method: str, tail: str, body: object) -> None:
    exp = wire.experiment()["experiment_id"]
    code, error = wire.error(method, f"/v1/experiments/{exp}{tail}", body)
    assert (code, error["code"]) == (501, "git_unavailable") and "GitHub App" in error["message"]
    assert wire.error(method, f"/v1/experiments/no-such{tail}", body)[0] == 404  # an unknown experiment first
