"""Errata through the SDK over real HTTP: authored and imported (the PDF through the transfer engine, verified)."""

from __future__ import annotations

from pathlib import Path

import pytest

from methodic import Chronicle
from tests.helpers import CONFIG


def test_authored_and_imported_errata(client: Chronicle, tmp_path: Path) -> None:
    exp = client.experiments.create(hypothesis_summary="h", config_yaml=CONFIG)
    authored = client.errata.create(experiment_id=exp.id, markdown="The loss was logged twice.", name="double log")
    assert authored.asset is not None and authored.asset.state == "ready"
    from_bytes = client.errata.create(experiment_id=exp.id, variation=0, pdf=b"%PDF-1.4 fix")
    assert from_bytes.asset is not None and from_bytes.asset.state == "ready"
    paper = tmp_path / "fix.pdf"
    paper.write_bytes(b"%PDF-1.4 another fix")
    from_path = client.errata.create(asset_id=authored.asset.id, pdf=paper, name="fix.pdf")
    assert from_path.asset is not None and from_path.asset.state == "ready"
    assert [e.asset.id for e in client.errata.list(experiment_id=exp.id) if e.asset] == [authored.asset.id]
    assert [e.target for e in client.errata.list(experiment_id=exp.id, variation=0)] == [
        {"experiment_id": exp.id, "variation": 0}
    ]
    assert len(client.errata.list(asset_id=authored.asset.id)) == 1
    client.errata.delete(from_path.asset.id)
    assert client.errata.list(asset_id=authored.asset.id) == []


def test_a_target_and_one_kind_of_content_are_required_before_anything_is_sent(client: Chronicle) -> None:
    with pytest.raises(ValueError, match="name what the erratum corrects"):
        client.errata.create(markdown="x")
    with pytest.raises(ValueError, match="not both"):
        client.errata.create(experiment_id="e", asset_id="a", markdown="x")
    with pytest.raises(ValueError, match="not both"):
        client.errata.create(experiment_id="e", pdf=b"%PDF", markdown="x")
    with pytest.raises(ValueError, match="give the correction"):
        client.errata.create(experiment_id="e")
