"""Publications over raw HTTP: BibTeX registration, dedup by DOI, drafts, citations past commit, honest 501s."""

from __future__ import annotations

import pytest

from methodic_server import LocalChronicle
from tests.helpers import module_server
from tests.server.wire import Wire

ATTENTION = """@inproceedings{vaswani2017,
  title = {Attention Is {All} You Need},
  author = {Vaswani, Ashish and Shazeer, Noam and Parmar, Niki},
  booktitle = "Advances in Neural Information Processing Systems",
  year = 2017,
  doi = {10.5555/3295222.3295349},
}"""
NO_DOI = "@misc{notes, title={Scaling Notes on {PDE} Surrogates}, author={Doe, Jane}, year={2024}}"


server = module_server()  # one contract-checked server for this module's tests


def test_bibtex_registers_a_public_ready_record_found_again_by_its_doi(wire: Wire) -> None:
    made = wire.ok("POST", "/v1/publications/register", {"bibtex": ATTENTION}, status=201)
    publication = made["publication"]
    assert made["existing"] is False and publication["asset_type"] == "publication"
    assert (publication["state"], publication["visibility"], publication["created_by"]) == ("ready", "public", "system")
    content = publication["content"]
    assert content["title"] == "Attention Is All You Need" and content["year"] == 2017
    assert content["authors"][0] == "Vaswani, Ashish" and content["doi"] == "10.5555/3295222.3295349"
    assert wire.ok("GET", f"/v1/assets/{publication['id']}")["content"]["title"] == content["title"]

    # the same work again, by BibTeX or by its DOI in any spelling: the same record, no lookup needed
    again = wire.ok("POST", "/v1/publications/register", {"bibtex": ATTENTION}, status=200)
    by_doi = wire.ok("POST", "/v1/publications/register", {"doi": "https://doi.org/10.5555/3295222.3295349"})
    assert again["publication"]["id"] == by_doi["publication"]["id"] == publication["id"]
    assert again["existing"] is by_doi["existing"] is True
    assert publication["id"] in [p["id"] for p in wire.ok("GET", "/v1/publications", params={"q": "attention"})]
    hits = wire.ok("POST", "/v1/search", {"query": "attention", "filters": {"asset_types": ["publication"]}})
    assert publication["id"] in [r["document_id"] for r in hits["results"]]


def test_a_title_match_without_a_doi_asks_which_one_is_meant(wire: Wire) -> None:
    first = wire.ok("POST", "/v1/publications/register", {"bibtex": NO_DOI}, status=201)["publication"]
    asked = wire.ok("POST", "/v1/publications/register", {"bibtex": NO_DOI.replace("notes,", "other,")}, status=200)
    assert asked["status"] == "needs_resolution" and [c["id"] for c in asked["candidates"]] == [first["id"]]
    assert asked["parsed"]["title"] == "Scaling Notes on PDE Surrogates"
    second = wire.ok("POST", "/v1/publications/register", {"bibtex": NO_DOI, "confirm_create": True}, status=201)
    assert second["publication"]["id"] != first["id"]


def test_a_draft_is_private_until_finalized_in_place_and_then_immutable(wire: Wire) -> None:
    draft = wire.ok("POST", "/v1/publications/register", {"bibtex": NO_DOI, "draft": True}, status=201)["publication"]
    assert (draft["visibility"], draft["asset_config"]["draft"]) == ("private", True)
    final = ATTENTION.replace("Attention Is {All} You Need", "Our Paper").replace("3295349", "0000001")
    done = wire.ok("POST", f"/v1/publications/{draft['id']}/finalize", {"bibtex": final})["publication"]
    assert done["id"] == draft["id"] and done["content"]["title"] == "Our Paper"
    assert (done["visibility"], done["asset_config"]["draft"], done["created_by"]) == ("public", False, "system")
    assert wire.error("POST", f"/v1/publications/{draft['id']}/finalize", {"bibtex": final})[0] == 409


def test_citations_stay_linkable_after_commit_until_conclusion(wire: Wire) -> None:
    exp = wire.committed()
    cited = wire.ok("POST", "/v1/publications/register", {"bibtex": NO_DOI, "confirm_create": True})["publication"]
    wire.ok("POST", f"/v1/experiments/{exp}/inputs", {"asset_ids": [cited["id"]]})
    other = wire.ready_asset(exp)
    assert wire.error("POST", f"/v1/experiments/{exp}/inputs", {"asset_ids": [other]})[0] == 409  # frozen otherwise


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"doi": "10.1000/unknown"}, 501, "resolution_unavailable"),
        ({"arxiv": "2301.12345v2"}, 501, "resolution_unavailable"),
        ({"arxiv": "https://arxiv.org/abs/2301.12345"}, 501, "resolution_unavailable"),
        ({"arxiv": "not an id"}, 400, "validation_error"),
        ({"arxiv": "2301.12345", "draft": True}, 400, "validation_error"),
        ({}, 400, "validation_error"),
        ({"doi": "10.1/x", "bibtex": NO_DOI}, 400, "validation_error"),
        ({"bibtex": "@misc{k, author={A}}"}, 400, "validation_error"),  # no title
        ({"bibtex": NO_DOI + NO_DOI}, 400, "validation_error"),  # two entries
        ({"bibtex": "@misc{k, title={" + "{" * 70000 + "}"}, 400, "validation_error"),  # past the size cap
    ],
)
def test_what_cannot_be_done_here_says_so(wire: Wire, body: dict[str, object], status: int, code: str) -> None:
    got, error = wire.error("POST", "/v1/publications/register", body)
    assert (got, error["code"]) == (status, code)
    if status == 501:
        assert "local server does not call" in error["message"]


def test_finalize_refuses_what_is_not_a_draft_of_the_caller(wire: Wire, server: LocalChronicle) -> None:
    exp = wire.committed()
    assert wire.error("POST", "/v1/publications/nope/finalize", {"bibtex": NO_DOI})[0] == 404
    assert wire.error("POST", f"/v1/publications/{wire.ready_asset(exp)}/finalize", {"bibtex": NO_DOI})[0] == 404
    draft = wire.ok("POST", "/v1/publications/register", {"bibtex": NO_DOI, "draft": True})["publication"]
    assert wire.error("POST", f"/v1/publications/{draft['id']}/finalize", {})[0] == 400
    assert wire.error("POST", f"/v1/publications/{draft['id']}/finalize", {"doi": "10.1/x"})[0] == 501
    worker = Wire(server, server.mint_worker_key(exp, 0, 0))
    try:
        assert worker.error("POST", f"/v1/publications/{draft['id']}/finalize", {"bibtex": NO_DOI})[0] == 403
    finally:
        worker.close()


@pytest.mark.parametrize("field", ["doi", "bibtex", "arxiv"])
def test_an_empty_source_is_a_bad_request_not_a_lookup(wire: Wire, field: str) -> None:
    assert wire.error("POST", "/v1/publications/register", {field: ""})[0] == 400
