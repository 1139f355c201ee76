"""Imports through the SDK over real HTTP: PDFs into an organization's library, duplicates, the batch finalize."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from methodic import Chronicle, errors


def _pdf(path: Path, text: str) -> Path:
    path.write_bytes(b"%PDF-1.4\n" + text.encode() * 200 + b"\n%%EOF\n")
    return path


def test_a_folder_of_pdfs_imports_once_and_again_as_duplicates(client: Chronicle, tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    first, second = _pdf(folder / "a.pdf", "alpha"), _pdf(folder / "b.pdf", "beta")
    (folder / "notes.txt").write_text("not a report")

    summary = client.imports.research_reports(folder, organization_id="org_local", import_source="batch-1")

    assert summary.organization_id == "org_local" and summary.duplicates == [] and summary.failed == []
    assert sorted(r.name for r in summary.imported) == ["a", "b"] and summary.extraction_job_id is None
    for report, path in zip(sorted(summary.imported, key=lambda r: r.name), (first, second), strict=True):
        asset = client.assets.get(report.asset_id)
        assert asset.state == "ready" and asset.asset_type == "imported_report"
        assert asset.sha256 == report.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
        assert asset.asset_config["import"]["import_source"] == "batch-1"
        assert asset.asset_config["extraction"]["status"] == "unavailable"  # no extraction service here

    again = client.imports.research_reports([first, _pdf(tmp_path / "c.pdf", "gamma")], organization_id="org_local")
    assert again.duplicates == ["a.pdf"] and [r.name for r in again.imported] == ["c"]


def test_refusals_are_typed_and_lose_nothing(client: Chronicle, tmp_path: Path) -> None:
    with pytest.raises(errors.ChronicleConfigError):
        client.imports.research_reports(_pdf(tmp_path / "a.pdf", "x"))  # no organization
    with pytest.raises(ValueError, match="not a PDF"):
        client.imports.research_reports(tmp_path / "notes.txt", organization_id="org_local")
    summary = client.imports.research_reports(
        _pdf(tmp_path / "p.pdf", "y"), organization_id="org_local", finalize=False
    )
    pending = summary.imported[0].asset_id
    assert client.assets.get(pending).state == "pending"
    with pytest.raises(errors.NotFoundError):  # a collection that does not exist fails the call, before anything
        client.imports.bulk_finalize([pending], import_source="s", collections=["reading-list"])
    assert client.assets.get(pending).state == "pending"
    listed = client.collections.create("Reading list", scope_id="org_local")
    assert client.imports.bulk_finalize([pending], import_source="s", collections=["reading-list"])["failed"] == []
    assert client.assets.get(pending).state == "ready"
    assert [m["asset_id"] for m in client.collections.members(listed["id"]).assets] == [pending]
