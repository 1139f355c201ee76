"""Tags and collections through the SDK over real HTTP: tag by name, curate, and search within what was curated."""

from __future__ import annotations

import pytest

from methodic import Chronicle, errors


def _note(client: Chronicle, text: str) -> str:
    return str(client.assets.create_inline(asset_type="research_report", name=text, content=text).id)


def test_tag_by_name_list_rename_and_filter_search(client: Chronicle) -> None:
    note = _note(client, "vortex shedding behind a cylinder")
    exp = client.experiments.create(hypothesis_summary="vortex shedding frequency", title="Vortex shedding")
    tagged = client.tags.tag_asset(note, tag="Vortex Shedding")
    assert tagged.created is True and tagged.tag is not None and tagged.tag.normalized == "vortex-shedding"
    assert client.tags.tag_experiment(exp.id, tag="vortex shedding").tag_id == tagged.tag_id  # one tag, by name
    assert client.tags.create("VORTEX-shedding").id == tagged.tag_id
    assert [t.usage_count for t in client.tags.list(q="vortex")] == [2]
    assert [t.id for t in client.tags.asset_tags(note)] == [tagged.tag_id]
    objects = client.tags.objects(tagged.tag_id)
    assert [a.id for a in objects.assets] == [note] and [e.id for e in objects.experiments] == [exp.id]

    hits = client.search.query("vortex shedding", filters={"tags": ["vortex shedding"]})
    assert {r.document_id for r in hits.results} == {note, exp.id}
    assert client.tags.rename(tagged.tag_id, "Karman street").name == "Karman street"
    assert client.search.query("vortex shedding", filters={"tags": ["vortex shedding"]}).results == []

    assert client.tags.untag_experiment(exp.id, tagged.tag_id).removed is True
    assert client.tags.experiment_tags(exp.id) == []
    assert client.tags.delete(tagged.tag_id).untagged == 1
    with pytest.raises(errors.NotFoundError):
        client.tags.get(tagged.tag_id)
    with pytest.raises(ValueError, match="exactly one"):
        client.tags.tag_asset(note)
    with pytest.raises(ValueError, match="exactly one"):
        client.tags.tag_experiment(exp.id, tag="a", tag_id="b")


def test_collections_curate_and_scope_a_search(client: Chronicle) -> None:
    inside = _note(client, "wave loads on offshore piles")
    outside = _note(client, "wave loads folklore")
    col = client.collections.create("Offshore loads", description="papers on wave loads")
    assert col["id"] == col.id and col.scope_id == "user_local"
    added = client.collections.add(col.id, asset_ids=[inside, "no-such-asset"], reindex_mode="eager")
    assert added.added == 1 and len(added.warnings) == 1
    assert [m["asset_id"] for m in client.collections.members(col.id).assets] == [inside]
    assert client.collections.get(col.id).member_asset_count == 1
    assert [c.id for c in client.collections.list(q="offshore")] == [col.id]

    everywhere = {r.document_id for r in client.search.query("wave loads").results}
    within = {r.document_id for r in client.search.query("wave loads", scope={"collections": [col.id]}).results}
    assert {inside, outside} <= everywhere and within == {inside}

    exp = client.experiments.create(hypothesis_summary="pile loads", title="Piles")
    assert client.collections.associate(exp.id, [col.id]).associated == 1
    boosted = client.search.query("wave loads", experiment_context=[exp.id]).results
    assert {r.document_id: r.lineage_boost for r in boosted}[inside] is True

    assert client.collections.remove(col.id, asset_ids=[inside]).removed == 1
    with pytest.raises(ValueError, match="reindex_mode"):
        client.collections.add(col.id, asset_ids=[inside], reindex_mode="now")
    with pytest.raises(errors.PermissionDeniedError):
        client.collections.create("Elsewhere", scope_id="org_elsewhere")
