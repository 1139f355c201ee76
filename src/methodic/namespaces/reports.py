"""``chronicle.reports``: an experiment's hypothesis, takeaways and research reports, and how they are made.

``render`` makes a report of a kind from a ``payload`` (template mode, the default) or a ``tex_body``
(freeform), as the experiment's report settings say; the platform compiles it to PDF where it has a TeX
service. A :class:`Report` reads its status, its source and, once compiled, its PDF.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from methodic_api.api.experiments import get_report, render_report, update_report_settings
from methodic_api.models.report_render import ReportRender
from methodic_api.models.report_settings_update import ReportSettingsUpdate

from methodic._models import Record
from methodic._operations import wraps_operation
from methodic.errors import ReportNotCompiledError
from methodic.namespaces._base import Namespace

#: Compile states that do not change any more.
FINISHED_COMPILES = ("compiled", "failed", "stale")


class Report:
    """One rendered report: its asset, and (once read with ``refresh``/``reports.get``) its content."""

    def __init__(self, api: ReportsNamespace, asset: Mapping[str, Any], content: Mapping[str, Any] | None = None):
        self._api = api
        self._asset = dict(asset)
        self._content = None if content is None else dict(content)

    def __repr__(self) -> str:
        return f"<Report {self.id} {self.asset_type} compile_status={self.compile_status!r}>"

    @property
    def id(self) -> str:
        """The report's asset id."""
        return str(self._asset.get("id"))

    @property
    def asset_type(self) -> str:
        """``hypothesis_report``, ``takeaways_report`` or ``research_report``."""
        return str(self._asset.get("asset_type"))

    @property
    def name(self) -> str:
        """The asset's name."""
        return str(self._asset.get("name"))

    @property
    def asset_config(self) -> dict[str, Any]:
        """The render's settings: ``kind``, ``mode``, ``template_asset_id``, ``compile_status``."""
        config = self._asset.get("asset_config")
        return dict(config) if isinstance(config, Mapping) else {}

    @property
    def compile_status(self) -> str:
        """``pending``, ``compiled``, ``failed`` or ``stale`` (the content's word first, once read)."""
        if self._content is not None and isinstance(self._content.get("compile_status"), str):
            return str(self._content["compile_status"])
        return str(self.asset_config.get("compile_status", "unknown"))

    @property
    def template_asset_id(self) -> str | None:
        """The template it was rendered from, if any."""
        value = self.asset_config.get("template_asset_id")
        return value if isinstance(value, str) else None

    @property
    def mode(self) -> str:
        """``template`` or ``freeform``."""
        return str(self.asset_config.get("mode", "unknown"))

    @property
    def compile_request_id(self) -> str | None:
        """The compile's request id, where the platform gives one."""
        value = self.asset_config.get("compile_request_id")
        return value if isinstance(value, str) else None

    @property
    def compile_log(self) -> str | None:
        """What the compiler said (None until the content was read)."""
        value = (self._content or {}).get("compile_log")
        return value if isinstance(value, str) else None

    def refresh(self) -> Report:
        """Read the report and its content again; returns self."""
        latest = self._api.get(self.id)
        self._asset, self._content = latest._asset, latest._content
        return self

    def wait_for_compile(self, *, timeout: float = 60.0, poll_interval: float = 1.0) -> Report:
        """Refresh until the compile finished (compiled, failed, stale) or ``timeout`` passed; returns self."""
        deadline = time.monotonic() + timeout
        while True:
            self.refresh()
            if self.compile_status in FINISHED_COMPILES or time.monotonic() >= deadline:
                return self
            time.sleep(min(poll_interval, max(0.0, deadline - time.monotonic())))

    def download_pdf(self, path: str | None = None) -> bytes:
        """The compiled PDF's bytes (also written to ``path`` when given); ReportNotCompiledError before that."""
        if self._content is None:
            self.refresh()
        if self.compile_status != "compiled":
            log = f": {self.compile_log}" if self.compile_log else ""
            raise ReportNotCompiledError(f"report {self.id} has no PDF: compile_status is {self.compile_status!r}{log}")
        encoded = (self._content or {}).get("pdf_b64")
        if not isinstance(encoded, str) or not encoded:
            raise ReportNotCompiledError(f"report {self.id} is compiled but the server sent no PDF")
        pdf = base64.b64decode(encoded)
        if path is not None:
            Path(path).write_bytes(pdf)
        return pdf

    def download_source(self) -> str:
        """The rendered LaTeX source."""
        if self._content is None:
            self.refresh()
        source = (self._content or {}).get("rendered_tex") or (self._content or {}).get("tex_body")
        if not isinstance(source, str):
            raise ReportNotCompiledError(f"report {self.id} has no LaTeX source in its content")
        return source


class ReportsNamespace(Namespace):
    """Render and read reports; set how an experiment's reports are made."""

    @wraps_operation("render_report")
    def render(
        self,
        experiment_id: str,
        kind: str,
        *,
        payload: Mapping[str, Any] | None = None,
        tex_body: str | None = None,
        template_asset_id: str | None = None,
    ) -> Report:
        """Render the experiment's ``kind`` report (``hypothesis``, ``takeaways``, ``research``).

        ``payload`` fills the template (template mode), ``tex_body`` is the LaTeX itself (freeform mode);
        which one is used is the experiment's report settings' choice.
        """
        fields: dict[str, Any] = {}
        if payload is not None:
            fields["payload"] = dict(payload)
        if tex_body is not None:
            fields["tex_body"] = tex_body
        if template_asset_id is not None:
            fields["template_asset_id"] = template_asset_id
        body = ReportRender.from_dict(fields)
        asset = self._call(render_report.sync_detailed, Record, experiment_id=experiment_id, kind=kind, body=body)
        return Report(self, asset)

    @wraps_operation("get_report")
    def get(self, asset_id: str) -> Report:
        """A report with its content (compile status and log, the LaTeX, the PDF once compiled)."""
        answer = self._call(get_report.sync_detailed, Record, asset_id=asset_id)
        content = answer.get("content")
        return Report(self, answer.get("asset") or {}, content if isinstance(content, Mapping) else None)

    @wraps_operation("update_report_settings")
    def update_settings(self, experiment_id: str, *, settings: Mapping[str, Any]) -> Record:
        """Replace the experiment's report settings (ConflictError once it is committed: they freeze then).

        ``settings`` per report kind, e.g. ``{"hypothesis": {"mode": "freeform", "freeform_prompt": "..."},
        "takeaways": {"mode": "template", "template_asset_id": "...", "per_variation": True}}``.
        """
        body = ReportSettingsUpdate.from_dict({"settings": dict(settings)})
        return self._call(update_report_settings.sync_detailed, Record, experiment_id=experiment_id, body=body)


class ReportKind:
    """``exp.reports.hypothesis`` (and ``.takeaways``, ``.research``): render without naming the experiment."""

    def __init__(self, api: ReportsNamespace, experiment_id: str, kind: str) -> None:
        self._api, self._experiment_id, self._kind = api, experiment_id, kind

    def render(
        self,
        *,
        payload: Mapping[str, Any] | None = None,
        tex_body: str | None = None,
        template_asset_id: str | None = None,
    ) -> Report:
        """Render this kind of report of the experiment (see ``reports.render``)."""
        return self._api.render(
            self._experiment_id, self._kind, payload=payload, tex_body=tex_body, template_asset_id=template_asset_id
        )


class ExperimentReports:
    """``exp.reports``: ``.hypothesis``, ``.takeaways`` and ``.research``."""

    def __init__(self, api: ReportsNamespace, experiment_id: str) -> None:
        self.hypothesis = ReportKind(api, experiment_id, "hypothesis")
        self.takeaways = ReportKind(api, experiment_id, "takeaways")
        self.research = ReportKind(api, experiment_id, "research")
