"""Research prompts and an experiment's rationale over raw HTTP, as the hosted wire has them."""

from __future__ import annotations

from methodic_server import LocalChronicle
from tests.helpers import module_server
from tests.server.wire import Wire

server = module_server()  # one contract-checked server for this module's tests


def test_a_prompt_is_made_once_and_associated_with_one_primary_per_experiment(wire: Wire) -> None:
    first = wire.ok("POST", "/v1/research-prompts", {"prompt": "Cheaper PDE surrogates"}, status=201)
    assert set(first) >= {"id", "prompt", "created_at", "created_by"}
    assert wire.ok("GET", f"/v1/research-prompts/{first['id']}") == first
    second = wire.ok("POST", "/v1/research-prompts", {"prompt": "Stable long rollouts"}, status=201)
    exp = wire.experiment()["experiment_id"]
    path = f"/v1/experiments/{exp}/research-prompts"
    assert wire.ok("GET", path) == []
    attached = wire.ok("POST", path, {"research_prompt_id": first["id"], "is_primary": True})
    assert attached == {"experiment_id": exp, "research_prompt_id": first["id"], "is_primary": True}
    wire.ok("POST", path, {"research_prompt_id": second["id"], "is_primary": True})  # the new primary
    wire.ok("POST", path, {"research_prompt_id": second["id"], "is_primary": True})  # again: no change
    listed = wire.ok("GET", path)
    assert [(x["research_prompt"]["id"], x["is_primary"]) for x in listed] == [
        (first["id"], False),
        (second["id"], True),
    ]


def test_unknown_prompts_and_experiments_and_bad_bodies_are_refused(wire: Wire, server: LocalChronicle) -> None:
    exp = wire.committed()
    assert wire.error("GET", "/v1/research-prompts/nope")[0] == 404
    assert wire.error("POST", f"/v1/experiments/{exp}/research-prompts", {"research_prompt_id": "nope"})[0] == 404
    assert wire.error("GET", "/v1/experiments/nope/research-prompts")[0] == 404
    assert wire.error("POST", "/v1/research-prompts", {"prompt": ""})[0] == 400
    assert wire.error("POST", "/v1/research-prompts", {})[0] == 400
    prompt = wire.ok("POST", "/v1/research-prompts", {"prompt": "p"})
    worker = Wire(server, server.mint_worker_key(exp, 0, 0))
    try:
        assert worker.ok("GET", f"/v1/experiments/{exp}/research-prompts") == []  # its own experiment: readable
        body = {"research_prompt_id": prompt["id"]}
        assert worker.error("POST", f"/v1/experiments/{exp}/research-prompts", body)[0] == 403
    finally:
        worker.close()


def test_the_rationale_is_the_one_given_at_create(wire: Wire) -> None:
    given = wire.experiment(rationale="Because the baseline overfits")["experiment_id"]
    assert wire.ok("GET", f"/v1/experiments/{given}/rationale") == {"rationale": "Because the baseline overfits"}
    none = wire.experiment()["experiment_id"]
    assert wire.ok("GET", f"/v1/experiments/{none}/rationale") == {"rationale": None}
    assert wire.error("GET", "/v1/experiments/nope/rationale")[0] == 404
