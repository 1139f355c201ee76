"""Errata over raw HTTP: one target each, authored sources kept, imported PDFs uploaded and finalized, detach."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import httpx
import pytest

from methodic_server import LocalChronicle
from tests.server.wire import Wire


@pytest.fixture(scope="module")
def server() -> Iterator[LocalChronicle]:
    with LocalChronicle(validate_contract=True, upload_route="gcs") as running:
        yield running
        assert running.contract_violations == []


def test_authored_errata_attach_to_exactly_their_target(wire: Wire) -> None:
    exp = wire.committed()
    on_exp = wire.ok(
        "POST", "/v1/errata", {"target": {"experiment_id": exp}, "direction": "authored", "markdown": "# Fix"}
    )
    erratum = on_exp["erratum"]
    assert erratum["asset"]["asset_type"] == "errata_report" and erratum["asset"]["state"] == "ready"
    assert erratum["asset"]["content"] == "# Fix" and erratum["target"] == {"experiment_id": exp}
    assert erratum["asset"]["asset_config"]["compile_status"] == "not_configured"  # no compiler here, said so
    on_var = wire.ok(
        "POST", "/v1/errata", {"target": {"experiment_id": exp, "variation": 0}, "direction": "authored", "latex": "x"}
    )["erratum"]
    on_erratum = wire.ok(
        "POST", "/v1/errata", {"target": {"asset_id": erratum["asset"]["id"]}, "direction": "authored", "markdown": "y"}
    )["erratum"]
    assert [e["asset"]["id"] for e in wire.ok("GET", f"/v1/experiments/{exp}/errata")] == [erratum["asset"]["id"]]
    listed = wire.ok("GET", f"/v1/experiments/{exp}/variations/0/errata")
    assert [e["asset"]["id"] for e in listed] == [on_var["asset"]["id"]]
    on_asset = wire.ok("GET", f"/v1/assets/{erratum['asset']['id']}/errata")
    assert [e["asset"]["id"] for e in on_asset] == [on_erratum["asset"]["id"]]
    assert wire.ok("DELETE", f"/v1/errata/{on_var['asset']['id']}") == {
        "asset_id": on_var["asset"]["id"],
        "detached": True,
    }
    assert wire.ok("GET", f"/v1/experiments/{exp}/variations/0/errata") == []
    assert wire.error("DELETE", f"/v1/errata/{on_var['asset']['id']}")[0] == 404


def test_an_imported_pdf_goes_to_a_presigned_url_and_is_checked_at_finalize(wire: Wire) -> None:
    exp = wire.committed()
    answer = wire.ok(
        "POST", "/v1/errata", {"target": {"experiment_id": exp}, "direction": "imported", "name": "fix.pdf"}
    )
    asset = answer["erratum"]["asset"]
    assert asset["state"] == "pending" and asset["asset_config"]["extraction"] == "not_available"
    pdf = b"%PDF-1.4 correction"
    put = httpx.put(answer["upload_url"], content=pdf, headers={"Content-Type": "application/pdf"})  # no key
    assert put.status_code in (200, 201, 204), put.text
    wrong = {"files": [{"path": "fix.pdf", "sha256": "0" * 64}]}
    assert wire.error("PUT", f"/v1/assets/{asset['id']}/finalize", wrong)[0] == 409  # not what was stored
    ready = wire.ok(
        "PUT",
        f"/v1/assets/{asset['id']}/finalize",
        {"files": [{"path": "fix.pdf", "sha256": hashlib.sha256(pdf).hexdigest()}]},
    )
    assert ready["state"] == "ready"


@pytest.mark.parametrize(
    "body",
    [
        {"target": {}, "direction": "authored", "markdown": "x"},
        {"target": {"experiment_id": "E", "asset_id": "A"}, "direction": "authored", "markdown": "x"},
        {"target": {"experiment_id": "E"}, "direction": "authored"},
        {"target": {"experiment_id": "E"}, "direction": "authored", "markdown": "x", "latex": "y"},
        {"target": {"experiment_id": "E"}, "direction": "imported", "markdown": "x"},
        {"target": {"experiment_id": "E"}, "direction": "sideways", "markdown": "x"},
    ],
)
def test_bad_errata_are_refused(wire: Wire, body: dict[str, object]) -> None:
    exp = wire.committed()
    target = body["target"]
    assert isinstance(target, dict)
    body = body | {"target": {k: (exp if v == "E" else v) for k, v in target.items()}}
    assert wire.error("POST", "/v1/errata", body)[0] == 400


def test_unknown_targets_are_not_found(wire: Wire) -> None:
    exp = wire.committed()
    for target in ({"experiment_id": "nope"}, {"experiment_id": exp, "variation": 9}, {"asset_id": "nope"}):
        assert wire.error("POST", "/v1/errata", {"target": target, "direction": "authored", "markdown": "x"})[0] == 404
    assert wire.error("GET", "/v1/assets/nope/errata")[0] == 404
