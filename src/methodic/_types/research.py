"""The research record: search hits, findings, lessons, research prompts, errata and publications.

Import them from :mod:`methodic.types`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from methodic._models import Record, list_field
from methodic._types.assets import AssetRecord


# -- search ------------------------------------------------------------------------------------------
class SearchResult(Record):
    """One hit: ``document_id``, ``source_type``, ``relevance_score``, ``title``, ``snippet``, ..."""

    __slots__ = ()
    document_id: str
    source_type: str | None
    relevance_score: float | None
    lineage_boost: bool | None
    asset_type: str | None
    title: str | None
    snippet: str | None
    created_at: str | None

    @property
    def experiment_ids(self) -> list[str]:
        """The experiments the document belongs to."""
        return list_field(self, "experiment_ids")

    @property
    def score(self) -> float | None:
        """``relevance_score`` under a shorter name."""
        value = self.get("relevance_score", self.get("score"))
        return float(value) if isinstance(value, (int, float)) else None


class SearchResponse(Record):
    """One page of search results: ``.results``, ``.total_size`` and ``.next_page_token`` (None: the end)."""

    __slots__ = ()
    _nested: ClassVar[Mapping[str, type[Record]]] = {"results": SearchResult}
    total_size: int | None
    next_page_token: str | None

    @property
    def results(self) -> list[SearchResult]:
        """The hits of this page, best first."""
        return list_field(self, "results")


# -- findings and lessons ----------------------------------------------------------------------------
class Finding(Record):
    """One variation's "what is working" signal on the experiment's running summary."""

    __slots__ = ()
    id: str
    status: str | None
    summary: str | None
    evidence_variation: int | None
    evidence_run: int | None
    source_asset_id: str | None
    recorded_at: str | None
    recorded_by: str | None
    validation: dict[str, Any] | None
    dismissal: dict[str, Any] | None


class RunningSummary(Record):
    """``record_finding`` / ``dismiss_validation``: the experiment's findings, one per evidence variation."""

    __slots__ = ()
    _nested: ClassVar[Mapping[str, type[Record]]] = {"findings": Finding}
    version: int | None
    updated_at: str | None

    @property
    def findings(self) -> list[Finding]:
        """The findings, by evidence variation."""
        return list_field(self, "findings")


class Lesson(Record):
    """A research lesson: a corrected assumption (``inherited_from`` names the ancestor a listed one comes from)."""

    __slots__ = ()
    id: str
    experiment_id: str | None
    title: str | None
    origin: str | None
    category: str | None
    body: dict[str, Any] | None
    body_md: str | None
    variation: int | None
    evidence: dict[str, Any] | None
    status: str | None
    created_at: str | None
    updated_at: str | None
    retired_at: str | None
    retire_reason: str | None
    superseded_by: str | None
    inherited_from: str | None


class ScopeLessons(Record):
    """``lessons.list``: ``.lessons`` and ``.experiments`` (``{id, title}`` of each contributing experiment)."""

    __slots__ = ()
    _nested: ClassVar[Mapping[str, type[Record]]] = {"lessons": Lesson}

    @property
    def lessons(self) -> list[Lesson]:
        """The lessons, newest first."""
        return list_field(self, "lessons")

    @property
    def experiments(self) -> list[dict[str, Any]]:
        """The experiments the lessons come from, with their titles."""
        return list_field(self, "experiments")


class ResearchPrompt(Record):
    """A research prompt: a high-level, immutable research goal."""

    __slots__ = ()
    id: str
    prompt: str | None
    created_at: str | None
    created_by: str | None


class ResearchPromptLink(Record):
    """One of an experiment's prompts: ``.research_prompt`` and whether it is the primary one."""

    __slots__ = ()
    _nested: ClassVar[Mapping[str, type[Record]]] = {"research_prompt": ResearchPrompt}
    research_prompt: ResearchPrompt | None
    is_primary: bool | None


# -- corrections and publications --------------------------------------------------------------------
class Erratum(Record):
    """A correction: ``.asset`` (its ``errata_report``), ``.target`` (what it corrects), who and when."""

    __slots__ = ()
    _nested: ClassVar[Mapping[str, type[Record]]] = {"asset": AssetRecord}
    asset: AssetRecord | None
    target: dict[str, Any] | None
    created_by: str | None
    created_at: str | None


class PublicationRegistration(Record):
    """``register``: ``{publication, existing}``, or ``{status: "needs_resolution", parsed, candidates}``."""

    __slots__ = ()
    existing: bool | None
    status: str | None

    @property
    def publication(self) -> AssetRecord | None:
        """The registered (or found) publication; None when the server asks to choose among candidates."""
        value = self.get("publication")
        return AssetRecord(value) if isinstance(value, dict) else None

    @property
    def candidates(self) -> list[AssetRecord]:
        """Registered publications whose title matches BibTeX without a DOI: cite one, or register anew."""
        value = self.get("candidates")
        return [AssetRecord(item) for item in value if isinstance(item, dict)] if isinstance(value, list) else []
