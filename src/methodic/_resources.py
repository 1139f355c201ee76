"""What handles hold: the namespaces they call and the client's one transfer front door, built from parts.

``Chronicle`` wires these once: a :class:`DefaultOrganization`, a :class:`Transfers` (the lazy front door to
the one ``TransferManager``, built from the asset calls alone) and :class:`Resources` (the namespaces the
handles use). None of them holds the ``Chronicle``, and the transfer manager holds nothing above the asset
calls, so the references only point down: client -> resources -> namespaces -> transfers -> asset calls.
Everything is built on first use, so ``import methodic`` and ``Chronicle(...)`` stay cheap.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING

import httpx

from methodic._constants import LOGGER_NAME
from methodic._scope import PERSONAL, OrganizationArg
from methodic._transport import Transport
from methodic.errors import ChronicleConfigError, ClientClosedError, UploadError
from methodic.transfer.config import TransferConfig

if TYPE_CHECKING:
    from methodic.handles import Experiment, Variation
    from methodic.namespaces.asset_calls import AssetCalls
    from methodic.namespaces.assets import AssetsNamespace
    from methodic.namespaces.experiments import ExperimentsNamespace
    from methodic.namespaces.reports import ReportsNamespace
    from methodic.namespaces.research_prompts import ResearchPromptsNamespace
    from methodic.namespaces.runs import RunsNamespace
    from methodic.namespaces.variations import VariationsNamespace
    from methodic.transfer.futures import OutputTarget
    from methodic.transfer.manager import TransferManager
    from methodic.transfer.session import UploadSession
    from methodic.types import ExperimentCreated, VariationRecord

logger = logging.getLogger(LOGGER_NAME)

CLOSED_MESSAGE = (
    "this Chronicle client is closed (close() was called or its `with` block ended); no more"
    " transfers can start: make a new client"
)


class DefaultOrganization:
    """The default organization of calls that take one; given by slug, it is looked up in ``me.scopes()`` once."""

    def __init__(self, transport: Transport, organization_id: OrganizationArg, organization_slug: str | None) -> None:
        if organization_slug is not None and organization_id not in (None, PERSONAL):
            raise ChronicleConfigError("pass organization_id or organization_slug, not both")
        self._transport = transport
        self._id: str | None = None if organization_id is PERSONAL else organization_id  # type: ignore[assignment]
        self._slug = organization_slug
        self._lock = threading.Lock()

    @property
    def slug(self) -> str | None:
        """The slug the default organization was given by, while it is not resolved yet."""
        return self._slug

    def get(self) -> str | None:
        """The organization id (None: personal), resolving a slug the first time (ChronicleConfigError: not yours)."""
        with self._lock:
            slug = self._slug
            if slug is None:
                return self._id
        from methodic.namespaces.me import MeNamespace

        scopes = MeNamespace(self._transport).scopes()  # outside the lock: a network call
        match = [s for s in scopes if s.slug == slug and s.kind == "organization"]
        if not match:
            known = ", ".join(str(s.slug) for s in scopes if s.kind == "organization") or "none"
            raise ChronicleConfigError(f"organization_slug {slug!r} is none of your organizations ({known})")
        with self._lock:
            if self._slug == slug:
                self._id, self._slug = match[0].id, None
            return self._id

    def set(self, value: OrganizationArg) -> None:
        """Make ``value`` the default (None or ``PERSONAL``: personal)."""
        with self._lock:
            self._id = None if value is PERSONAL else value  # type: ignore[assignment]
            self._slug = None


def asset_calls(transport: Transport, organization: DefaultOrganization, scribe_url: str | None) -> AssetCalls:
    """The client's asset calls (imported on first use: they pull in the generated endpoints)."""
    from methodic.namespaces.asset_calls import AssetCalls

    return AssetCalls(transport, organization.get, scribe_url=scribe_url)


class Transfers:
    """The one way into the transfer engine: one ``TransferManager``, built on first use from the asset calls.

    Building it costs ~20 ms (TLS setup of the storage client), so a client that never transfers never
    pays. A closed front door refuses to build one (ClientClosedError); a stopped one builds a fresh one.
    """

    def __init__(
        self,
        operations: Callable[[], AssetCalls],
        config: TransferConfig,
        *,
        storage_transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._make_operations = operations
        self._operations: AssetCalls | None = None
        self._config = config
        self._storage_transport = storage_transport
        self._manager: TransferManager | None = None
        self._closed = False
        self._lock = threading.Lock()

    @property
    def operations(self) -> AssetCalls:
        """The asset calls every transfer makes (one instance per client)."""
        with self._lock:
            if self._operations is None:
                self._operations = self._make_operations()
            return self._operations

    def manager(self) -> TransferManager:
        """The transfer manager, built now if none is running (ClientClosedError once closed)."""
        operations = self.operations
        with self._lock:
            if self._manager is None:
                if self._closed:
                    raise ClientClosedError(CLOSED_MESSAGE)
                from methodic.transfer.manager import TransferManager

                self._manager = TransferManager(operations, self._config, storage_transport=self._storage_transport)
            return self._manager

    def current(self) -> TransferManager | None:
        """The running transfer manager, or None while nothing was transferred (nothing to wait for)."""
        with self._lock:
            return self._manager

    def detach(self) -> TransferManager | None:
        """Take the running manager out, to stop it; a later transfer builds a fresh one."""
        with self._lock:
            manager, self._manager = self._manager, None
            return manager

    def close(self) -> TransferManager | None:
        """Refuse any new manager from now on; returns the running one (kept, so its sessions stay readable)."""
        with self._lock:
            self._closed = True
            return self._manager


class Resources:
    """The namespaces the handles call and the transfer front door: what a handle holds instead of the client."""

    def __init__(self, transport: Transport, organization: DefaultOrganization, transfer_door: Transfers) -> None:
        self._transport = transport
        self._organization = organization
        self._transfer_door = transfer_door

    @cached_property
    def experiments(self) -> ExperimentsNamespace[Experiment]:
        """Experiments (``create`` answers an ``Experiment`` handle)."""
        from methodic.namespaces.experiments import ExperimentsNamespace

        return ExperimentsNamespace(self._transport, self._created_experiment, self._organization.get)

    def _created_experiment(self, created: ExperimentCreated) -> Experiment:
        from methodic.handles import Experiment

        return Experiment(self, str(created.experiment_id), _create_response=created)

    @cached_property
    def variations(self) -> VariationsNamespace[Variation]:
        """Variations (``create`` answers a ``Variation`` handle)."""
        from methodic.namespaces.variations import VariationsNamespace

        return VariationsNamespace(self._transport, self._created_variation)

    def _created_variation(self, experiment_id: str, record: VariationRecord) -> Variation:
        from methodic.handles import Variation

        return Variation(self, experiment_id, record.variation, _data=record)

    @cached_property
    def runs(self) -> RunsNamespace:
        """Runs."""
        from methodic.namespaces.runs import RunsNamespace

        return RunsNamespace(self._transport, self.variations)

    @cached_property
    def assets(self) -> AssetsNamespace:
        """Assets: the asset calls the engine also uses, and the transfers."""
        from methodic.namespaces.assets import AssetsNamespace

        return AssetsNamespace(self._transfer_door.operations, self._transfer_door.manager)

    @cached_property
    def reports(self) -> ReportsNamespace:
        """Report settings."""
        from methodic.namespaces.reports import ReportsNamespace

        return ReportsNamespace(self._transport)

    @cached_property
    def research_prompts(self) -> ResearchPromptsNamespace:
        """Research prompts."""
        from methodic.namespaces.research_prompts import ResearchPromptsNamespace

        return ResearchPromptsNamespace(self._transport)

    @property
    def transfers(self) -> TransferManager:
        """The transfer manager (built on first use; ClientClosedError once the client closed)."""
        return self._transfer_door.manager()

    def upload_session(self, output_of: OutputTarget) -> UploadSession | None:
        """One run's upload session; None while this client never started a transfer (nothing to wait for)."""
        manager = self._transfer_door.current()
        return manager.session(output_of) if manager is not None else None

    def stop_uploads(self) -> None:
        """Stop every transfer of the client now (a second stop signal); what did not land stays in its tracker."""
        manager = self._transfer_door.detach()
        if manager is None:
            return
        try:
            manager.close(cancel=True, interrupt=True)
        except UploadError as exc:  # the uploads cut off here: expected, and already said by the caller
            logger.debug("stopping the transfers: %s", exc)
