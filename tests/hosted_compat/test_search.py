"""Search as hosted-SDK code calls it (evidence §1.1 #22, §2.3 ``chronicle.search``, §3.6), over real HTTP."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

import methodic
from methodic import Chronicle, errors
from methodic_server import LocalChronicle


def _stamp(delta: timedelta) -> str:
    return (datetime.now(timezone.utc) + delta).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def test_history_takes_the_hosted_arguments(client: Chronicle) -> None:
    exp = client.experiments.create(hypothesis_summary="Warmup removes the loss spike")
    takeaways = client.assets.create_inline(
        asset_type="takeaways_report",
        content={"summary": "warmup removes the spike"},
        output_of={"experiment_id": exp.id},
    )
    client.assets.create_inline(asset_type="research_report", content="warmup notes")
    # R history-explorer: search.history(query, experiment_context=, created_by=, created_after=, created_before=,
    # asset_types=[...]); asset_types at the top level works here (the SDK moves it under filters)
    hits = client.search.history(
        "warmup",
        experiment_context=[exp.id],
        created_by="local-user",
        created_after=_stamp(-timedelta(hours=1)),
        created_before=_stamp(timedelta(hours=1)),
        asset_types=["takeaways_report"],
    )
    assert [h.document_id for h in hits.results] == [takeaways.id]
    assert hits.results[0].relevance_score == hits.results[0].score
    assert client.search.history("warmup", created_after=_stamp(timedelta(hours=1))).results == []
    assert client.search.history("warmup", created_by="someone-else").results == []
    everything = {h.document_id for h in client.search.history("warmup").results}
    assert {exp.id, takeaways.id} <= everything and len(everything) == 3
    with pytest.raises(errors.BadRequestError, match="RFC 3339"):
        client.search.history("warmup", created_after="last tuesday")


def test_search_filters_are_importable_and_accepted_as_object_or_dict(client: Chronicle) -> None:
    from methodic.search import SearchFilters

    assert SearchFilters is methodic.SearchFilters
    mine = client.assets.create_inline(asset_type="research_report", content="loss curves, personal")
    lab = client.assets.create_inline(
        asset_type="research_report", content="loss curves, lab", organization_id="org_local"
    )
    typed = client.search.query(
        "loss", filters=SearchFilters(asset_types=["research_report"], organization_id="org_local")
    )
    as_dict = client.search.query("loss", filters={"asset_types": ["research_report"], "organization_id": "org_local"})
    assert [h.document_id for h in typed.results] == [h.document_id for h in as_dict.results] == [lab.id]
    both = client.search.query("loss", filters={"asset_types": ["research_report"]})
    assert {h.document_id for h in both.results} == {mine.id, lab.id}
    with pytest.raises(ValueError, match="unknown search filter"):
        client.search.query("loss", filters={"pde_family": ["ns"]})


def test_as_scope_is_a_superadmins_right(server: LocalChronicle, client: Chronicle) -> None:
    lab = client.assets.create_inline(asset_type="research_report", content="spectra, lab", organization_id="org_local")
    client.assets.create_inline(asset_type="research_report", content="spectra, personal")
    with pytest.raises(errors.PermissionDeniedError) as refused:
        client.search.query("spectra", as_scope="org_local")
    assert refused.value.status_code == 403 and "superadmin" in str(refused.value)
    with Chronicle(server.url, server.mint_admin_key()) as admin:
        hits = admin.search.query("spectra", as_scope="org_local")
        assert [h.document_id for h in hits.results] == [lab.id]
        assert admin.search.query("spectra", as_scope="org_elsewhere").results == []
        with pytest.raises(errors.BadRequestError, match="not a known organization"):
            admin.search.query("spectra", as_scope="team_local")
