"""(b) The same operations through our SDK and through the PUBLISHED client must send the same requests.

Both clients talk to a local Chronicle through a recording proxy (``_proxy.py``); every operation of
``_ops.OPS`` runs once per client, on identical fixtures made beforehand with our SDK straight against
the server. Per operation, the API requests must agree in method, path (ids normalised), query keys and
top-level body keys, and the storage requests in method and whether Authorization was sent.
"""

from __future__ import annotations

import hashlib
import json
import re
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from methodic import Chronicle
from methodic_server import LocalChronicle
from tests.hosted_wire._ops import CONFIG, OPS
from tests.hosted_wire._proxy import STORAGE_PREFIX, RecordingProxy
from tests.hosted_wire._venv import HostedClient

# Requests the published client sends that are not part of an operation's wire shape.
IGNORED = {
    # Scribe discovery before a read presign; a 404 keeps presigns on Chronicle (our SDK has no Scribe).
    ("GET", "/v1/public/client-config"),
}
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def make_context(c: Chronicle, server: LocalChronicle, proxy: RecordingProxy, work: Path) -> dict[str, Any]:
    """Fresh fixtures for every operation, made with our SDK directly against the server (not recorded)."""

    def exp(**kw: Any) -> str:
        return c.experiments.create(hypothesis_summary="h", config_yaml=CONFIG, **kw).id

    def committed_exp() -> str:
        eid = exp()
        c.experiments.commit(eid)
        return eid

    def variation(committed: bool = False, start: bool = False, **kw: Any) -> int:
        v = c.variations.create(ctx["exp_committed"], config_yaml=CONFIG, **kw).variation
        if committed:
            c.variations.commit(ctx["exp_committed"], v, commit_without_hypothesis=True)
        if start:
            c.runs.start(ctx["exp_committed"], v, 0)
        return int(v)

    def inline(**kw: Any) -> str:
        return c.assets.create_inline(asset_type="research_report", content={"n": 1}, **kw).id

    ctx: dict[str, Any] = {}
    ctx["exp_open"] = exp(title="Open one")
    ctx["exp_open_slug"] = c.experiments.get(ctx["exp_open"]).experiment.slug
    ctx["user_slug"] = next(s.slug for s in c.me.scopes() if s.kind == "user")
    ctx["exp_committed"] = committed_exp()
    c.variations.commit(ctx["exp_committed"], 0, commit_without_hypothesis=True)
    ctx["exp_to_commit"] = exp()
    ctx["exp_to_delete"] = exp()
    ctx["exp_to_conclude"] = committed_exp()
    ctx["exp_to_conclude2"] = committed_exp()
    ctx["exp_to_retract"] = committed_exp()
    ctx["tentative_parent"] = exp()
    ctx["tentative_child"] = exp(parent_experiment_ids=[ctx["tentative_parent"]])
    ctx["tentative_child2"] = exp(parent_experiment_ids=[ctx["tentative_parent"]])
    ctx["asset_ready"] = inline()
    ctx["asset_ready2"] = inline()
    ctx["asset_unlinked"] = inline()
    ctx["asset_review"] = inline(pending_reasons=["review_required"])
    ctx["asset_review2"] = inline(pending_reasons=["review_required"])
    ctx["var_open"] = variation()
    ctx["var_to_commit"] = variation(hypothesis="h")
    ctx["var_to_commit2"] = variation()
    ctx["var_to_retract"] = variation(committed=True)
    ctx["var_linked"] = variation()
    c.experiments.link_input(ctx["exp_committed"], ctx["asset_ready"], variation=ctx["var_linked"])
    ctx["run_pending"] = [ctx["exp_committed"], variation(committed=True)]
    ctx["run_pending2"] = [ctx["exp_committed"], variation(committed=True)]
    ctx["run_running"] = [ctx["exp_committed"], variation(committed=True, start=True)]
    ctx["run_running2"] = [ctx["exp_committed"], variation(committed=True, start=True)]
    ctx["run_uploading"] = [ctx["exp_committed"], variation(committed=True, start=True)]
    recorded = c.experiments.record_finding(
        ctx["exp_committed"], status="working", summary="s", evidence_variation=ctx["var_linked"]
    )
    ctx["finding"] = recorded.findings[0].id
    dataset = work / "dataset"
    (dataset / "shards").mkdir(parents=True)
    for name, data in {"shards/0.bin": b"0" * 3000, "shards/1.bin": b"1" * 2000, "meta.json": b"{}"}.items():
        (dataset / name).write_bytes(data)
    ctx["dataset_dir"] = str(dataset)
    (work / "field.npz").write_bytes(b"f" * 1500)
    ctx["dataset_file"] = str(work / "field.npz")
    ctx["dataset_ref"] = c.datasets.register_by_reference(
        "s3://bucket/ref", name="ref", metadata={"description": "d"}
    ).id
    (work / "imports").mkdir()
    for name in ("a.pdf", "b.pdf"):
        (work / "imports" / name).write_bytes(b"%PDF-1.4 " + name.encode() + b" %%EOF")
    ctx["import_dir"] = str(work / "imports")
    ctx["prompt"] = c.research_prompts.create("a research goal").id
    ctx["committed_parent"] = exp()
    ctx["tentative_child3"] = exp(parent_experiment_ids=[ctx["committed_parent"]])
    c.experiments.commit(ctx["committed_parent"])  # the child's link is now promotable
    ctx["report"] = c.reports.render(ctx["exp_committed"], "hypothesis", payload={"title": "t"}).id
    ctx["exp_to_move"] = exp()
    ctx["exp_to_move2"] = exp()
    ctx["asset_review3"] = inline(pending_reasons=["review_required"])
    for name in ("erratum", "erratum_to_detach"):
        ctx[name] = c.errata.create(experiment_id=ctx["exp_committed"], markdown="m").asset["id"]
    for name in ("api_key", "api_key2", "api_key3"):
        ctx[name] = c.api_keys.create(name).id
    ctx["asset_tagged"] = c.assets.create_inline(asset_type="research_report", content="parity notes").id
    ctx["exp_tagged"] = exp(title="Tagged one")
    ctx["tag"] = c.tags.create("parity-fixture").id
    ctx["tag_to_rename"] = c.tags.create("to-rename").id
    ctx["tag_to_delete"] = c.tags.create("to-delete").id
    ctx["tag_applied"] = c.tags.tag_asset(ctx["asset_tagged"], tag="applied").tag_id
    c.tags.tag_experiment(ctx["exp_tagged"], tag_id=ctx["tag_applied"])
    ctx["collection"] = c.collections.create("Parity fixture").id
    ctx["collection_full"] = c.collections.create("Parity full").id
    c.collections.add(ctx["collection_full"], asset_ids=[ctx["asset_tagged"]])
    paper = "@article{k, title={Neural Operators}, author={Doe, Jane}, year={2024}, doi={10.1234/%s}}"
    ctx["doi_known"] = "10.1234/known"
    ctx["publication"] = c.publications.register(bibtex=paper % "known").publication["id"]
    ctx["bibtex_new"] = paper % "new"
    ctx["bibtex_draft"] = paper % "draft"
    ctx["bibtex_final"] = paper % "final"
    ctx["publication_draft"] = c.publications.register(bibtex=paper % "draft2", draft=True).publication["id"]
    ctx["reasoning_error"] = c.reasoning_errors.report("one seed", experiment_id=ctx["exp_committed"]).id
    server.curate_failure_mode({"slug": "one-seed", "title": "One seed", "family": "evidence", "signal": True})
    server.curate_operational_check({"slug": "quota", "title": "Quota", "symptoms": ["stuck pending"]})
    ctx["feed_seq"] = c.feed.list(limit=1).results[0].seq
    ctx["activity_cursor"] = c.activity.list(limit=1).next_page_token
    ctx["lesson"] = c.experiments.record_lesson(ctx["exp_committed"], title="t", origin="manual", body_md="b").id
    ctx["lesson_to_retire"] = c.experiments.record_lesson(
        ctx["exp_committed"], title="t", origin="manual", body_md="b"
    ).id

    files = work / "files"
    (files / "b").mkdir(parents=True)
    for name, data in {"a.bin": b"a" * 5000, "b/c.bin": b"c" * 3000, "model.bin": b"m" * 4000}.items():
        (files / name).write_bytes(data)
    ready = c.assets.create_with_presigned(asset_type="checkpoint", components=["a.bin", "b/c.bin"])
    digests = {n: c.assets.upload_component(ready.upload_urls[n], files / n) for n in ("a.bin", "b/c.bin")}
    c.assets.finalize(ready.asset_id, components=digests)
    ctx["asset_files"] = ready.asset_id
    uploaded = c.assets.create_with_presigned(asset_type="model", components=["model.bin"])
    c.assets.upload_component(uploaded.upload_urls["model.bin"], files / "model.bin")
    ctx["asset_uploaded"] = uploaded.asset_id
    ctx["upload_sha256"] = hashlib.sha256((files / "model.bin").read_bytes()).hexdigest()
    to_upload = c.assets.create_with_presigned(asset_type="model", components=["model.bin"])
    # The URL the operation PUTs to must come through the proxy, like the URLs in recorded responses.
    ctx["upload_url"] = to_upload.upload_urls["model.bin"].replace(server.storage_url, proxy.url + STORAGE_PREFIX)
    ctx["upload_file"] = str(files / "model.bin")
    big = files / "weights.bin"
    big.write_bytes(b"w" * (3 * (1 << 20) + (1 << 19)))  # 3.5 MiB: four parts of the gateway's 1 MiB
    ctx["big_file"] = str(big)
    return ctx


def _mark(proxy: RecordingProxy, label: str) -> None:
    urllib.request.urlopen(f"{proxy.url}/__mark__/{urllib.parse.quote(label)}").close()


def normalise(entry: list[Any] | tuple[Any, ...], ctx: dict[str, Any]) -> tuple[Any, ...]:
    if entry[0] == "STORAGE":
        return tuple(entry)
    path = entry[1]
    for key, value in sorted(ctx.items(), key=lambda kv: -len(str(kv[1]))):
        if isinstance(value, str) and len(value) > 8:
            path = path.replace(value, "{" + key + "}")
    path = UUID.sub("{uuid}", path)
    body = entry[3] if isinstance(entry[3], str) else tuple(entry[3])
    return (entry[0], path, tuple(entry[2]), body)


class Side:
    def __init__(self, proxy: RecordingProxy, ctx: dict[str, Any], errors: dict[str, str | None]) -> None:
        self.ctx = ctx
        self.errors = errors
        self.requests = {
            name: sorted(
                (normalise(e, ctx) for e in proxy.records.get(name, []) if tuple(e[:2]) not in IGNORED),
                key=repr,
            )
            for name in errors
        }


@pytest.fixture(scope="module")
def recorded(hosted: HostedClient, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Side]]:
    sides: dict[str, Side] = {}
    for who in ("theirs", "ours"):
        work = tmp_path_factory.mktemp(who)
        # Parts of at most 1 MiB: a 3.5 MiB file goes through the gateway's multipart in both clients.
        with LocalChronicle(max_part_bytes=1 << 20) as server, RecordingProxy(server.url, server.storage_url) as proxy:
            with Chronicle(server.url, server.api_key) as direct:
                ctx = make_context(direct, server, proxy, work)
            errors: dict[str, str | None] = {}
            if who == "theirs":
                (work / "ctx.json").write_text(json.dumps(ctx))
                for line in hosted.run(
                    "_hosted_ops.py",
                    str(work / "ctx.json"),
                    str(work),
                    env={"CHRONICLE_SERVER_URL": proxy.url, "CHRONICLE_API_KEY": server.api_key},
                ):
                    errors[line["name"]] = line["error"]
            else:
                with Chronicle(proxy.url, server.api_key) as chronicle:
                    for op in OPS:
                        _mark(proxy, op.name)
                        try:
                            (op.ours or op.call)(chronicle, ctx, work)
                            errors[op.name] = None
                        except Exception as exc:
                            errors[op.name] = f"{type(exc).__name__}: {exc}"[:300]
                        _mark(proxy, "-")
            sides[who] = Side(proxy, ctx, errors)
    yield sides


def _show(requests: list[tuple[Any, ...]]) -> str:
    if not requests:
        return "      (no request)"
    return "\n".join(
        f"      {r[0]} storage {r[1]}, Authorization {'sent' if r[2] else 'not sent'}, query={list(r[3])}, body={r[4]}"
        if r[0] == "STORAGE"
        else f"      {r[0]} {r[1]}  query={list(r[2])}  body={r[3] if isinstance(r[3], str) else list(r[3])}"
        for r in requests
    )


@pytest.mark.parametrize("name", [op.name for op in OPS])
def test_same_request_as_the_published_client(name: str, recorded: dict[str, Side]) -> None:
    theirs, ours = recorded["theirs"], recorded["ours"]
    assert name in theirs.errors, f"the hosted driver never ran {name} (harness error)"
    assert theirs.requests[name], f"the published client sent nothing for {name} ({theirs.errors[name]}): harness error"
    our_error = ours.errors[name]
    assert ours.requests[name] == theirs.requests[name], (
        f"{name}: our SDK sends a different request\n"
        f"    published client:\n{_show(theirs.requests[name])}\n"
        f"    ours{f' (raised {our_error})' if our_error else ''}:\n{_show(ours.requests[name])}"
    )


def test_a_big_file_goes_through_the_gateways_multipart_in_both_clients(recorded: dict[str, Side]) -> None:
    """The comparison above is only as good as what it compares: here, a real multipart on each side."""
    name = "run.upload_file (gateway multipart: start, part PUTs, complete, finalize)"
    for side in recorded.values():
        assert side.errors[name] is None, side.errors[name]
        storage = [r for r in side.requests[name] if r[0] == "STORAGE"]
        assert storage.count(("STORAGE", "POST", True, ("uploads",), ())) == 1
        assert storage.count(("STORAGE", "PUT", True, ("part_number", "upload_id"), ())) == 4
        assert storage.count(("STORAGE", "POST", True, ("upload_id",), ("parts",))) == 1
        api = [r for r in side.requests[name] if r[0] != "STORAGE"]
        assert [(r[0], r[3]) for r in api if r[1].endswith("/finalize")] == [("PUT", ("files",))]


def test_every_operation_succeeds_in_both_clients(recorded: dict[str, Side]) -> None:
    """Same requests are not enough: each operation must also work, for the published client and for ours.

    Those the local server cannot do (``unavailable``) must fail in both, with its 501.
    """
    unavailable = {op.name for op in OPS if op.unavailable}
    wrong = [
        f"{name}: {who} {'raised ' + str(side.errors[name]) if side.errors[name] else 'succeeded'}"
        for who, side in recorded.items()
        for name in side.errors
        if (side.errors[name] is not None) != (name in unavailable)
        or (name in unavailable and "501" not in str(side.errors[name]) and who == "ours")
    ]
    assert not wrong, "\n".join(wrong)
