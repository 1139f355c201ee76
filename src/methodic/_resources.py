"""What a handle needs from the client: the namespaces it calls and the transfer engine.

Handles (``Experiment``, ``Variation``, ``Run``) are sugar above the namespaces. They hold an object
of this shape (in practice the ``Chronicle`` that made them) instead of importing the client, so the
layers only point down.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from methodic.handles import Experiment, Variation
    from methodic.namespaces.assets import AssetsNamespace
    from methodic.namespaces.experiments import ExperimentsNamespace
    from methodic.namespaces.reports import ReportsNamespace
    from methodic.namespaces.research_prompts import ResearchPromptsNamespace
    from methodic.namespaces.runs import RunsNamespace
    from methodic.namespaces.variations import VariationsNamespace
    from methodic.transfer.manager import TransferManager
    from methodic.transfer.session import UploadSession
    from methodic.transfer.upload import OutputTarget


class Resources(Protocol):
    """The namespaces and the transfer manager, as ``Chronicle`` exposes them."""

    @property
    def experiments(self) -> ExperimentsNamespace[Experiment]:
        """Experiments."""

    @property
    def variations(self) -> VariationsNamespace[Variation]:
        """Variations."""

    @property
    def runs(self) -> RunsNamespace:
        """Runs."""

    @property
    def assets(self) -> AssetsNamespace:
        """Assets."""

    @property
    def reports(self) -> ReportsNamespace:
        """Report settings."""

    @property
    def research_prompts(self) -> ResearchPromptsNamespace:
        """Research prompts."""

    @property
    def transfers(self) -> TransferManager:
        """The transfer engine (built on first use)."""

    def upload_session(self, output_of: OutputTarget) -> UploadSession | None:
        """One run's upload session; None while this client never started a transfer (nothing to wait for)."""

    def stop_uploads(self) -> None:
        """Stop every transfer of the client now (a second stop signal); what did not land stays in its tracker."""
