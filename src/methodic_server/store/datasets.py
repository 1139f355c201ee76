"""Datasets: assets of type ``dataset`` with a validated metadata document, registered by reference or uploaded.

There is no dataset table on the hosted service either: a dataset is an asset whose ``asset_config.metadata``
is the descriptive document. The server validates that document (so a catalog filter can rely on it),
projects the catalog columns from it (``n_dims``, ``precisions``, ``pde_family``, ``geometry``, ``license``,
``data_format``, ``num_samples``, ``size_bytes``) and filters and orders ``GET /v1/assets`` by them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from methodic_server.errors import ApiError, bad_request
from methodic_server.store.assets import upgrade
from methodic_server.store.documents import page_offset
from methodic_server.store.scopes import PERSONAL_SCOPE, owner_subject, require_member

if TYPE_CHECKING:
    from methodic_server.store import Store

DATASET = "dataset"
#: The floating-point precisions a dataset may declare.
PRECISIONS = frozenset({"fp16", "bf16", "fp32", "fp64"})
#: The orders the catalog listing takes (largest or newest first).
ORDERS = ("size_bytes", "created_at", "num_samples")
#: The catalog filters of ``GET /v1/assets`` (any of them present makes the listing a catalog query).
CATALOG_FILTERS = (
    "n_dims",
    "min_dims",
    "max_dims",
    "precision",
    "pde_family",
    "geometry",
    "license",
    "data_format",
    "min_size",
    "max_size",
    "order_by",
    "owner",
)
#: Where by-reference bytes may live unless the dataset is ``external``.
MANAGED_SCHEMES = ("gs://", "s3://")
#: Catalog filters that match a text column exactly (case-insensitively).
_TEXT_FILTERS = ("pde_family", "geometry", "license", "data_format")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://\S+")


def _count(doc: dict[str, Any], where: str, key: str) -> int | None:
    value = doc.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise bad_request(f"metadata.{where}{key} must be a non-negative integer")
    return value


def _section(metadata: dict[str, Any], key: str) -> dict[str, Any]:
    value = metadata.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise bad_request(f"metadata.{key} must be an object")
    return value


def validate_metadata(metadata: Any) -> dict[str, Any]:
    """The dataset metadata document, checked and normalised (400 ``validation_error`` naming the field).

    ``description`` is required; ``structural`` is derived where omitted (``n_dims`` from
    ``domain.spatial_dims``, ``variable_count`` from ``variables``); ``properties`` keys are lower-cased.
    """
    if not isinstance(metadata, dict):
        raise bad_request("metadata must be an object")
    doc = dict(metadata)
    description = doc.get("description")
    if not isinstance(description, str) or not description.strip():
        raise bad_request("metadata.description is required (a non-empty string)")
    for key in ("summary", "license", "data_format", "source_url", "doi"):
        if doc.get(key) is not None and not isinstance(doc[key], str):
            raise bad_request(f"metadata.{key} must be a string")
    version = doc.get("schema_version")  # the public dataset skill writes it as a number
    if version is not None and (isinstance(version, bool) or not isinstance(version, int | str)):
        raise bad_request("metadata.schema_version must be a number or a string")
    pde, domain = _section(doc, "pde"), _section(doc, "domain")
    for section, key in ((pde, "family"), (domain, "geometry")):
        if section.get(key) is not None and not isinstance(section[key], str):
            raise bad_request(f"metadata.{'pde' if section is pde else 'domain'}.{key} must be a string")
    spatial_dims = _count(domain, "domain.", "spatial_dims")
    variables = doc.get("variables")
    if variables is not None and not (isinstance(variables, list) and all(isinstance(v, dict) for v in variables)):
        raise bad_request("metadata.variables must be a list of objects")
    structural = dict(_section(doc, "structural"))
    for key in ("n_dims", "variable_count", "num_samples"):
        _count(structural, "structural.", key)
    precisions = structural.get("precisions")
    if precisions is not None:
        if isinstance(precisions, str):
            precisions = [precisions]
        if not isinstance(precisions, list) or not all(isinstance(p, str) for p in precisions):
            raise bad_request("metadata.structural.precisions must be a list of strings")
        unknown = sorted({p.lower() for p in precisions} - PRECISIONS)
        if unknown:
            raise bad_request(f"metadata.structural.precisions: unknown {unknown} (known: {sorted(PRECISIONS)})")
        structural["precisions"] = list(dict.fromkeys(p.lower() for p in precisions))
    if structural.get("n_dims") is None and spatial_dims is not None:
        structural["n_dims"] = spatial_dims
    if structural.get("variable_count") is None and variables is not None:
        structural["variable_count"] = len(variables)
    if structural:
        doc["structural"] = structural
    properties = doc.get("properties")
    if properties is not None:
        if not isinstance(properties, dict) or not all(isinstance(v, str) for v in properties.values()):
            raise bad_request("metadata.properties must map strings to strings")
        normalised: dict[str, str] = {}
        for key, value in properties.items():
            if "=" in key or "=" in value:
                raise bad_request(f"metadata.properties: '=' is reserved ({key!r})")
            normalised[key.lower()] = value
        doc["properties"] = normalised
    return doc


def catalog_columns(asset: dict[str, Any]) -> dict[str, Any]:
    """The catalog columns of a dataset, projected from its metadata and components."""
    metadata = (asset.get("asset_config") or {}).get("metadata") or {}
    structural = metadata.get("structural") or {}
    size = asset.get("size_bytes")
    if size is None and asset["components"] and all(c.get("size_bytes") is not None for c in asset["components"]):
        size = sum(c["size_bytes"] for c in asset["components"])
    return {
        "n_dims": structural.get("n_dims"),
        "precisions": list(structural.get("precisions") or []),
        "pde_family": (metadata.get("pde") or {}).get("family"),
        "geometry": (metadata.get("domain") or {}).get("geometry"),
        "license": metadata.get("license"),
        "data_format": metadata.get("data_format"),
        "num_samples": structural.get("num_samples"),
        "size_bytes": size,
    }


def _int_filter(query: dict[str, Any], key: str) -> int | None:
    raw = query.get(key)
    if raw is None:
        return None
    if not str(raw).isascii() or not str(raw).isdigit():
        raise bad_request(f"{key} must be a non-negative integer")
    return int(raw)


def _same(value: Any, wanted: str | None) -> bool:
    return wanted is None or (isinstance(value, str) and value.casefold() == wanted.casefold())


class Datasets:
    """The dataset layer over asset records: metadata updates, registration by reference, the catalog."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.docs = store.docs

    def check_create(self, body: dict[str, Any]) -> None:
        """A dataset created with a metadata document gets it validated and normalised (in the body)."""
        config = body.get("asset_config")
        if body.get("asset_type") != DATASET or not isinstance(config, dict) or config.get("metadata") is None:
            return
        body["asset_config"] = {**config, "metadata": validate_metadata(config["metadata"])}

    def register_by_reference(self, body: dict[str, Any], created_by: str) -> dict[str, Any]:
        """A dataset whose bytes already live at ``uri``: created ready, with no upload and no components."""
        uri = body.get("uri")
        if not isinstance(uri, str) or not _SCHEME.fullmatch(uri):
            raise bad_request("register_by_reference needs uri, an absolute scheme://... address")
        if not body.get("external") and not uri.startswith(MANAGED_SCHEMES):
            raise bad_request(f"uri must be gs:// or s3:// (pass external=true for bytes stored elsewhere): {uri!r}")
        if body.get("presign") or body.get("components") or body.get("content") is not None:
            raise bad_request("register_by_reference takes no presign, components or content: the bytes are at uri")
        if body.get("output_of"):
            raise bad_request("register_by_reference is for datasets owned by a scope, not run outputs")
        if body.get("asset_type") != DATASET:
            raise bad_request("register_by_reference registers datasets (asset_type dataset)")
        self.check_create(body)
        with self.docs.transaction():
            asset = self.store.assets.new({**body, "presign": False}, presign=False, created_by=created_by)
            asset.update(reference_uri=uri, external=bool(body.get("external")), size_bytes=body.get("size_bytes"))
            self.docs.put("asset", asset["id"], asset)
            return upgrade(asset)

    def update_metadata(self, asset_id: str, body: dict[str, Any], caller: str, key_kind: str) -> dict[str, Any]:
        """Replace the metadata document and/or the declared size; the content stays as it is."""
        if body.get("metadata") is None and body.get("size_bytes") is None:
            raise bad_request("give metadata, size_bytes or both")
        with self.docs.transaction():
            asset = self.store.assets.get(asset_id)
            self._require_write(asset, caller, key_kind)
            if body.get("metadata") is not None:
                metadata = body["metadata"]
                metadata = validate_metadata(metadata) if asset["asset_type"] == DATASET else dict(metadata)
                asset["asset_config"] = {**(asset.get("asset_config") or {}), "metadata": metadata}
            if body.get("size_bytes") is not None:
                asset["size_bytes"] = body["size_bytes"]
            self.docs.put("asset", asset_id, asset)
            if asset["state"] == "ready":
                self.store.search.index_asset(asset)  # the search projection follows the new metadata
            return upgrade(asset)

    @staticmethod
    def _require_write(asset: dict[str, Any], caller: str, key_kind: str) -> None:
        """403 unless the caller may write the asset: a member of its organization, or its personal owner."""
        if asset.get("organization_id") is not None:
            require_member(key_kind, asset["organization_id"], kind="organization")
            return
        if key_kind != "admin" and asset.get("created_by") not in (caller, None):
            raise ApiError(403, "forbidden", f"asset {asset['id']} belongs to another user")

    def catalog_page(
        self, query: dict[str, Any], base: dict[str, Any], cursor: str | None, limit: int
    ) -> tuple[list[dict[str, Any]], str | None]:
        """One page of the assets matching ``base`` (the plain filters) and the catalog filters of ``query``."""
        n_dims, lo_dims, hi_dims = (_int_filter(query, k) for k in ("n_dims", "min_dims", "max_dims"))
        lo_size, hi_size = _int_filter(query, "min_size"), _int_filter(query, "max_size")
        order_by = query.get("order_by")
        if order_by is not None and order_by not in ORDERS:
            raise bad_request(f"order_by must be one of {', '.join(ORDERS)}")
        owner = query.get("owner")
        if owner in ("me", "personal"):
            owner = str(PERSONAL_SCOPE["id"])
        precision = query.get("precision")
        rows: list[tuple[dict[str, Any], dict[str, Any]]] = []
        for asset in self.store.assets.list_all(base):  # one consistent read
            columns = catalog_columns(asset)
            dims, size = columns["n_dims"], columns["size_bytes"]
            if n_dims is not None and dims != n_dims:
                continue
            if (lo_dims is not None or hi_dims is not None) and dims is None:
                continue
            if (lo_dims is not None and dims < lo_dims) or (hi_dims is not None and dims > hi_dims):
                continue
            if (lo_size is not None or hi_size is not None) and size is None:
                continue
            if (lo_size is not None and size < lo_size) or (hi_size is not None and size > hi_size):
                continue
            if precision is not None and precision.lower() not in columns["precisions"]:
                continue
            if not all(_same(columns[k], query.get(k)) for k in _TEXT_FILTERS):
                continue
            if owner is not None and owner_subject(asset.get("organization_id")) != owner:
                continue
            rows.append((asset, columns))
        if order_by == "created_at" or order_by is None:
            items = [a for a, _ in rows]  # already newest first
        else:
            known = [r for r in rows if r[1][order_by] is not None]
            known.sort(key=lambda r: r[1][order_by], reverse=True)
            items = [a for a, _ in known] + [a for a, cols in rows if cols[order_by] is None]
        start = page_offset(cursor)
        more = start + limit < len(items)
        return items[start : start + limit], str(start + limit) if more else None
