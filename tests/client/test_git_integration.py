"""The git integration through the SDK: branch binding works locally; repository operations raise the server's 501."""

from __future__ import annotations

import pytest

from methodic import Chronicle, errors
from methodic.types import GitToken
from tests.helpers import CONFIG


def test_set_git_ref_on_the_handles_and_the_namespace(client: Chronicle) -> None:
    exp = client.experiments.create(hypothesis_summary="h", config_yaml=CONFIG)
    variation = exp.variations.create(config_yaml=CONFIG)
    assert variation.set_git_ref("variation/probe").data.git_ref == "variation/probe"
    assert exp.variations.set_git_ref(0, "variation/base")["git_ref"] == "variation/base"
    with pytest.raises(errors.BadRequestError, match="protected"):
        client.variations.set_git_ref(exp.id, 0, "agent/v0")


@pytest.mark.parametrize("call", ["fork", "git_status", "mint_git_token", "wait_for_repo"])
def test_repository_operations_raise_the_servers_reason(client: Chronicle, call: str) -> None:
    exp = client.experiments.create(hypothesis_summary="h", config_yaml=CONFIG)
    method = getattr(exp, call)
    kwargs = {"hypothesis_summary": "h2"} if call == "fork" else {}
    with pytest.raises(errors.APIStatusError) as refused:
        method(**kwargs)
    assert refused.value.status_code == 501 and refused.value.code == "git_unavailable"


def test_a_git_token_never_shows_in_a_repr() -> None:
    token = GitToken({"token": "ghs_secretvalue", "expires_at": "2026-12-05T07:00:00Z", "repo_url": "https://x/r"})
    assert token.token == "ghs_secretvalue"
    assert "ghs_secretvalue" not in repr(token) and "ghs_secretvalue" not in str(token)
    assert "ghs_secretvalue" not in f"{token}" and "ghs_secretvalue" not in str([token])
