"""The local server's state and rules, one module per entity, over one SQLite file.

:class:`Store` is the facade: it opens the file and wires the entity stores together, which reach
each other through it (a run's start creates a W&B asset, a variation's commit creates run 0, ...).
The state machines follow the seeds and the evidence: experiments open → committed → concluded with
a retraction flag; variations open → committed (run 0 is created pending); runs pending → running →
succeeded | failed_crash | failed_abandoned, with lost / failed_lost from the heartbeat watchdog;
assets pending → ready | abandoned, with deprecated / invalidated flags.
"""

from __future__ import annotations

from pathlib import Path

from methodic_server.store.access import Access
from methodic_server.store.api_keys import ApiKeys
from methodic_server.store.assets import Assets
from methodic_server.store.assist import Catalogs, ReasoningErrors, ReviewQueue
from methodic_server.store.collections import Collections
from methodic_server.store.datasets import Datasets
from methodic_server.store.documents import Documents, Transaction, now_iso
from methodic_server.store.errata import Errata
from methodic_server.store.events import Events
from methodic_server.store.experiments import Experiments
from methodic_server.store.feedback import Feedback
from methodic_server.store.imports import Imports
from methodic_server.store.keys import Keys
from methodic_server.store.links import Links
from methodic_server.store.ownership import Ownership
from methodic_server.store.prompts import ResearchPrompts
from methodic_server.store.publications import Publications
from methodic_server.store.reports import Reports
from methodic_server.store.research import Findings, Lessons
from methodic_server.store.runs import Runs
from methodic_server.store.search import SearchIndex
from methodic_server.store.tags import Tags
from methodic_server.store.variations import Variations


class Store:
    """All server state, persisted in one SQLite file, behind one lock."""

    def __init__(self, path: Path, *, heartbeat_timeout: float, lost_timeout: float, search: bool) -> None:
        self.path = path
        self.heartbeat_timeout = heartbeat_timeout
        self.lost_timeout = lost_timeout
        self.enforce_review_gates = False
        self.docs = Documents(path)
        self.lock = self.docs.lock
        self.keys = Keys(self.docs)
        self.search = SearchIndex(self.docs, enabled=search)
        self.events = Events(self)
        self.experiments = Experiments(self)
        self.variations = Variations(self)
        self.runs = Runs(self)
        self.assets = Assets(self)
        self.links = Links(self)
        self.findings = Findings(self)
        self.lessons = Lessons(self)
        self.publications = Publications(self)
        self.reasoning_errors = ReasoningErrors(self)
        self.catalogs = Catalogs(self)
        self.review_queue = ReviewQueue(self)
        self.feedback = Feedback(self)
        self.datasets = Datasets(self)
        self.imports = Imports(self)
        self.prompts = ResearchPrompts(self)
        self.api_keys = ApiKeys(self)
        self.errata = Errata(self)
        self.ownership = Ownership(self)
        self.access = Access(self)
        self.reports = Reports(self)
        self.tags = Tags(self)
        self.collections = Collections(self)
        self.search.applied_tags = self.tags.names_of

    def transaction(self) -> Transaction:
        """Serialise a unit of work and make it atomic."""
        return self.docs.transaction()

    def close(self) -> None:
        """Close the database."""
        self.docs.close()


__all__ = ["Store", "now_iso"]
