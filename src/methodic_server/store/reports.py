"""Rendered reports: an experiment's hypothesis, takeaways or research report as LaTeX, kept as an asset.

How a kind is rendered comes from the experiment's report settings: ``template`` (the default) fills a
LaTeX template from a ``payload``, ``freeform`` takes the caller's ``tex_body``. The hosted service then
compiles the source with its TeX service; the local server has none, so every report ends
``compile_status: "failed"`` with a log saying why, and its source stays readable (``rendered_tex``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from methodic_server.errors import bad_request, not_found

if TYPE_CHECKING:
    from methodic_server.store import Store

KINDS = ("hypothesis", "takeaways", "research")
NO_COMPILER = "the local server has no LaTeX compiler (the hosted service compiles with its TeX service)"
_SPECIAL = re.compile(r"([\\{}$&#^_%~])")


def _tex(value: Any) -> str:
    """A payload value as LaTeX text: special characters escaped, a list as an itemize."""
    if isinstance(value, list):
        items = "\n".join(f"  \\item {_tex(item)}" for item in value)
        return f"\\begin{{itemize}}\n{items}\n\\end{{itemize}}"
    return _SPECIAL.sub(lambda m: "\\textbackslash{}" if m.group(1) == "\\" else "\\" + m.group(1), str(value))


def default_template(payload: dict[str, Any]) -> str:
    """The built-in template: a title, an abstract, then one section per other field, in the given order."""
    title = _tex(payload.get("title", "Report"))
    parts = ["\\documentclass{article}", f"\\title{{{title}}}", "\\begin{document}", "\\maketitle"]
    if "abstract" in payload:
        parts += ["\\begin{abstract}", _tex(payload["abstract"]), "\\end{abstract}"]
    for name, value in payload.items():
        if name not in ("title", "abstract"):
            parts += [f"\\section*{{{_tex(name.replace('_', ' ').capitalize())}}}", _tex(value)]
    return "\n".join([*parts, "\\end{document}"]) + "\n"


def _filled(template: str, payload: dict[str, Any]) -> str:
    """A template asset's LaTeX with each ``{{field}}`` replaced by the payload's value (unknown ones left)."""
    return re.sub(
        r"\{\{\s*(\w+)\s*\}\}", lambda m: _tex(payload[m.group(1)]) if m.group(1) in payload else m.group(0), template
    )


class Reports:
    """Render a kind of report for an experiment; read one back with its content."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.docs = store.docs

    def render(self, experiment_id: str, kind: str, body: dict[str, Any], created_by: str) -> dict[str, Any]:
        """A new ``<kind>_report`` output of the experiment, its source rendered as the settings say."""
        if kind not in KINDS:
            raise bad_request(f"kind must be one of {', '.join(KINDS)}")
        with self.docs.transaction():
            experiment = self.store.experiments.get(experiment_id)
            settings = (experiment.get("report_settings") or {}).get(kind) or {}
            mode = settings.get("mode", "template")
            template_id = body.get("template_asset_id") or settings.get("template_asset_id")
            if mode == "freeform":
                if not isinstance(body.get("tex_body"), str) or not body["tex_body"].strip():
                    raise bad_request(f"the {kind} report is freeform (report settings): send tex_body")
                rendered = body["tex_body"]
            else:
                payload = body.get("payload")
                if not isinstance(payload, dict):
                    raise bad_request(f"the {kind} report is rendered from a template: send payload")
                if template_id is not None:
                    template = self.store.assets.get(str(template_id))
                    if not isinstance(template.get("content"), str):
                        raise bad_request(f"template {template_id} has no LaTeX content")
                    rendered = _filled(template["content"], payload)
                else:
                    rendered = default_template(payload)
            config = {"kind": kind, "mode": mode, "template_asset_id": template_id, "compile_status": "failed"}
            content = {"rendered_tex": rendered, "compile_status": "failed", "compile_log": NO_COMPILER}
            asset = {
                "asset_type": f"{kind}_report",
                "name": f"{kind}_report",
                "content": content,
                "content_type": "application/json",
                "asset_config": config,
                "output_of": {"experiment_id": experiment_id},
            }
            return self.store.assets.new(asset, presign=False, created_by=created_by)

    def get(self, asset_id: str) -> dict[str, Any]:
        """The report asset and its content; 404 for an asset that is no rendered report."""
        asset = self.store.assets.get(asset_id)
        content = asset.get("content")
        if not isinstance(content, dict) or "rendered_tex" not in content:
            raise not_found(f"report {asset_id} not found")
        return {"asset": asset, "content": content}
