"""Datasets over raw HTTP: the metadata document (validated, replaced, write-checked), by-reference, the catalog."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from methodic_server import LocalChronicle
from tests.helpers import module_server
from tests.server.wire import Wire

DOC = {"description": "Navier-Stokes vorticity.", "pde": {"family": "navier-stokes"}}


server = module_server()  # one contract-checked server for this module's tests


@pytest.fixture
def wire(server: LocalChronicle) -> Iterator[Wire]:
    client = Wire(server)
    yield client
    client.close()


def by_reference(wire: Wire, **fields: Any) -> dict[str, Any]:
    body = {
        "name": "ns",
        "asset_type": "dataset",
        "content_type": "application/x-hdf5",
        "uri": "s3://bucket/ns.h5",
        "register_by_reference": True,
        **fields,
    }
    return dict(wire.ok("POST", "/v1/assets", body, status=201)["asset"])


def test_by_reference_is_ready_at_once_with_its_uri_and_checked_address(wire: Wire) -> None:
    asset = by_reference(wire, asset_config={"metadata": DOC}, size_bytes=123, organization_id="org_local")
    assert (asset["state"], asset["uri"], asset["size_bytes"]) == ("ready", "s3://bucket/ns.h5", 123)
    assert asset["components"] == [] and asset["organization_id"] == "org_local"
    assert wire.ok("GET", f"/v1/assets/{asset['id']}")["uri"] == "s3://bucket/ns.h5"
    external = by_reference(wire, uri="hf://datasets/pdebench", external=True)
    assert external["uri"] == "hf://datasets/pdebench" and external["external"] is True

    refused = [
        {"uri": "hf://datasets/pdebench"},  # not managed storage, and not declared external
        {"uri": "no scheme"},
        {"asset_type": "checkpoint"},
        {"presign": True, "components": ["a"]},
        {"asset_config": {"metadata": {"pde": {}}}},  # no description
    ]
    for extra in refused:
        body = {"name": "x", "asset_type": "dataset", "uri": "gs://b/x", "register_by_reference": True, **extra}
        status, error = wire.error("POST", "/v1/assets", body)
        assert (status, error["code"]) == (400, "validation_error"), extra


def test_a_dataset_created_for_upload_has_its_metadata_checked_other_assets_do_not(wire: Wire) -> None:
    bad = {"metadata": {"description": "d", "structural": {"precisions": ["fp8"]}}}
    body = {"name": "d", "asset_type": "dataset", "presign": True, "components": ["a"], "asset_config": bad}
    assert wire.error("POST", "/v1/assets", body)[0] == 400
    other = wire.ok("POST", "/v1/assets", {**body, "asset_type": "table"}, status=201)
    assert other["asset"]["asset_config"] == bad


def test_metadata_patch_replaces_the_document_and_the_size_only(wire: Wire) -> None:
    asset = by_reference(wire, asset_config={"metadata": DOC})
    path = f"/v1/assets/{asset['id']}/metadata"
    doc = {**DOC, "variables": [{"name": "w"}, {"name": "u"}], "properties": {"Grid": "64x64"}}
    updated = wire.ok("PATCH", path, {"metadata": doc, "size_bytes": 4096})
    metadata = updated["asset_config"]["metadata"]
    assert metadata["structural"] == {"variable_count": 2} and metadata["properties"] == {"grid": "64x64"}
    assert (updated["size_bytes"], updated["uri"], updated["state"]) == (4096, asset["uri"], "ready")
    assert wire.ok("PATCH", path, {"size_bytes": 1})["asset_config"]["metadata"] == metadata  # size alone

    for body in (
        {},
        {"metadata": []},
        {"metadata": {"description": " "}},
        {"metadata": {**DOC, "structural": {"n_dims": -1}}},
        {"metadata": {**DOC, "structural": {"num_samples": True}}},
        {"metadata": {**DOC, "properties": {"a=b": "c"}}},
        {"metadata": {**DOC, "properties": {"a": 1}}},
        {"metadata": {**DOC, "pde": "heat"}},
        {"metadata": {**DOC, "license": 3}},
        {"metadata": {**DOC, "variables": "w"}},
    ):
        status, error = wire.error("PATCH", path, body)
        assert (status, error["code"]) == (400, "validation_error"), body
    assert wire.ok("GET", f"/v1/assets/{asset['id']}")["asset_config"]["metadata"] == metadata  # nothing lost


def test_metadata_patch_needs_write_on_the_asset(server: LocalChronicle, wire: Wire) -> None:
    assert wire.error("PATCH", f"/v1/assets/{uuid.uuid4()}/metadata", {"size_bytes": 1})[0] == 404
    # a registered publication belongs to the system, not to the caller
    paper = "@misc{k, title={Spectral Methods}, author={Doe, J.}, year={2020}, doi={10.1/spec}}"
    publication = wire.ok("POST", "/v1/publications/register", {"bibtex": paper})["publication"]
    status, error = wire.error("PATCH", f"/v1/assets/{publication['id']}/metadata", {"size_bytes": 1})
    assert (status, error["code"]) == (403, "forbidden")

    admin = Wire(server, server.mint_admin_key())
    try:
        elsewhere = by_reference(admin, organization_id="org_elsewhere")
        path = f"/v1/assets/{elsewhere['id']}/metadata"
        assert wire.error("PATCH", path, {"size_bytes": 1})[0] == 403  # not a member of that organization
        assert admin.ok("PATCH", path, {"size_bytes": 1})["size_bytes"] == 1
    finally:
        admin.close()

    exp_id = wire.committed()
    worker = Wire(server, server.mint_worker_key(exp_id, 0, 0))
    try:
        mine = by_reference(wire)
        assert worker.error("PATCH", f"/v1/assets/{mine['id']}/metadata", {"size_bytes": 1})[0] == 403
    finally:
        worker.close()


def test_catalog_filters_are_checked(wire: Wire) -> None:
    for query in ({"order_by": "name"}, {"n_dims": "two"}, {"min_size": "-1"}):
        status, _ = wire.error("GET", "/v1/assets", params={"asset_type": "dataset", **query})
        assert status == 400, query
    family = f"kdv-{uuid.uuid4().hex[:6]}"
    made = by_reference(wire, asset_config={"metadata": {**DOC, "pde": {"family": family}}})
    found = wire.ok("GET", "/v1/assets", params={"asset_type": "dataset", "pde_family": family.upper()})
    assert [a["id"] for a in found] == [made["id"]]
