"""Publications: cited works as ready, immutable ``publication`` assets, and drafts that become them.

A registered publication is public and owned by the system; it is found again by its DOI (or its arXiv id
and version), so registering the same work twice gives the same record. A draft is the caller's private,
mutable placeholder for unpublished work, cited now and finalized in place once the work is out.

What the local server cannot do honestly, it refuses with 501 and says so: resolving a DOI needs Crossref
or doi.org and an arXiv id needs the arXiv API, and the local server calls neither. A DOI or arXiv id it
already holds is still found without them, and BibTeX (which carries the metadata itself) always works.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from methodic_server.errors import ApiError, bad_request, conflict, not_found
from methodic_server.store.assets import upgrade
from methodic_server.store.bibtex import parse_entry, plain
from methodic_server.store.documents import now_iso

if TYPE_CHECKING:
    from methodic_server.store import Store

_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)", re.IGNORECASE)
_ARXIV = re.compile(
    r"^(?:https?://arxiv\.org/(?:abs|pdf)/|arxiv:)?(?P<id>\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?P<v>v\d+)?(?:\.pdf)?$",
    re.IGNORECASE,
)


def normal_doi(doi: str) -> str:
    """A DOI as it is compared: without a resolver prefix, lower-case (DOIs are case-insensitive)."""
    return _DOI_PREFIX.sub("", doi.strip()).lower()


def _unresolvable(what: str, how: str) -> ApiError:
    return ApiError(
        501,
        "resolution_unavailable",
        f"resolving {what} needs {how}, which the local server does not call; register the work from its "
        "BibTeX instead (it carries the metadata itself)",
    )


def _metadata(entry: dict[str, str], bibtex: str) -> dict[str, Any]:
    """The bibliographic record kept as the publication's content."""
    title = plain(entry.get("title", ""))
    if not title:
        raise bad_request("bibtex: the entry has no title")
    authors = [plain(name) for name in re.split(r"\s+and\s+", entry.get("author", "")) if name.strip()]
    year = entry.get("year")
    eprint = _ARXIV.match(entry.get("eprint", "").strip())
    return {
        "title": title,
        "authors": authors,
        "year": int(year) if year and year.isdigit() and len(year) <= 4 else None,
        "venue": plain(entry.get("journal") or entry.get("booktitle") or "") or None,
        "doi": normal_doi(entry["doi"]) if entry.get("doi") else None,
        "arxiv_id": eprint.group("id") if eprint else None,
        "arxiv_version": eprint.group("v") if eprint else None,
        "entry_type": entry["entry_type"],
        "citation_key": entry["citation_key"],
        "bibtex": bibtex.strip(),
    }


class Publications:
    """Register, search and finalize publications; each is an asset of type ``publication``."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.docs = store.docs

    def _all(self) -> list[dict[str, Any]]:
        return [upgrade(a) for a in self.docs.all("asset", newest_first=True) if a["asset_type"] == "publication"]

    def _registered(self) -> list[dict[str, Any]]:
        return [a for a in self._all() if not (a.get("asset_config") or {}).get("draft")]

    def _by_doi(self, doi: str) -> dict[str, Any] | None:
        return next((a for a in self._registered() if (a["content"] or {}).get("doi") == doi), None)

    def register(self, body: dict[str, Any], created_by: str) -> tuple[int, dict[str, Any]]:
        """``{publication, existing}`` (201 when new), or ``{status: "needs_resolution", parsed, candidates}``."""
        given = [name for name in ("doi", "bibtex", "arxiv") if body.get(name) is not None]
        if len(given) != 1:
            raise bad_request("exactly one of doi, bibtex or arxiv is required")
        draft = bool(body.get("draft"))
        with self.docs.transaction():
            if body.get("arxiv") is not None:
                return self._register_arxiv(str(body["arxiv"]), draft)
            if body.get("doi") is not None:
                existing = None if draft else self._by_doi(normal_doi(str(body["doi"])))
                if existing is None:
                    raise _unresolvable(f"the DOI {body['doi']}", "Crossref or doi.org")
                return 200, {"publication": existing, "existing": True}
            metadata = _metadata(parse_entry(str(body["bibtex"])), str(body["bibtex"]))
            if not draft:
                existing = self._by_doi(metadata["doi"]) if metadata["doi"] else None
                if existing is not None:
                    return 200, {"publication": existing, "existing": True}
                if metadata["doi"] is None and not body.get("confirm_create"):
                    candidates = [a for a in self._registered() if _same_title(a, metadata["title"])]
                    if candidates:
                        return 200, {"status": "needs_resolution", "parsed": metadata, "candidates": candidates}
            return 201, {"publication": self._new(metadata, draft, created_by), "existing": False}

    def _register_arxiv(self, ref: str, draft: bool) -> tuple[int, dict[str, Any]]:
        if draft:
            raise bad_request("an arXiv paper is already public: register it, not a draft of it")
        found = _ARXIV.match(ref.strip())
        if found is None:
            raise bad_request(f"not an arXiv id or URL: {ref!r}")
        arxiv_id, version = found.group("id"), found.group("v")
        for asset in self._registered():
            content = asset["content"] or {}
            if content.get("arxiv_id") == arxiv_id and (version is None or content.get("arxiv_version") == version):
                return 200, {"publication": asset, "existing": True}
        raise _unresolvable(f"the arXiv id {arxiv_id}", "the arXiv API")

    def _new(self, metadata: dict[str, Any], draft: bool, created_by: str) -> dict[str, Any]:
        body = {
            "asset_type": "publication",
            "name": metadata["title"],
            "content": metadata,
            "asset_config": {"draft": draft},
            "visibility": "private" if draft else "public",
        }
        return self.store.assets.new(body, presign=False, created_by=created_by if draft else "system")

    def search(self, q: str | None, caller: str) -> list[dict[str, Any]]:
        """Registered publications (and the caller's own drafts) whose title holds ``q``, newest first."""
        needle = (q or "").casefold()
        with self.docs.lock:
            return [
                a
                for a in self._all()
                if (not (a.get("asset_config") or {}).get("draft") or a.get("created_by") == caller)
                and needle in str((a["content"] or {}).get("title", "")).casefold()
            ]

    def finalize(self, publication_id: str, body: dict[str, Any], caller: str) -> dict[str, Any]:
        """Promote a draft, in place (same id, so citations stay), to a registered public record."""
        if body.get("doi") is None and body.get("bibtex") is None:
            raise bad_request("one of doi or bibtex is required")
        with self.docs.transaction():
            asset = self.store.assets.get(publication_id)
            if asset["asset_type"] != "publication":
                raise not_found(f"publication {publication_id} not found")
            if not (asset.get("asset_config") or {}).get("draft"):
                raise conflict(f"publication {publication_id} is registered, and registered publications are immutable")
            if asset.get("created_by") != caller:
                raise ApiError(403, "forbidden", f"draft {publication_id} belongs to another user")
            if body.get("bibtex") is None:
                raise _unresolvable(f"the DOI {body['doi']}", "Crossref or doi.org")
            metadata = _metadata(parse_entry(str(body["bibtex"])), str(body["bibtex"]))
            if metadata["doi"] is not None and (twin := self._by_doi(metadata["doi"])) is not None:
                raise conflict(
                    f"the DOI {metadata['doi']} is already registered as {twin['id']}: cite that one",
                    code="publication_exists",
                    details={"publication_id": twin["id"]},
                )
            asset.update(
                name=metadata["title"],
                content=metadata,
                asset_config={"draft": False, "finalized_at": now_iso()},
                visibility="public",
                created_by="system",
            )
            self.docs.put("asset", publication_id, asset)
            self.store.search.remove(publication_id)
            self.store.search.index_asset(asset)
            return {"publication": upgrade(asset)}


def _same_title(asset: dict[str, Any], title: str) -> bool:
    def key(text: str) -> str:
        return re.sub(r"[^a-z0-9]+", " ", text.casefold()).strip()

    return key(str((asset["content"] or {}).get("title", ""))) == key(title)
