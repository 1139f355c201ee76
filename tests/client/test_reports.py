"""Reports through the SDK over real HTTP: render through the experiment handle, read the source, no PDF here."""

from __future__ import annotations

import pytest

from methodic import Chronicle, errors
from tests.helpers import CONFIG


def test_render_read_and_ask_for_a_pdf(client: Chronicle) -> None:
    exp = client.experiments.create(hypothesis_summary="h", config_yaml=CONFIG)
    report = exp.reports.hypothesis.render(payload={"title": "Wider probe", "hypothesis": "wider is better"})
    assert report.mode == "template" and report.asset_type == "hypothesis_report"
    assert report.wait_for_compile(timeout=5).compile_status == "failed"  # finished: no compiler here
    assert "Wider probe" in report.download_source()
    assert "no LaTeX compiler" in (report.compile_log or "")
    with pytest.raises(errors.ReportNotCompiledError, match="compile_status is 'failed'") as refused:
        report.download_pdf()
    assert isinstance(refused.value, RuntimeError)  # what the published client raises
    again = client.reports.get(report.id)
    assert again.id == report.id and again.download_source() == report.download_source()
