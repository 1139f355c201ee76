"""Full-text search over inline assets and experiments (SQLite FTS5, bm25 ranking)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from methodic_server.errors import ApiError
from methodic_server.store.documents import Documents, is_ascii_digits, parse_iso
from methodic_server.store.snippets import make_snippet
from methodic_server.store.tags import normalize


def _text_of(content: Any) -> str:
    """Every string inside a JSON value, for the search index."""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return "\n".join(_text_of(v) for v in content.values())
    if isinstance(content, list):
        return "\n".join(_text_of(v) for v in content)
    return "" if content is None else str(content)


def _title_of(asset: dict[str, Any]) -> str:
    # The hosted client names an unnamed inline asset after its type: that says nothing, so the content does.
    if asset.get("name") and asset["name"] != asset.get("asset_type"):
        return str(asset["name"])
    content = asset.get("content")
    if isinstance(content, str):
        for line in content.splitlines():
            if line.strip():
                return line.strip().lstrip("#").strip()[:120]
    if isinstance(content, dict):
        for key in ("title", "summary"):
            if isinstance(content.get(key), str):
                return str(content[key])[:120]
    return str(asset["asset_type"])


def _before(stamp: str, bound: str) -> bool:
    """Whether timestamp ``stamp`` is earlier than ``bound`` (both RFC 3339; 400 for an unparsable bound)."""
    try:
        return parse_iso(stamp) < parse_iso(bound)
    except ValueError as exc:
        raise ApiError(400, "validation_error", f"{bound!r} is not an RFC 3339 timestamp") from exc


class SearchIndex:
    """The ``search_docs`` table; ``enabled=False`` makes every query a 503, like a server without search."""

    def __init__(self, docs: Documents, *, enabled: bool) -> None:
        self.docs = docs
        self.enabled = enabled
        #: The names of the tags applied to an object (``(object_type, object_id)``); the store wires it.
        self.applied_tags: Callable[[str, str], list[str]] = lambda object_type, object_id: []

    def set_tags(self, document_id: str, names: list[str]) -> None:
        """Re-stamp the tag names a document carries (after a tagging, an untagging, a rename or a delete)."""
        self.docs.db.execute("UPDATE search_docs SET tags = ? WHERE document_id = ?", (json.dumps(names), document_id))

    def index_asset(self, asset: dict[str, Any]) -> None:
        """Index an inline asset's content (presigned assets have none)."""
        if asset["content"] is None:
            return
        self.docs.db.execute(
            "INSERT INTO search_docs VALUES (?, 'asset', ?, ?, ?, ?, ?)",
            (
                asset["id"],
                asset["asset_type"],
                asset["experiment_id"],
                json.dumps(list(dict.fromkeys([*asset["tags"], *self.applied_tags("asset", asset["id"])]))),
                _title_of(asset),
                _text_of(asset["content"]),
            ),
        )

    def index_experiment(self, exp: dict[str, Any]) -> None:
        """(Re-)index an experiment's title and prose."""
        self.remove(exp["id"])
        body = "\n".join(
            filter(None, [exp["hypothesis_summary"], exp["description"], exp["rationale"], exp["retraction_reason"]])
        )
        self.docs.db.execute(
            "INSERT INTO search_docs VALUES (?, 'experiment', NULL, ?, ?, ?, ?)",
            (exp["id"], exp["id"], json.dumps(self.applied_tags("experiment", exp["id"])), exp["title"], body),
        )

    def remove(self, document_id: str) -> None:
        """Drop a document from the index."""
        self.docs.db.execute("DELETE FROM search_docs WHERE document_id = ?", (document_id,))

    def query(
        self, body: dict[str, Any], *, boosted: set[str], allowed: set[str] | None, only_experiment: str | None = None
    ) -> dict[str, Any]:
        """Full-text search with bm25 ranking, one page; filters and ``allowed`` are hard, ``boosted`` lifts.

        ``boosted``: experiment ids whose documents rank higher (experiment_context's lineage), and asset ids
        that do (members of the collections associated with the context); ``allowed``: when given, only
        documents of these experiments (an experiment, or an output of one) and these assets are found;
        ``only_experiment``: a worker key's own experiment. ``page_token`` is the offset of the page.
        """
        if not self.enabled:
            raise ApiError(503, "search_unavailable", "search is not configured on this server")
        tokens = re.findall(r"\w+", body["query"])
        filters = body.get("filters") or {}
        asset_types = filters.get("asset_types") or []
        tags = {normalize(str(t)) for t in filters.get("tags") or []}
        size = int(body.get("page_size") or 20)
        token = body.get("page_token") or "0"
        if not isinstance(token, str) or not is_ascii_digits(token):
            raise ApiError(400, "validation_error", "page_token must be a next_page_token this server returned")
        offset = int(token)
        source_type = filters.get("source_type")
        if source_type not in (None, "asset", "experiment"):
            raise ApiError(400, "validation_error", 'filters.source_type must be "asset" or "experiment"')
        # owner and creation filters read the document's record; as_scope (a superadmin acting as an
        # organization) narrows to what that organization owns
        organizations = {o for o in (filters.get("organization_id"), body.get("as_scope")) if o is not None}
        team = filters.get("team_id")
        created_by = filters.get("created_by")
        after, before = filters.get("created_after"), filters.get("created_before")
        results: list[dict[str, Any]] = []
        if tokens:
            match = " OR ".join('"' + t.replace('"', "") + '"' for t in tokens)
            sql = (
                "SELECT document_id, document_type, asset_type, experiment_id, tags, title,"
                " body, bm25(search_docs) FROM search_docs"
                " WHERE search_docs MATCH ?"
            )
            params: list[Any] = [match]
            if asset_types:
                sql += f" AND asset_type IN ({','.join('?' * len(asset_types))})"
                params += list(asset_types)
            if source_type is not None:
                sql += " AND document_type = ?"
                params.append(source_type)
            with self.docs.lock:
                rows = self.docs.db.execute(sql + " ORDER BY bm25(search_docs) LIMIT 500", params).fetchall()
                for doc_id, doc_type, asset_type, exp_id, doc_tags, title, body_text, rank in rows:
                    if tags and not tags & {normalize(str(t)) for t in json.loads(doc_tags)}:
                        continue
                    if allowed is not None and exp_id not in allowed and doc_id not in allowed:
                        continue
                    if only_experiment is not None and exp_id != only_experiment:
                        continue
                    record = self.docs.get(doc_type, doc_id) or {}
                    stamp = str(record.get("created_at") or "")
                    if (
                        any(record.get("organization_id") != o for o in organizations)
                        or (team is not None and record.get("team_id") != team)
                        or (created_by is not None and record.get("created_by") != created_by)
                        or (after is not None and _before(stamp, after))
                        or (before is not None and not _before(stamp, before))
                    ):
                        continue
                    boost = (exp_id is not None and exp_id in boosted) or doc_id in boosted
                    score = -float(rank) + (1.0 if boost else 0.0)
                    results.append(
                        {
                            "document_id": doc_id,
                            "source_type": doc_type,
                            "relevance_score": round(score, 6),
                            "lineage_boost": boost,
                            "asset_type": asset_type,
                            "title": title,
                            "snippet": body_text,  # made readable below, for the returned page only
                            "experiment_ids": [exp_id] if exp_id else [],
                            "created_at": stamp or None,
                        }
                    )
        results.sort(key=lambda r: -float(r["relevance_score"]))
        page = results[offset : offset + size]
        for result in page:
            result["snippet"] = make_snippet(result["snippet"], result["title"], tokens)
        more = offset + size < len(results)
        return {
            "query": body["query"],
            "results": page,
            "total_size": len(results),
            "next_page_token": str(offset + size) if more else None,
        }
