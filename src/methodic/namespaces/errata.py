"""``chronicle.errata``: corrections attached to an experiment, one of its variations, or an asset."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from methodic_api.api.errata import (
    create_erratum,
    delete_erratum,
    list_asset_errata,
    list_experiment_errata,
    list_variation_errata,
)
from methodic_api.models.erratum_create import ErratumCreate

from methodic._models import Record
from methodic._operations import wraps_operation
from methodic._transport import Transport
from methodic.namespaces._base import Namespace
from methodic.namespaces.assets import AssetsNamespace
from methodic.types import Erratum


def _target(experiment_id: str | None, variation: int | None, asset_id: str | None) -> dict[str, Any]:
    """An erratum's one target: an asset, or an experiment with an optional variation."""
    if asset_id is not None:
        if experiment_id is not None or variation is not None:
            raise ValueError("an erratum corrects an asset or an experiment (with a variation), not both")
        return {"asset_id": asset_id}
    if experiment_id is None:
        raise ValueError("name what the erratum corrects: experiment_id (optionally with variation) or asset_id")
    return {"experiment_id": experiment_id} | ({} if variation is None else {"variation": variation})


class ErrataNamespace(Namespace):
    """Create, list and detach errata; an imported PDF goes up through the transfer engine and is verified."""

    def __init__(self, transport: Transport, assets: Callable[[], AssetsNamespace]) -> None:
        super().__init__(transport)
        self._assets = assets

    @wraps_operation("create_erratum")
    def create(
        self,
        *,
        experiment_id: str | None = None,
        variation: int | None = None,
        asset_id: str | None = None,
        markdown: str | None = None,
        latex: str | None = None,
        pdf: str | Path | bytes | None = None,
        name: str | None = None,
    ) -> Erratum:
        """Attach a correction to its target: ``markdown`` or ``latex`` (authored), or a ``pdf`` (imported).

        An imported PDF (a path, or the bytes) is uploaded to the URL the server answers, hashed in the
        same pass, and the erratum is finalized with that hash, so the server checks what it stored.
        ValueError for no target, two targets, or not exactly one kind of content.
        """
        target = _target(experiment_id, variation, asset_id)
        if pdf is not None and (markdown is not None or latex is not None):
            raise ValueError("an erratum is a pdf (imported) or markdown/latex (authored), not both")
        if pdf is None and markdown is None and latex is None:
            raise ValueError("give the correction: markdown=, latex= or pdf=")
        payload: dict[str, Any] = {"target": target, "direction": "imported" if pdf is not None else "authored"}
        for field, value in (("markdown", markdown), ("latex", latex), ("name", name or None)):
            if value is not None:
                payload[field] = value
        answer = self._call(create_erratum.sync_detailed, Record, body=ErratumCreate.from_dict(payload))
        erratum = Erratum(answer.get("erratum") or {})
        if pdf is None:
            return erratum
        upload_url = answer.get("upload_url")
        if not isinstance(upload_url, str):
            raise ValueError("the server answered no upload_url for the imported erratum")
        assets, asset = self._assets(), erratum.get("asset") or {}
        with _as_file(pdf) as path:
            digest = assets.upload_component(upload_url, path, "application/pdf")
        component = str((asset.get("components") or [{}])[0].get("name") or asset.get("name"))
        return Erratum(erratum | {"asset": assets.finalize(asset["id"], {component: str(digest)})})

    def list(
        self, *, experiment_id: str | None = None, variation: int | None = None, asset_id: str | None = None
    ) -> list[Erratum]:
        """The errata correcting exactly that object, oldest first (a variation's are not its experiment's)."""
        target = _target(experiment_id, variation, asset_id)
        if "asset_id" in target:
            return self._list(list_asset_errata.sync_detailed, Erratum, asset_id=asset_id)
        if "variation" in target:
            endpoint = list_variation_errata.sync_detailed
            return self._list(endpoint, Erratum, experiment_id=experiment_id, variation=variation)
        return self._list(list_experiment_errata.sync_detailed, Erratum, experiment_id=experiment_id)

    @wraps_operation("delete_erratum")
    def delete(self, errata_asset_id: str) -> None:
        """Detach an erratum from its target (its asset stays)."""
        self._call(delete_erratum.sync_detailed, Record, errata_asset_id=errata_asset_id)


wraps_operation("list_asset_errata")(ErrataNamespace.list)
wraps_operation("list_experiment_errata")(ErrataNamespace.list)
wraps_operation("list_variation_errata")(ErrataNamespace.list)


@contextmanager
def _as_file(pdf: str | Path | bytes) -> Iterator[Path]:
    """A path for the PDF: the caller's own, or a private temporary copy of the bytes (removed after)."""
    if not isinstance(pdf, bytes):
        yield Path(pdf)
        return
    descriptor, name = tempfile.mkstemp(suffix=".pdf")  # 0600, in the user's temporary folder
    try:
        with os.fdopen(descriptor, "wb") as out:
            out.write(pdf)
        yield Path(name)
    finally:
        Path(name).unlink(missing_ok=True)
