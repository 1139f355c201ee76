"""Every API result is a Record: a dict that reads by attribute, tolerant of missing and unknown fields."""

from __future__ import annotations

import copy
import json
import pickle
from typing import Any

import pytest

from methodic._models import Record, records
from methodic.types import (
    AssetCreated,
    AssetRecord,
    ExperimentCreated,
    ExperimentDetail,
    FileSha256,
    PresignedUrls,
    RunRecord,
    SearchResult,
    TentativeParentLink,
)

SIGNED = "https://storage.test/bucket/a/model.bin?X-Amz-Signature=deadbeef&X-Amz-Expires=600"


def test_a_declared_field_the_server_left_out_reads_none() -> None:
    run = RunRecord({"state": "running"})
    assert run.state == "running"
    assert run.failure_reason is None and run.finished_at is None
    assert "failure_reason" not in run  # reading it never adds it
    with pytest.raises(KeyError):
        run["failure_reason"]
    assert run.get("failure_reason", "absent") == "absent"


def test_an_undeclared_field_is_an_attribute_error_but_a_known_key_reads() -> None:
    run = RunRecord({"state": "running", "preempted_by": "node-3"})
    assert run.preempted_by == "node-3"  # unknown keys are kept and read by attribute too
    with pytest.raises(AttributeError, match="no field 'nope'"):
        run.nope
    assert getattr(run, "nope", "default") == "default"
    with pytest.raises(AttributeError):
        run._private


def test_list_fields_read_empty_when_missing_or_malformed() -> None:
    asset = AssetRecord({"id": "a"})
    assert asset.components == [] and asset.tags == [] and asset.pending_reasons == []
    assert asset.presigned_urls == {} and asset.download_urls == {}
    weird = AssetRecord({"id": "a", "tags": "not-a-list", "components": [{"name": "m"}, "junk"]})
    assert weird.tags == [] and weird.components == [{"name": "m"}]


def test_records_are_plain_json_for_dumps_dict_and_splat() -> None:
    data: dict[str, Any] = {"id": "a", "state": "ready", "asset_config": {"metadata": {"step": 3}}, "extra": [1, 2]}
    asset = AssetRecord(data)
    assert isinstance(asset, dict) and asset == data
    assert json.loads(json.dumps(asset)) == data
    assert dict(asset) == data and type(dict(asset)) is dict
    assert asset.to_dict() == data and type(asset.to_dict()) is dict

    def splat(**kwargs: Any) -> dict[str, Any]:
        return kwargs

    assert splat(**asset) == data
    assert sorted(asset) == sorted(data) and set(asset.keys()) == set(data)
    assert pickle.loads(pickle.dumps(asset)) == asset
    assert copy.deepcopy(asset) == asset


def test_nested_records_convert_and_stay_json() -> None:
    created = ExperimentCreated(
        {
            "experiment_id": "e1",
            "variation": 0,
            "run": 0,
            "tentative_parents": [{"parent_id": "p1", "parent_state": "open", "promotable": False}],
            "experiment": {"id": "e1", "state": "open"},
        }
    )
    (link,) = created.tentative_parents
    assert isinstance(link, TentativeParentLink) and link.parent_id == "p1" and link.promotable is False
    assert created.experiment is not None and created.experiment.state == "open"
    assert json.loads(json.dumps(created))["tentative_parents"][0]["parent_id"] == "p1"
    assert ExperimentCreated({"experiment_id": "e1"}).tentative_parents == []


def test_an_empty_answer_is_an_empty_record() -> None:
    assert RunRecord() == {} and RunRecord().state is None
    assert RunRecord.from_dict(None) == {}
    assert records(SearchResult, [{"document_id": "d"}, "junk", None]) == [{"document_id": "d"}]
    assert records(SearchResult, {"results": []}) == []


def test_repr_redacts_presigned_signatures_but_the_data_keeps_them() -> None:
    asset = AssetRecord({"id": "a", "presigned_urls": {"model.bin": {"url": SIGNED}}})
    for text in (repr(asset), repr([asset]), repr({"x": asset})):
        assert "deadbeef" not in text and "X-Amz" not in text
        assert "https://storage.test/bucket/a/model.bin" in text
    assert asset.download_urls == {"model.bin": SIGNED}
    assert asset["presigned_urls"]["model.bin"]["url"] == SIGNED
    urls = PresignedUrls({"model.bin": {"url": SIGNED}}, expires_at="2026-01-01T00:10:00Z")
    assert "deadbeef" not in repr(urls) and urls.urls == {"model.bin": SIGNED}
    assert urls.expires_at == "2026-01-01T00:10:00Z"


def test_an_attribute_reads_the_same_value_as_the_key() -> None:
    record = Record({"a": 1})
    assert record.a == record["a"] == 1
    assert "a" in dir(record) and "state" in dir(RunRecord())  # declared fields show up in dir()


def test_envelopes_read_their_inner_records_fields_through() -> None:
    created = AssetCreated({"asset": {"id": "a1", "state": "pending"}, "upload_urls": []})
    assert created["asset"]["id"] == created.id == created.asset.id == "a1"
    assert created.state == "pending" and created.finalized_at is None
    assert "id" not in created  # the wire envelope, unflattened
    detail = ExperimentDetail({"experiment": {"id": "e1", "state": "open"}, "variations": [{"variation": 0}]})
    assert (detail.id, detail.state, detail.committed_at) == ("e1", "open", None)
    assert [v.variation for v in detail.variations] == [0] and detail.parent_ids == []


def test_envelopes_read_their_inner_records_list_fields_through() -> None:
    created = AssetCreated({"asset": {"id": "a1", "pending_reasons": ["review_required"], "tags": ["x"]}})
    assert created.pending_reasons == ["review_required"] and created.tags == ["x"] and created.components == []
    detail = ExperimentDetail({"experiment": {"id": "e1", "retracted": True, "parent_experiment_ids": ["p"]}})
    assert detail.retracted is True and detail.parent_experiment_ids == ["p"]


def test_file_sha256_is_the_hex_digest_with_its_size() -> None:
    digest = FileSha256("ab" * 32, size=4096)
    assert isinstance(digest, str) and digest == "ab" * 32
    assert digest.sha256 == "ab" * 32 and type(digest.sha256) is str
    assert digest.size == 4096
    assert json.dumps({"sha256": digest}) == json.dumps({"sha256": "ab" * 32})
    assert {"model.bin": digest} == {"model.bin": "ab" * 32}
