"""``chronicle.imports``: research-report PDFs into an organization's library, finalized as one batch."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from methodic_api.api.assets import bulk_finalize_assets
from methodic_api.models.bulk_finalize import BulkFinalize

from methodic._constants import LOGGER_NAME
from methodic._models import Record
from methodic._operations import wraps_operation
from methodic._scope import OrganizationArg, resolve_organization
from methodic._transport import Transport
from methodic.errors import ChronicleConfigError, ConflictError
from methodic.namespaces._base import Namespace
from methodic.namespaces.datasets import file_sha256

if TYPE_CHECKING:
    from methodic.namespaces.assets import AssetsNamespace

logger = logging.getLogger(LOGGER_NAME)

#: The component an imported report's PDF is stored as.
REPORT_COMPONENT = "report.pdf"
#: PDFs registered and uploaded at once.
_IMPORT_WORKERS = 4

PathArg = str | os.PathLike[str]


class ImportedReport(Record):
    """One imported PDF: its asset, its name (the file's stem), where it came from and its sha256."""

    __slots__ = ()
    asset_id: str
    name: str
    path: Path
    sha256: str


class ImportSummary(Record):
    """What became of an import batch; ``imported``, ``duplicates`` and ``failed`` add up to the PDFs given.

    ``duplicates`` are file names whose bytes the organization already had (nothing was uploaded again);
    ``failed`` pairs a file name with the reason. ``extraction_job_id`` is the server's text extraction
    job for the batch (None where the server has no extraction service, as the local one);
    ``collection_warnings`` the collections a report could not join.
    """

    __slots__ = ()
    organization_id: str
    imported: list[ImportedReport]
    duplicates: list[str]
    failed: list[tuple[str, str]]
    extraction_job_id: str | None
    collection_warnings: list[dict[str, Any]]


def _pdfs(paths: PathArg | Sequence[PathArg]) -> list[Path]:
    """The PDFs to import: folders give their ``*.pdf`` (not recursively); another named file is refused."""
    given = [paths] if isinstance(paths, str | os.PathLike) else list(paths)
    found: list[Path] = []
    for item in given:
        path = Path(item)
        if path.is_dir():
            found.extend(sorted(path.glob("*.pdf")))
        elif path.suffix.lower() == ".pdf":
            found.append(path)
        else:
            raise ValueError(f"{path} is not a PDF (imports take PDFs only)")
    if not found:
        raise ValueError("no PDF files found in the given paths")
    return found


def _collections(collection: str | None, collections: Sequence[str] | str | None) -> list[str]:
    listed = [collection] if collection else []
    for item in [collections] if isinstance(collections, str) else list(collections or []):
        if item and item not in listed:
            listed.append(item)
    return listed


class ImportsNamespace(Namespace):
    """Imports into an organization's library; never personal (the server refuses them)."""

    def __init__(
        self, transport: Transport, assets: AssetsNamespace, default_organization: Callable[[], str | None]
    ) -> None:
        super().__init__(transport)
        self._assets = assets
        self._default_organization = default_organization

    def research_reports(
        self,
        paths: PathArg | Sequence[PathArg],
        *,
        organization_id: OrganizationArg = None,
        team_id: str | None = None,
        visibility: str | None = None,
        import_source: str | None = None,
        collection: str | None = None,
        collections: Sequence[str] | str | None = None,
        finalize: bool = True,
    ) -> ImportSummary:
        """Import research-report PDFs (files, or folders of them) into ``organization_id`` (else the default).

        Each PDF becomes an ``imported_report`` asset with its sha256 and size, uploaded by the transfer
        engine (several at once, each hashed, retried, checked at finalize); one ``bulk-finalize`` then
        makes the batch ready. A PDF the organization already has is a duplicate, not a failure, so
        running a batch again is safe. ``collection``/``collections`` (ids or slugs) are joined at
        finalize. ValueError for a non-PDF file; ChronicleConfigError without an organization.
        """
        owner = resolve_organization(organization_id, self._default_organization)
        if owner is None:
            raise ChronicleConfigError(
                "imports.research_reports needs an organization: pass organization_id= or set a default"
                " organization (CHRONICLE_ORGANIZATION_ID)"
            )
        pdfs = _pdfs(paths)
        source = import_source or datetime.now(timezone.utc).strftime("sdk_import_%Y%m%dT%H%M%SZ")
        imported: list[ImportedReport] = []
        duplicates: list[str] = []
        failed: list[tuple[str, str]] = []
        finalized: dict[str, Any] = {"extraction_job_id": None, "collection_warnings": []}

        def one(path: Path) -> ImportedReport:
            sha256, size = file_sha256(path)
            presigned = self._assets.create_with_presigned(
                asset_type="imported_report",
                components=[REPORT_COMPONENT],
                name=path.stem,
                content_type="application/pdf",
                asset_config={
                    "sha256": sha256,
                    "size_bytes": size,
                    "source_filename": path.name,
                    "import": {"import_source": source},
                },
                organization_id=owner,
                team_id=team_id,
                visibility=visibility,
            )
            url = presigned.upload_urls.get(REPORT_COMPONENT)
            if url:
                self._assets.upload_component(url, path, "application/pdf")
            return ImportedReport(asset_id=presigned.asset_id, name=path.stem, path=path, sha256=sha256)

        with ThreadPoolExecutor(max_workers=min(_IMPORT_WORKERS, len(pdfs))) as pool:
            futures = [(path, pool.submit(one, path)) for path in pdfs]
            for path, future in futures:
                try:
                    imported.append(future.result())
                except ConflictError:
                    duplicates.append(path.name)
                except Exception as exc:  # the batch goes on; each failure is reported in the summary
                    logger.warning("import of %s failed: %s", path.name, exc)
                    failed.append((path.name, str(exc)))
        if finalize and imported:
            answer = self.bulk_finalize(
                [r.asset_id for r in imported],
                import_source=source,
                collections=_collections(collection, collections) or None,
            )
            finalized["extraction_job_id"] = answer.get("extraction_job_id")
            finalized["collection_warnings"] = list(answer.get("collection_warnings") or [])
            refused = {f.get("id"): f.get("reason", "finalize failed") for f in answer.get("failed") or []}
            failed.extend((r.path.name, str(refused[r.asset_id])) for r in imported if r.asset_id in refused)
            imported = [r for r in imported if r.asset_id not in refused]
        # the summary is a result, read-only like every other: built once everything is known
        return ImportSummary(
            organization_id=owner, imported=imported, duplicates=duplicates, failed=failed, **finalized
        )

    @wraps_operation("bulk_finalize_assets")
    def bulk_finalize(
        self, asset_ids: Sequence[str], *, import_source: str | None = None, collections: Sequence[str] | None = None
    ) -> Record:
        """Finalize imported reports in one call: ``{failed: [{id, reason}], extraction_job_id, collection_warnings}``.

        A report whose upload does not check out stays pending and is listed in ``failed``; the rest
        become ready. The local server has no extraction service (``extraction_job_id`` is None) and no
        collections (naming some is a 501).
        """
        body: dict[str, Any] = {"asset_ids": list(asset_ids)}
        if import_source is not None:
            body["import_source"] = import_source
        if collections:
            body["collections"] = list(collections)
        return self._call(bulk_finalize_assets.sync_detailed, Record, body=BulkFinalize.from_dict(body))
