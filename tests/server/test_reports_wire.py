"""Rendered reports over raw HTTP: template and freeform modes from the report settings, and no pretend PDF."""

from __future__ import annotations

from tests.helpers import module_server
from tests.server.wire import Wire

server = module_server()  # one contract-checked server for this module's tests


def test_a_template_report_is_rendered_escaped_and_honestly_not_compiled(wire: Wire) -> None:
    exp = wire.experiment()["experiment_id"]
    payload = {"title": "Ripple & friends", "abstract": "50% faster", "plan": ["sweep", "measure"]}
    asset = wire.ok("POST", f"/v1/experiments/{exp}/reports/hypothesis/render", {"payload": payload}, status=201)
    assert asset["asset_type"] == "hypothesis_report" and asset["asset_config"]["mode"] == "template"
    report = wire.ok("GET", f"/v1/reports/{asset['id']}")
    tex = report["content"]["rendered_tex"]
    assert "\\title{Ripple \\& friends}" in tex and "50\\% faster" in tex and "\\item sweep" in tex
    assert report["content"]["compile_status"] == "failed" and "no LaTeX compiler" in report["content"]["compile_log"]
    assert "pdf_b64" not in report["content"]
    outputs = wire.ok("GET", f"/v1/experiments/{exp}/outputs")
    assert asset["id"] in [a["id"] for a in outputs]


def test_freeform_and_template_assets_follow_the_report_settings(wire: Wire) -> None:
    exp = wire.experiment()["experiment_id"]
    settings = {"takeaways": {"mode": "freeform"}}
    wire.ok("PUT", f"/v1/experiments/{exp}/report-settings", {"settings": settings})
    render = f"/v1/experiments/{exp}/reports/takeaways/render"
    assert wire.error("POST", render, {"payload": {"title": "t"}})[0] == 400  # freeform wants tex_body
    made = wire.ok("POST", render, {"tex_body": "\\section{Done}"})
    assert wire.ok("GET", f"/v1/reports/{made['id']}")["content"]["rendered_tex"] == "\\section{Done}"
    template = wire.ok("POST", "/v1/assets", {"asset_type": "report_template", "content": "T: {{title}} / {{missing}}"})
    research = f"/v1/experiments/{exp}/reports/research/render"
    body = {"payload": {"title": "a_b"}, "template_asset_id": template["asset"]["id"]}
    filled = wire.ok("POST", research, body)
    assert wire.ok("GET", f"/v1/reports/{filled['id']}")["content"]["rendered_tex"] == "T: a\\_b / {{missing}}"


def test_bad_renders_are_refused(wire: Wire) -> None:
    exp = wire.experiment()["experiment_id"]
    assert wire.error("POST", f"/v1/experiments/{exp}/reports/summary/render", {"payload": {}})[0] == 400
    assert wire.error("POST", f"/v1/experiments/{exp}/reports/hypothesis/render", {})[0] == 400
    assert wire.error("POST", "/v1/experiments/nope/reports/hypothesis/render", {"payload": {}})[0] == 404
    plain = wire.ok("POST", "/v1/assets", {"asset_type": "research_report", "content": {"n": 1}})["asset"]["id"]
    assert wire.error("GET", f"/v1/reports/{plain}")[0] == 404  # not a rendered report
