"""Experiments, variations, runs and search on the hosted wire, over an injected transport."""

from __future__ import annotations

import json
from typing import Any

import httpx

from methodic import Chronicle

KEY = "sk_user_abcdef12" + "0" * 32


class Recorder:
    """Answers each request with the next canned answer (JSON, or a Response); remembers what was sent."""

    def __init__(self, *answers: Any) -> None:
        self.answers = list(answers)
        self.seen: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        answer = self.answers.pop(0)
        return answer if isinstance(answer, httpx.Response) else httpx.Response(200, json=answer)

    def body(self, i: int) -> Any:
        return json.loads(self.seen[i].content) if self.seen[i].content else None


def client_with(fake: Recorder) -> Chronicle:
    return Chronicle("https://chronicle.test", KEY, transport=httpx.MockTransport(fake))


def test_create_builds_the_handle_from_the_ids_it_answers() -> None:
    fake = Recorder(
        {
            "experiment_id": "e1",
            "variation": 0,
            "run": 0,
            "tentative_parents": [{"parent_id": "p1", "parent_state": "open", "promotable": False}],
        }
    )
    with client_with(fake) as chronicle:
        exp = chronicle.experiments.create(hypothesis_summary="h", config_yaml="lr: 1\n", parent_experiment_ids=["p1"])
    assert exp.id == "e1"
    assert exp._create_response is not None and exp._create_response.tentative_parents[0].parent_id == "p1"
    assert exp._create_response.experiment is None  # the hosted answer has no experiment record: fine
    request = fake.seen[0]
    assert (request.method, request.url.path) == ("POST", "/v1/experiments")
    assert fake.body(0) == {"hypothesis_summary": "h", "config_yaml": "lr: 1\n", "parent_experiment_ids": ["p1"]}


def test_list_is_one_page_of_a_bare_array_and_iter_follows_the_before_cursor() -> None:
    rows = [{"id": f"e{i}", "created_at": f"2026-01-0{i}T00:00:00Z", "state": "open"} for i in (3, 2, 1)]
    fake = Recorder(rows[:2], rows[2:], rows[:2], rows[2:])
    with client_with(fake) as chronicle:
        page = chronicle.experiments.list(status="open", created_by="alice", page_size=2)
        assert [e.id for e in page.results] == ["e3", "e2"]
        assert page.next_page_token == "2026-01-02T00:00:00Z_e2"  # derived from a full page
        last = chronicle.experiments.list(status="open", page_size=2, page_token=page.next_page_token)
        assert [e.id for e in last.results] == ["e1"] and last.next_page_token is None
        assert [e.id for e in chronicle.experiments.iter(page_size=2)] == ["e3", "e2", "e1"]
    params = [dict(r.url.params) for r in fake.seen]
    assert params[0] == {"status": "open", "created_by": "alice", "limit": "2"}
    assert params[1] == {"status": "open", "limit": "2", "before": "2026-01-02T00:00:00Z_e2"}
    assert params[3]["before"] == "2026-01-02T00:00:00Z_e2"
    assert all(r.method == "GET" and r.url.path == "/v1/experiments" for r in fake.seen)


def test_list_believes_x_has_more_over_the_page_size() -> None:
    rows = [{"id": "e1", "created_at": "2026-01-01T00:00:00Z"}]
    fake = Recorder(httpx.Response(200, json=rows, headers={"X-Has-More": "true"}))
    with client_with(fake) as chronicle:
        assert chronicle.experiments.list(page_size=50).next_page_token == "2026-01-01T00:00:00Z_e1"


def test_conclude_is_a_post_that_may_say_what_to_do_with_an_existing_report() -> None:
    fake = Recorder({"experiment": {"id": "e1", "state": "concluded"}}, httpx.Response(200))
    with client_with(fake) as chronicle:
        assert chronicle.experiments.conclude("e1", on_exist_action="keep").state == "concluded"
        chronicle.experiments.conclude("@alice/ripple")
    assert [(r.method, r.url.path) for r in fake.seen] == [
        ("POST", "/v1/experiments/e1/conclude"),
        ("POST", "/v1/u/alice/e/ripple/conclude"),
    ]
    assert fake.body(0) == {"on_exist_action": "keep"} and fake.body(1) is None


def test_inputs_go_as_asset_ids_to_the_experiment_or_the_variation() -> None:
    answer = {"experiment_id": "e1", "asset_ids": ["a1", "a2"]}
    fake = Recorder(answer, answer, answer)
    with client_with(fake) as chronicle:
        assert chronicle.experiments.link_inputs("e1", ["a1", "a2"]).asset_ids == ["a1", "a2"]
        chronicle.experiments.link_input("e1", "a1", variation=2, allow_invalid_assets=True)
        chronicle.experiments.add_inputs("e1", "a1")
    assert [r.url.path for r in fake.seen] == [
        "/v1/experiments/e1/inputs",
        "/v1/experiments/e1/variations/2/inputs",
        "/v1/experiments/e1/inputs",
    ]
    assert fake.body(0) == {"asset_ids": ["a1", "a2"], "allow_invalid_assets": False, "propagate_acl": True}
    assert fake.body(1) == {"asset_ids": ["a1"], "allow_invalid_assets": True}
    assert fake.body(2)["asset_ids"] == ["a1"]


def test_upstream_retractions_and_lineage_take_their_query() -> None:
    fake = Recorder(
        {
            "has_retractions": True,
            "retractions": [{"experiment_id": "g", "reason": "noise", "depth": 2, "chain": ["e1", "p", "g"]}],
        },
        {"ancestors": [{"id": "p", "owner_subject": "user_1", "depth": 1}], "descendants": []},
    )
    with client_with(fake) as chronicle:
        found = chronicle.experiments.get_upstream_retractions(
            "e1", depth=3, since="2026-01-01T00:00:00Z", full_chain=True
        )
        lineage = chronicle.experiments.get_lineage("e1", direction="up", depth=2)
    (retraction,) = found.retractions
    assert (retraction.experiment_id, retraction.depth, retraction["chain"]) == ("g", 2, ["e1", "p", "g"])
    assert [(a.id, a.depth, a.owner_subject) for a in lineage.ancestors] == [("p", 1, "user_1")]
    assert dict(fake.seen[0].url.params) == {"depth": "3", "since": "2026-01-01T00:00:00Z", "full_chain": "true"}
    assert dict(fake.seen[1].url.params) == {"direction": "up", "depth": "2"}


def test_variation_commit_sends_whether_to_commit_without_a_hypothesis() -> None:
    fake = Recorder({"variation": 0, "state": "committed"}, {"variation": 1, "state": "committed"})
    with client_with(fake) as chronicle:
        chronicle.variations.commit("e1", 0)
        chronicle.variations.commit("e1", 1, commit_without_hypothesis=True)
    assert [(r.method, r.url.path) for r in fake.seen] == [
        ("PUT", "/v1/experiments/e1/variations/0/commit"),
        ("PUT", "/v1/experiments/e1/variations/1/commit"),
    ]
    assert fake.body(0) == {"commit_without_hypothesis": False} and fake.body(1) == {"commit_without_hypothesis": True}


def test_a_run_reads_its_status_and_its_variations_config() -> None:
    fake = Recorder(
        {"experiment_id": "e1", "variation": 0, "run": 1, "state": "running"},
        {"variation": 0, "config_yaml": "lr: 1\n", "config_json": {"lr": 1}},
    )
    with client_with(fake) as chronicle:
        run = chronicle.run("e1", 0, 1)
        assert run.get_status().state == "running" and run.state == "running"  # the answer is cached
        config = run.get_variation_config()
    assert config["config_json"] == {"lr": 1}
    assert [(r.method, r.url.path) for r in fake.seen] == [
        ("GET", "/v1/experiments/e1/variations/0/runs/1/status"),
        ("GET", "/v1/experiments/e1/variations/0"),
    ]


def test_search_sends_filters_nested_and_pages_by_token() -> None:
    hit = {"document_id": "d1", "source_type": "asset", "relevance_score": 0.9, "lineage_boost": False}
    fake = Recorder(
        {"results": [hit], "total_size": 2, "next_page_token": "t2"},
        {"results": [{**hit, "document_id": "d2", "lineage_boost": True}], "total_size": 2, "next_page_token": None},
    )
    with client_with(fake) as chronicle:
        hits = list(
            chronicle.search.iter(
                "warmup",
                filters={"created_after": "2026-01-01T00:00:00Z", "source_type": "asset", "team_id": "t"},
                experiment_context=["e1"],
                scope={"experiments": ["e1"]},
                page_size=1,
            )
        )
    assert [(h.document_id, h.source_type, h.lineage_boost) for h in hits] == [
        ("d1", "asset", False),
        ("d2", "asset", True),
    ]
    first, second = fake.body(0), fake.body(1)
    assert first == {
        "query": "warmup",
        "filters": {"created_after": "2026-01-01T00:00:00Z", "source_type": "asset", "team_id": "t"},
        "experiment_context": ["e1"],
        "scope": {"collections": [], "experiments": ["e1"]},
        "page_size": 1,
    }
    assert second == {**first, "page_token": "t2"}
