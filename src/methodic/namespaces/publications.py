"""``chronicle.publications``: cited works, registered from a DOI, a BibTeX entry or an arXiv id."""

from __future__ import annotations

from methodic_api.api.assets import get_asset
from methodic_api.api.publications import finalize_publication, register_publication, search_publications
from methodic_api.models.publication_finalize import PublicationFinalize
from methodic_api.models.publication_register import PublicationRegister
from methodic_api.types import UNSET

from methodic._operations import wraps_operation
from methodic.namespaces._base import Namespace, opt
from methodic.types import AssetRecord, PublicationRegistration


class PublicationsNamespace(Namespace):
    """Publications are public, immutable ``publication`` assets (drafts excepted), linked as citations.

    Cite one with ``experiments.link_inputs(experiment_id, publication_id)``: citations stay linkable after
    commit, until the experiment concludes. Full-text search over them is ``search.query(...,
    filters={"asset_types": ["publication"]})``.
    """

    @wraps_operation("register_publication")
    def register(
        self,
        *,
        doi: str | None = None,
        bibtex: str | None = None,
        arxiv: str | None = None,
        draft: bool = False,
        confirm_create: bool = False,
    ) -> PublicationRegistration:
        """Register a work from exactly one of ``doi``, ``bibtex`` or ``arxiv`` (an id or URL).

        A known DOI (or arXiv id) gives the existing record (``.existing`` true). BibTeX without a DOI
        that matches registered titles gives ``.status == "needs_resolution"`` and ``.candidates``: cite
        one of them, or call again with ``confirm_create=True``. ``draft=True`` makes a private, mutable
        placeholder for unpublished work (DOI or BibTeX); :meth:`finalize` it later. ValueError unless
        exactly one source is given.
        """
        if sum(source is not None for source in (doi, bibtex, arxiv)) != 1:
            raise ValueError("pass exactly one of doi, bibtex or arxiv")
        body = PublicationRegister(
            doi=opt(doi),
            bibtex=opt(bibtex),
            arxiv=opt(arxiv),
            draft=True if draft else opt(None),
            confirm_create=True if confirm_create else opt(None),
        )
        return self._call(register_publication.sync_detailed, PublicationRegistration, body=body)

    @wraps_operation("search_publications")
    def search(self, q: str | None = None) -> list[AssetRecord]:
        """Registered publications (and your drafts) whose title contains ``q``, newest first."""
        return self._list(search_publications.sync_detailed, AssetRecord, q=opt(q or None))

    @wraps_operation("finalize_publication")
    def finalize(
        self, publication_id: str, *, doi: str | None = None, bibtex: str | None = None
    ) -> PublicationRegistration:
        """Promote your draft, in place, to a registered public record; its id (and every citation) stays.

        ValueError unless ``doi`` or ``bibtex`` is given; ConflictError for a publication already registered.
        """
        if doi is None and bibtex is None:
            raise ValueError("pass doi or bibtex")
        body = PublicationFinalize(doi=opt(doi), bibtex=opt(bibtex))
        return self._call(
            finalize_publication.sync_detailed, PublicationRegistration, publication_id=publication_id, body=body
        )

    def get(self, publication_id: str) -> AssetRecord:
        """A publication's record: it is an asset (``assets.get``)."""
        return self._call(get_asset.sync_detailed, AssetRecord, asset_id=publication_id, include_presigned=UNSET)
