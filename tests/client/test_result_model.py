"""One result model: every result the SDK hands out passes the same Mapping test, over real HTTP.

Each result is obtained from the local server as a user would get it (no hand-built records), then
checked for what hosted-SDK code and our docs rely on: a read-only Mapping (indexing, ``.get``, keys,
``len``, ``==``), attribute access with declared fields that never raise, unknown keys kept,
``json.dumps`` through ``to_dict()``, pickling (ranks exchange results), and free-form JSON values
(``config_json``, ``launch_config``, ``asset_config``, environment snapshots) that are plain dicts.
"""

from __future__ import annotations

import copy
import importlib
import inspect
import json
import pickle
import pkgutil
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

import methodic._types
import methodic.types
from methodic import Chronicle, UploadTracker
from methodic._models import Record
from methodic_server import LocalChronicle
from tests.helpers import CONFIG

#: Keys whose values are free-form JSON the user owns: plain dicts whenever they are objects.
FREE_FORM = ("config_json", "launch_config", "asset_config", "accelerate_config_json", "content", "config")


def _results(chronicle: Chronicle, server: LocalChronicle, tmp: Path) -> dict[str, Any]:
    """One real result of every type, named by its class."""
    got: dict[str, Any] = {}

    def keep(*results: Any) -> None:
        for result in results:
            got.setdefault(type(result).__name__, result)

    parent = chronicle.experiments.create(
        title="parent", hypothesis_summary="h", config_yaml=CONFIG, launch_config={"gpus": 1, "nodes": {"n": 2}}
    )
    parent.commit()
    chronicle.variation(parent.id, 0).commit(commit_without_hypothesis=True)
    still_open = chronicle.experiments.create(title="open", hypothesis_summary="h", config_yaml=CONFIG)
    child = chronicle.experiments.create(
        title="child", hypothesis_summary="h", config_yaml=CONFIG, parent_experiment_ids=[parent.id, still_open.id]
    )
    keep(child._create_response)
    keep(*chronicle.experiments.tentative_links(child.id))
    detail = chronicle.experiments.get(parent.id)
    keep(detail, detail.experiment, *detail.variations)
    page = chronicle.experiments.list()
    keep(page, *page.results)

    run = chronicle.run(parent.id, 0, 0)
    keep(run.get_variation_config(), run.get_status())
    environment = run.upload_environment({"python": "3.12", "packages": {"torch": "2"}})
    keep(environment)
    got["environment snapshot"] = chronicle.assets.get(environment.id).content
    inline = run.upload_asset("metrics", {"loss": 0.5}, asset_config={"step": 1})
    keep(chronicle.assets.get(inline.id))
    presigned = run.create_asset_presigned("model", ["w.bin"])
    keep(presigned, chronicle.assets.presign(presigned.asset_id, operation="upload"))

    folder = tmp / "checkpoint-1"
    folder.mkdir()
    (folder / "w.bin").write_bytes(b"w" * 1000)
    run.start()
    run.upload_directory_async(folder, asset_type="checkpoint", asset_config={"step": 1}, progress=False).wait(60)
    from methodic.integrations.session import download_checkpoint_on_every_node

    keep(download_checkpoint_on_every_node(run, tmp / "resume"))

    # A resume's outcome: an upload cut short by close(cancel_uploads=True), finished by a resume.
    server.faults.delay_storage(0.5)
    with UploadTracker(tmp / "t.sqlite") as tracker:
        cut = Chronicle(server.url, server.api_key, max_upload_workers=1)
        (folder / "x.bin").write_bytes(b"x" * 1000)
        cut.run(parent.id, 0, 0).upload_directory_async(folder, asset_type="checkpoint", upload_tracker=tracker)
        cut.close(cancel_uploads=True)
        server.faults.reset()
        keep(*chronicle.transfers.resume_each(tracker, progress=False))

    draft = chronicle.variations.create(parent.id, config_yaml=CONFIG, launch_config={"gpus": 2})
    keep(chronicle.variations.get(parent.id, draft.variation))
    keep(chronicle.variations.link_inputs(parent.id, draft.variation, [inline.id]))
    keep(chronicle.variations.unlink_input(parent.id, draft.variation, inline.id))
    keep(chronicle.experiments.get_lineage(child.id))
    keep(chronicle.search.query("parent"))
    keep(*chronicle.search.query("parent").results)
    keep(*chronicle.me.scopes())
    run.succeed()
    keep(chronicle.variations.retract(parent.id, 0, reason="a bug in the data loader"))
    keep(chronicle.experiments.retract(parent.id, reason="a bug in the data loader"))
    retractions = chronicle.experiments.get_upstream_retractions(child.id)
    keep(retractions, *retractions.retractions)
    keep(chronicle.assets.delete(presigned.asset_id))
    keep(chronicle.experiments.delete(child.id))

    summary = chronicle.experiments.record_finding(parent.id, status="working", summary="+2", evidence_variation=0)
    keep(summary, *summary.findings)
    keep(chronicle.experiments.record_lesson(parent.id, title="Fix the seed", origin="manual", body={"seeds": [0]}))
    keep(chronicle.lessons.list())
    prompt = chronicle.research_prompts.create("Does warmup remove the spike?", experiment_ids=[parent.id])
    keep(prompt, *chronicle.research_prompts.list_for_experiment(parent.id))
    keep(chronicle.publications.register(bibtex="@article{k, title={Operators}, author={Doe, Jane}, year={2024}}"))
    keep(chronicle.api_keys.create("results"), *chronicle.api_keys.list())
    keep(chronicle.errata.create(experiment_id=parent.id, markdown="the loader dropped a shard"))
    tag = chronicle.tags.create("warmup")
    keep(tag, chronicle.tags.tag_asset(inline.id, tag_id=tag.id), chronicle.tags.objects(tag.id))
    keep(chronicle.tags.untag_asset(inline.id, tag.id), chronicle.tags.delete(tag.id))
    collection = chronicle.collections.create("schedules")
    keep(collection, chronicle.collections.add(collection.id, asset_ids=[inline.id]))
    keep(chronicle.collections.members(collection.id))
    review = chronicle.assets.create_inline(
        asset_type="research_report", content="r", pending_reasons=["review_required"]
    )
    keep(chronicle.assets.bulk_approve([review.id]))
    # The local server has no GitHub App (git routes answer 501): these are read from bodies shaped as the
    # hosted server sends them, through the same from_dict every namespace uses.
    keep(methodic.types.GitStatus.from_dict({"state": "ready", "repo_url": "https://github.com/o/r", "branches": []}))
    keep(methodic.types.GitToken.from_dict({"token": "ghs_secret", "expires_at": "2026-01-01T00:00:00Z"}))
    return got


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    with LocalChronicle(validate_contract=True) as server, Chronicle(server.url, server.api_key) as chronicle:
        yield _results(chronicle, server, tmp_path_factory.mktemp("results"))
        assert server.contract_violations == [], server.contract_violations


#: Every result type of the one model, as the public module exports it (aliases are the same classes).
RESULT_TYPES = sorted(
    {
        cls.__name__
        for cls in (getattr(methodic.types, name) for name in methodic.types.__all__)
        if inspect.isclass(cls) and issubclass(cls, Record)
    }
)


def _defined_result_types() -> set[str]:
    """Every record class written in the result modules (``methodic._types.*``), exported or not."""
    found: set[str] = set()
    for info in pkgutil.iter_modules(methodic._types.__path__, "methodic._types."):
        module = importlib.import_module(info.name)
        found.update(
            cls.__name__
            for _, cls in inspect.getmembers(module, inspect.isclass)
            if issubclass(cls, Record) and cls.__module__ == module.__name__
        )
    return found


def test_every_result_type_is_exported_by_the_public_module() -> None:
    assert sorted(_defined_result_types() - set(RESULT_TYPES)) == []


def test_every_result_type_was_obtained_from_the_server(results: dict[str, Any]) -> None:
    assert sorted(set(RESULT_TYPES) - set(results)) == []


def _fields_of(result: Record) -> set[str]:
    """Keys that read as plain attributes (not shadowed by a property or a method of the class)."""
    return {k for k in result if k.isidentifier() and not hasattr(type(result), k)}


@pytest.mark.parametrize("name", RESULT_TYPES)
def test_every_result_is_the_one_read_only_mapping(results: dict[str, Any], name: str) -> None:
    result = results[name]
    assert isinstance(result, Mapping) and isinstance(result, Record) and isinstance(result, dict)

    keys = list(result)
    assert keys == list(result.keys()) and len(result) == len(keys) and keys, f"{name} is empty"
    for key in keys:
        assert result[key] is result.get(key)
    for key in _fields_of(result):
        assert getattr(result, key) == result[key]
    assert result.get("no-such-key") is None
    with pytest.raises(KeyError):
        result["no-such-key"]
    for field in type(result)._fields() - set(result):
        assert getattr(result, field) is None  # a declared field the server left out never raises

    for change in (
        lambda r: r.__setitem__(keys[0], 1),
        lambda r: r.__delitem__(keys[0]),
        lambda r: r.update({"x": 1}),
        lambda r: r.pop(keys[0]),
        lambda r: r.setdefault("x", 1),
        lambda r: r.clear(),
    ):
        with pytest.raises(TypeError, match="read-only"):
            change(result)
    assert list(result) == keys

    plain = result.to_dict()
    assert type(plain) is dict and plain == result and result == plain
    assert json.loads(json.dumps(plain)) == plain
    again = pickle.loads(pickle.dumps(result))
    assert type(again) is type(result) and again == result and copy.deepcopy(result) == result

    for key in FREE_FORM:
        value = result.get(key)
        if isinstance(value, Mapping):
            assert type(value) is dict, f"{name}[{key!r}] is {type(value).__name__}, not a plain dict"


@pytest.mark.parametrize("name", [n for n in RESULT_TYPES if n not in ("PresignedUrls", "ResumeOutcome")])
def test_every_result_keeps_keys_it_does_not_know(results: dict[str, Any], name: str) -> None:
    result = results[name]
    later = type(result)({**result.to_dict(), "added_by_a_newer_server": {"x": 1}})
    assert later["added_by_a_newer_server"] == {"x": 1} and later.added_by_a_newer_server == {"x": 1}
    assert {k: later[k] for k in result} == result


def test_presign_and_resume_results_keep_keys_they_do_not_know(results: dict[str, Any]) -> None:
    urls = results["PresignedUrls"]
    later = type(urls)({**urls.to_dict(), "newer.bin": {"url": "https://x/y"}}, expires_at=urls.expires_at)
    assert later["newer.bin"] == {"url": "https://x/y"} and later.expires_at == urls.expires_at
    outcome = results["ResumeOutcome"]
    later_outcome = type(outcome)({**outcome.to_dict(), "added": 1}, errors=outcome.errors)
    assert later_outcome.added == 1 and later_outcome.rescued == outcome.rescued


def test_free_form_json_is_a_plain_dict_wherever_a_user_gets_it(results: dict[str, Any]) -> None:
    config = results["VariationRecord"].config_json

    def train(**kwargs: Any) -> dict[str, Any]:
        return kwargs

    assert type(config) is dict and config.get("lr") == 0.01 and dict(config) == config
    assert json.loads(json.dumps(config)) == config and train(**config) == config
    assert type(results["ExperimentRecord"].launch_config) is dict
    assert results["ExperimentRecord"].launch_config["nodes"] == {"n": 2}
    assert type(results["AssetRecord"].asset_config) is dict
    assert type(results["DownloadedCheckpoint"].config) is dict
    snapshot = results["environment snapshot"]
    assert type(snapshot) is dict and type(snapshot["packages"]) is dict and snapshot["packages"]["torch"] == "2"


def test_a_delete_summary_indexes_and_lists(results: dict[str, Any]) -> None:
    deleted = results["AssetDeleted"]
    assert deleted["id"] == deleted.id and deleted["deleted"] is True and list(deleted) == ["id", "deleted"]
    summary = results["DeleteSummary"]
    assert summary["id"] and set(list(summary)) >= {"id", "deleted"}
