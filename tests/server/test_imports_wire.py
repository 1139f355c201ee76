"""Imports over raw HTTP: imported reports belong to an organization, are unique there, and finalize as a batch."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from methodic_server import LocalChronicle
from tests.server.wire import Wire

PDF = b"%PDF-1.4 a report %%EOF"


@pytest.fixture(scope="module")
def server() -> Iterator[LocalChronicle]:
    with LocalChronicle(validate_contract=True, upload_route="gcs") as running:
        yield running
        assert running.contract_violations == []


def report(wire: Wire, data: bytes = PDF, **fields: Any) -> dict[str, Any]:
    body = {
        "name": "r",
        "asset_type": "imported_report",
        "presign": True,
        "components": ["report.pdf"],
        "content_type": "application/pdf",
        "asset_config": {"sha256": hashlib.sha256(data).hexdigest(), "size_bytes": len(data)},
        "organization_id": "org_local",
        **fields,
    }
    return dict(wire.ok("POST", "/v1/assets", body, status=201))


def test_imported_reports_are_an_organizations_never_public_and_never_twice(wire: Wire) -> None:
    data = uuid.uuid4().bytes + PDF
    first = report(wire, data)
    status, error = wire.error("POST", "/v1/assets", {**_body(data)})
    assert (status, error["code"], error["details"]["asset_id"]) == (409, "duplicate_import", first["asset"]["id"])
    assert wire.error("POST", "/v1/assets", {**_body(data), "organization_id": None})[0] == 400
    assert wire.error("POST", "/v1/assets", {**_body(uuid.uuid4().bytes), "visibility": "public"})[0] == 400


def _body(data: bytes) -> dict[str, Any]:
    return {
        "name": "r",
        "asset_type": "imported_report",
        "presign": True,
        "components": ["report.pdf"],
        "asset_config": {"sha256": hashlib.sha256(data).hexdigest()},
        "organization_id": "org_local",
    }


def test_bulk_finalize_checks_each_upload_and_lists_what_failed(wire: Wire) -> None:
    good_bytes, bad_bytes = uuid.uuid4().bytes + PDF, uuid.uuid4().bytes + PDF
    good, bad, missing = report(wire, good_bytes), report(wire, bad_bytes), report(wire, uuid.uuid4().bytes)
    httpx.put(good["upload_urls"][0]["url"], content=good_bytes).raise_for_status()
    httpx.put(bad["upload_urls"][0]["url"], content=b"other bytes").raise_for_status()  # not what was declared
    ids = [a["asset"]["id"] for a in (good, bad, missing)]

    answer = wire.ok("POST", "/v1/assets/bulk-finalize", {"asset_ids": ids, "import_source": "batch"})

    assert answer["finalized"] == [ids[0]] and answer["extraction_job_id"] is None
    assert [f["id"] for f in answer["failed"]] == ids[1:] and all(f["reason"] for f in answer["failed"])
    ready = wire.ok("GET", f"/v1/assets/{ids[0]}")
    assert ready["state"] == "ready" and ready["asset_config"]["import"]["import_source"] == "batch"
    assert ready["asset_config"]["extraction"]["status"] == "unavailable"
    assert [wire.ok("GET", f"/v1/assets/{i}")["state"] for i in ids[1:]] == ["pending", "pending"]

    status, error = wire.error("POST", "/v1/assets/bulk-finalize", {"asset_ids": ids[1:], "collections": ["c"]})
    assert status == 404 and "collection c not found" in error["message"]  # named collections must exist
    assert wire.error("POST", "/v1/assets/bulk-finalize", {"asset_ids": [str(uuid.uuid4())]})[0] == 404
    other = wire.ok("POST", "/v1/assets", {"asset_type": "table", "content": {}}, status=201)["asset"]["id"]
    assert wire.error("POST", "/v1/assets/bulk-finalize", {"asset_ids": [other]})[0] == 400
    assert wire.error("POST", "/v1/assets/bulk-finalize", {"asset_ids": []})[0] == 400


def test_bulk_finalize_needs_membership_of_the_reports_organization(server: LocalChronicle, wire: Wire) -> None:
    admin = Wire(server, server.mint_admin_key())
    try:
        elsewhere = report(admin, uuid.uuid4().bytes, organization_id="org_elsewhere")["asset"]["id"]
    finally:
        admin.close()
    status, error = wire.error("POST", "/v1/assets/bulk-finalize", {"asset_ids": [elsewhere]})
    assert (status, error["code"]) == (403, "forbidden")


def test_bulk_finalize_adds_each_ready_report_to_the_named_collections(wire: Wire) -> None:
    by_id = wire.ok("POST", "/v1/collections", {"name": "Imported 2026", "scope_id": "org_local"})
    by_slug = wire.ok("POST", "/v1/collections", {"name": "Turbulence Reviews", "scope_id": "org_local"})
    data = uuid.uuid4().bytes + PDF
    made = report(wire, data)
    httpx.put(made["upload_urls"][0]["url"], content=data).raise_for_status()
    body = {"asset_ids": [made["asset"]["id"]], "collections": [by_id["id"], "turbulence-reviews"]}
    answer = wire.ok("POST", "/v1/assets/bulk-finalize", body)
    assert answer["finalized"] == [made["asset"]["id"]] and answer["collection_warnings"] == []
    for collection in (by_id, by_slug):
        members = wire.ok("GET", f"/v1/collections/{collection['id']}/members")
        assert [m["asset_id"] for m in members["assets"]] == [made["asset"]["id"]]
