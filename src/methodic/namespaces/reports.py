"""``chronicle.reports``: how an experiment's reports are made (rendering them is not offered yet)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from methodic_api.api.experiments import update_report_settings
from methodic_api.models.report_settings_update import ReportSettingsUpdate

from methodic._models import Record
from methodic._operations import wraps_operation
from methodic.namespaces._base import Namespace


class ReportsNamespace(Namespace):
    """Report settings; ``render``/``get`` (LaTeX compiled by the hosted service) are not in this SDK yet."""

    @wraps_operation("update_report_settings")
    def update_settings(self, experiment_id: str, *, settings: Mapping[str, Any]) -> Record:
        """Replace the experiment's report settings (ConflictError once it is committed: they freeze then).

        ``settings`` per report kind, e.g. ``{"hypothesis": {"mode": "freeform", "freeform_prompt": "..."},
        "takeaways": {"mode": "template", "template_asset_id": "...", "per_variation": True}}``.
        """
        body = ReportSettingsUpdate.from_dict({"settings": dict(settings)})
        return self._call(update_report_settings.sync_detailed, Record, experiment_id=experiment_id, body=body)
