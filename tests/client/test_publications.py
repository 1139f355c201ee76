"""Publications through the SDK over real HTTP: register, cite, search, finalize, and the local server's limits."""

from __future__ import annotations

import pytest

from methodic import Chronicle, errors
from tests.helpers import CONFIG

PAPER = (
    "@article{doe2024, title={Neural Operators at Scale}, author={Doe, Jane and Roe, Rick},"
    " year={2024}, doi={10.1234/NOS.2024}}"
)


def test_register_cite_search_and_finalize(client: Chronicle) -> None:
    made = client.publications.register(bibtex=PAPER)
    assert made.existing is False and made.publication is not None
    paper = made.publication
    assert paper.asset_type == "publication" and paper["content"]["authors"] == ["Doe, Jane", "Roe, Rick"]
    assert client.publications.register(doi="doi:10.1234/nos.2024").publication["id"] == paper.id
    assert client.publications.get(paper.id).state == "ready"
    assert [p.id for p in client.publications.search("operators at")] == [paper.id]

    exp = client.experiments.create(hypothesis_summary="h", config_yaml=CONFIG)
    exp.commit()
    client.experiments.link_inputs(exp.id, paper.id)  # a citation, after commit
    assert paper.id in [a.id for a in exp.list_inputs()]

    draft = client.publications.register(bibtex=PAPER.replace("10.1234/NOS.2024", "10.1234/next"), draft=True)
    assert draft.publication is not None and draft.publication["visibility"] == "private"
    done = client.publications.finalize(draft.publication.id, bibtex=PAPER.replace("NOS.2024", "final"))
    assert done.publication is not None and done.publication.id == draft.publication.id
    with pytest.raises(errors.ConflictError):
        client.publications.finalize(paper.id, bibtex=PAPER)


def test_what_needs_the_network_is_a_typed_501_and_bad_calls_fail_before_sending(client: Chronicle) -> None:
    with pytest.raises(errors.APIStatusError) as unresolved:
        client.publications.register(doi="10.9999/never-seen")
    assert unresolved.value.status_code == 501 and unresolved.value.code == "resolution_unavailable"
    with pytest.raises(ValueError, match="exactly one"):
        client.publications.register(doi="10.1/x", arxiv="2301.00001")
    with pytest.raises(ValueError, match="doi or bibtex"):
        client.publications.finalize("any")
    with pytest.raises(errors.BadRequestError, match="title"):
        client.publications.register(bibtex="@misc{k, author={A}}")
