"""API keys through the SDK over real HTTP: a minted key drives its own client; the secret never shows in a repr."""

from __future__ import annotations

import pytest

from methodic import Chronicle, errors
from methodic.namespaces.api_keys import experiment_ceiling_restriction
from methodic_server import LocalChronicle
from tests.helpers import CONFIG


def test_mint_use_rotate_restrict_revoke(client: Chronicle, server: LocalChronicle) -> None:
    made = client.api_keys.create("runner", key_type="agent")
    assert made.key and made.key.startswith("sk_agent_")
    assert made.key not in repr(made) and made.key not in str(made) and "<secret>" in repr(made)
    assert made.id in [k.id for k in client.api_keys.list()]
    with Chronicle(server.url, made.key) as as_agent:
        exp = as_agent.experiments.create(hypothesis_summary="h", config_yaml=CONFIG)
    client.api_keys.set_restriction(made.id, experiment_ceiling_restriction(exp.id))
    with Chronicle(server.url, made.key) as bound:
        bound.experiments.commit(exp.id)  # inside its experiment
        other = client.experiments.create(hypothesis_summary="h2", config_yaml=CONFIG)
        with pytest.raises(errors.PermissionDeniedError, match="limited to experiment"):
            bound.experiments.commit(other.id)
    rotated = client.api_keys.rotate(made.id)
    assert rotated.key != made.key
    with Chronicle(server.url, made.key) as stale, pytest.raises(errors.AuthenticationError):
        stale.me.scopes()
    assert client.api_keys.revoke(made.id)["revoked_at"]
    with Chronicle(server.url, rotated.key or "") as revoked, pytest.raises(errors.AuthenticationError):
        revoked.me.scopes()


def test_an_org_bound_key_cannot_create_a_personal_experiment(client: Chronicle, server: LocalChronicle) -> None:
    bound = client.api_keys.create_org_bound("org agent", "org_local")
    assert bound.restriction and bound.restriction["administer"] == []
    with Chronicle(server.url, bound.key or "") as agent:
        assert agent.experiments.create(hypothesis_summary="h", organization_id="org_local").id
        with pytest.raises(errors.PermissionDeniedError):
            agent.experiments.create(hypothesis_summary="h", organization_id=None)
