"""Reasoning-error reports, the catalogs and the review queue over raw HTTP, against the contract."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from methodic_server import LocalChronicle
from methodic_server.errors import ApiError
from tests.helpers import module_server
from tests.server.wire import Wire

server = module_server()  # one contract-checked server for this module's tests


@pytest.fixture
def admin(server: LocalChronicle) -> Iterator[Wire]:
    client = Wire(server, server.mint_admin_key())
    yield client
    client.close()


def test_a_report_is_stored_reported_and_listed_to_its_reporter_only(wire: Wire, admin: Wire) -> None:
    exp = wire.committed()
    lesson = wire.ok("POST", f"/v1/experiments/{exp}/lessons", {"title": "t", "origin": "manual", "body_md": "b"})
    body = {
        "reasoning_error": "Concluded from one seed",
        "kind": "operational",
        "description": "n=1",
        "experiment_id": exp,
        "variation": 0,
        "user_confirmed": True,
        "lesson_id": lesson["id"],
        "evidence": {"run": 0},
    }
    report = wire.ok("POST", "/v1/reasoning-errors", body, status=201)
    assert (report["state"], report["kind"], report["experiment_id"]) == ("reported", "operational", exp)
    assert report["user_confirmed"] is True and report["lesson_id"] == lesson["id"]
    assert report["failure_mode_id"] is None and report["reviews"] == []
    plain = wire.ok("POST", "/v1/reasoning-errors", {"reasoning_error": "Causal claim from a correlation"})
    assert plain["kind"] == "reasoning" and plain["experiment_id"] is None

    theirs = admin.ok("POST", "/v1/reasoning-errors", {"reasoning_error": "the superadmin's own"})
    mine = [r["id"] for r in wire.ok("GET", "/v1/reasoning-errors")]
    assert report["id"] in mine and plain["id"] in mine and theirs["id"] not in mine
    assert mine.index(plain["id"]) < mine.index(report["id"])  # newest first
    everyone = [r["id"] for r in admin.ok("GET", "/v1/reasoning-errors")]
    assert {report["id"], theirs["id"]} <= set(everyone)

    assert len(wire.ok("GET", "/v1/reasoning-errors", params={"limit": 1})) == 1
    assert wire.ok("GET", "/v1/reasoning-errors", params={"state": "human_confirmed"}) == []
    unmapped = wire.ok("GET", "/v1/reasoning-errors", params={"unmapped": "True"})  # how the hosted client says it
    assert report["id"] in [r["id"] for r in unmapped]
    assert wire.ok("GET", "/v1/reasoning-errors", params={"unmapped": "false"}) == []
    # no review of any class exists yet: every report awaits every class, none was reviewed by one
    assert wire.ok("GET", "/v1/reasoning-errors", params={"reviewed_by": "methodic_human"}) == []
    awaiting = wire.ok("GET", "/v1/reasoning-errors", params={"awaiting": "methodic_human"})
    assert report["id"] in [r["id"] for r in awaiting]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"reasoning_error": "x", "kind": "bug"}, 400),
        ({"reasoning_error": "  "}, 400),
        ({"reasoning_error": "x", "variation": 0}, 400),
        ({"reasoning_error": "x", "experiment_id": "00000000-0000-0000-0000-000000000000"}, 404),
        ({"reasoning_error": "x", "lesson_id": "no-such-lesson"}, 404),
    ],
)
def test_a_bad_report_is_refused_and_nothing_is_stored(wire: Wire, body: dict[str, object], status: int) -> None:
    before = len(wire.ok("GET", "/v1/reasoning-errors", params={"limit": 1000}))
    assert wire.error("POST", "/v1/reasoning-errors", body)[0] == status
    assert len(wire.ok("GET", "/v1/reasoning-errors", params={"limit": 1000})) == before


def test_a_report_on_an_unknown_variation_or_a_foreign_lesson_is_404(wire: Wire) -> None:
    exp, other = wire.committed(), wire.committed()
    lesson = wire.ok("POST", f"/v1/experiments/{other}/lessons", {"title": "t", "origin": "manual", "body_md": "b"})
    assert (
        wire.error("POST", "/v1/reasoning-errors", {"reasoning_error": "x", "experiment_id": exp, "variation": 9})[0]
        == 404
    )
    refused = wire.error(
        "POST", "/v1/reasoning-errors", {"reasoning_error": "x", "experiment_id": exp, "lesson_id": lesson["id"]}
    )
    assert refused[0] == 404


def test_reclassify_keeps_the_id_clears_mappings_and_needs_a_reason(wire: Wire, admin: Wire) -> None:
    report = wire.ok("POST", "/v1/reasoning-errors", {"reasoning_error": "wrong metric"})
    path = f"/v1/reasoning-errors/{report['id']}/reclassify"
    assert wire.error("POST", path, {"kind": "operational", "reason": " "})[0] == 400
    assert wire.error("POST", path, {"kind": "other", "reason": "r"})[0] == 400
    status, error = wire.error("POST", path, {"kind": "reasoning", "reason": "r"})
    assert (status, error["code"]) == (409, "already_that_kind")
    moved = wire.ok("POST", path, {"kind": "operational", "reason": "the run failed, not the inference"})
    assert (moved["id"], moved["kind"], moved["state"]) == (report["id"], "operational", "reported")
    assert moved["reclassifications"][0]["from"] == "reasoning"
    assert moved["failure_mode_id"] is None and moved["operational_check_id"] is None
    assert wire.error("POST", "/v1/reasoning-errors/nope/reclassify", {"kind": "reasoning", "reason": "r"})[0] == 404
    theirs = admin.ok("POST", "/v1/reasoning-errors", {"reasoning_error": "not yours"})
    denied = wire.error(
        "POST", f"/v1/reasoning-errors/{theirs['id']}/reclassify", {"kind": "operational", "reason": "r"}
    )
    assert denied[0] == 403
    assert admin.ok("POST", path, {"kind": "reasoning", "reason": "superadmin corrects"})["kind"] == "reasoning"


def test_the_failure_mode_catalog_serves_active_entries_only_with_its_filters(
    wire: Wire, server: LocalChronicle
) -> None:
    server.curate_failure_mode(
        {"slug": "single-seed", "title": "Conclusion from one seed", "family": "evidence", "signal": True}
    )
    server.curate_failure_mode({"slug": "post-hoc", "title": "Post hoc ergo propter hoc", "family": "causality"})
    server.curate_failure_mode({"slug": "draft-mode", "title": "Only proposed", "family": "other"}, status="proposed")
    slugs = [m["slug"] for m in wire.ok("GET", "/v1/failure-modes")["failure_modes"]]
    assert "single-seed" in slugs and "post-hoc" in slugs and "draft-mode" not in slugs
    assert [m["slug"] for m in wire.ok("GET", "/v1/failure-modes", params={"q": "SEED"})["failure_modes"]] == [
        "single-seed"
    ]
    causal = wire.ok("GET", "/v1/failure-modes", params={"family": "causality"})["failure_modes"]
    assert [m["slug"] for m in causal] == ["post-hoc"]
    signal = wire.ok("GET", "/v1/failure-modes", params={"signal": "true"})["failure_modes"]
    assert "single-seed" in [m["slug"] for m in signal] and "post-hoc" not in [m["slug"] for m in signal]
    assert wire.error("GET", "/v1/failure-modes", params={"family": "astrology"})[0] == 400


def test_operational_checks_widen_across_scopes_nearest_wins_and_symptoms_lead(
    wire: Wire, server: LocalChronicle
) -> None:
    exp = wire.committed()
    server.curate_operational_check(
        {"slug": "quota", "title": "Check the GPU quota", "symptoms": ["job stuck pending"], "steps": ["look"]}
    )
    server.curate_operational_check(
        {"slug": "quota", "title": "Org quota", "symptoms": ["stuck"], "scope": "organization", "scope_id": "org_local"}
    )
    server.curate_operational_check(
        {
            "slug": "creds",
            "title": "Pending credentials",
            "symptoms": ["403 from storage"],
            "scope": "experiment",
            "scope_id": exp,
        }
    )
    server.curate_operational_check(
        {"slug": "elsewhere", "title": "Not ours", "scope": "organization", "scope_id": "org_elsewhere"}
    )
    listed = {c["slug"]: c for c in wire.ok("GET", "/v1/operational-checks")["operational_checks"]}
    assert listed["quota"]["title"] == "Org quota"  # the organization's beats the platform's
    assert "creds" not in listed and "elsewhere" not in listed
    widened = wire.ok("GET", "/v1/operational-checks", params={"experiment_id": exp})["operational_checks"]
    assert "creds" in [c["slug"] for c in widened]
    ranked = wire.ok("GET", "/v1/operational-checks", params={"q": "pending", "experiment_id": exp})
    # "pending" is a symptom of quota (platform's, hidden by the org's "stuck") and only a title word of creds
    assert [c["slug"] for c in ranked["operational_checks"]] == ["creds"]
    stuck = wire.ok("GET", "/v1/operational-checks", params={"q": "stuck", "experiment_id": exp})
    assert [c["slug"] for c in stuck["operational_checks"]] == ["quota"]
    assert wire.error("GET", "/v1/operational-checks", params={"experiment_id": "nope"})[0] == 404


def test_suggest_needs_a_model_the_local_server_does_not_have(wire: Wire) -> None:
    status, error = wire.error("POST", "/v1/operational-checks/suggest", {"prompt": "bulk upload 2 TB"})
    assert (status, error["code"]) == (501, "llm_unavailable")
    assert "operational_checks.suggest" in error["message"] and "language model" in error["message"]
    assert wire.error("POST", "/v1/operational-checks/suggest", {"prompt": ""})[0] == 400


def test_the_review_queue_holds_undecided_reports_and_proposed_entries(
    wire: Wire, admin: Wire, server: LocalChronicle
) -> None:
    exp = wire.committed()
    mine = wire.ok("POST", "/v1/reasoning-errors", {"reasoning_error": "on my experiment", "experiment_id": exp})
    loose = wire.ok("POST", "/v1/reasoning-errors", {"reasoning_error": "no experiment"})
    proposed = server.curate_failure_mode({"slug": "p", "title": "Proposed", "family": "process"}, status="proposed")
    items = wire.ok("GET", "/v1/assist/review-queue", params={"experiment_id": exp})["items"]
    assert [(i["kind"], i["id"]) for i in items] == [("reasoning_error", mine["id"])]
    # a report with no experiment belongs to no one's experiment: only the superadmin's global queue has it
    assert loose["id"] not in [i["id"] for i in wire.ok("GET", "/v1/assist/review-queue")["items"]]
    everything = admin.ok("GET", "/v1/assist/review-queue")["items"]
    assert {loose["id"], mine["id"], proposed["id"]} <= {i["id"] for i in everything}
    modes = admin.ok("GET", "/v1/assist/review-queue", params={"kind": "failure_mode"})["items"]
    assert {i["kind"] for i in modes} == {"failure_mode"} and proposed["id"] in [i["id"] for i in modes]
    assert admin.ok("GET", "/v1/assist/review-queue", params={"kind": "claim_check"})["items"] == []
    assert admin.ok("GET", "/v1/assist/review-queue", params={"state": "human_confirmed"})["items"] == []
    assert len(admin.ok("GET", "/v1/assist/review-queue", params={"limit": 1})["items"]) == 1
    assert wire.error("GET", "/v1/assist/review-queue", params={"kind": "everything"})[0] == 400


def test_review_decisions_drive_states_filters_the_queue_and_the_catalog(wire: Wire, server: LocalChronicle) -> None:
    exp = wire.committed()
    report = wire.ok("POST", "/v1/reasoning-errors", {"reasoning_error": "p-hacking", "experiment_id": exp})

    def queued() -> list[str]:
        return [i["id"] for i in wire.ok("GET", "/v1/assist/review-queue", params={"experiment_id": exp})["items"]]

    def listed(**params: str) -> list[str]:
        return [r["id"] for r in wire.ok("GET", "/v1/reasoning-errors", params=params)]

    server.review("reasoning_error", report["id"], confirm=True, by="user")  # the owner's word: no state change
    assert report["id"] in listed(reviewed_by="user") and report["id"] not in listed(awaiting="user")
    assert report["id"] in listed(awaiting="methodic_human") and report["id"] in queued()
    server.review("reasoning_error", report["id"], confirm=True, by="methodic_agent")
    assert report["id"] in listed(state="ai_validated") and report["id"] in queued()
    server.review("reasoning_error", report["id"], confirm=True, by="methodic_human", reason="clear case")
    assert report["id"] in listed(state="human_confirmed", reviewed_by="methodic_human")
    assert report["id"] not in queued()
    with pytest.raises(ApiError) as decided:
        server.review("reasoning_error", report["id"], confirm=False)
    assert decided.value.status == 409

    proposed = server.curate_failure_mode({"slug": "p-hack", "title": "p-hacking", "family": "evidence"}, "proposed")
    assert "p-hack" not in [m["slug"] for m in wire.ok("GET", "/v1/failure-modes")["failure_modes"]]
    server.review("failure_mode", proposed["id"], confirm=True)
    assert "p-hack" in [m["slug"] for m in wire.ok("GET", "/v1/failure-modes")["failure_modes"]]
