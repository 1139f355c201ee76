"""One asset from many ranks and nodes: a collective registration, per-rank uploads, one ready asset.

Every rank of a process group passes its own local folder (on its own node). The ranks exchange their
component lists through the group (a name two ranks hold is refused on every rank before any byte
moves); rank 0 creates the asset with every component in one call and sends each rank the upload
URLs of its own files; each rank uploads its files on its own pool, recording them in its own
tracker (marked *shared*: the rest of the asset is elsewhere). Each rank vouches for its own
components once they are in storage (``verify_components``), so whichever rank (or, after a crash,
whichever node's ``methodic uploads resume``) finishes last finalizes, needing nobody else's
checksums. ``DistributedUpload.wait()`` is collective: every rank returns the same ready asset or
raises the same :class:`UploadError`, naming each failed component and its rank.

The group is anything with ``rank``, ``world_size``, ``all_gather`` and ``broadcast``:
:class:`TorchGroup` wraps ``torch.distributed`` (imported only when used).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, TypeVar

from methodic._constants import UPLOAD_TARGETS
from methodic.errors import ChronicleError, DuplicateComponentError, UploadError
from methodic.transfer import staging
from methodic.transfer.files import scan_directory
from methodic.transfer.ledger import Ledger, MemoryLedger
from methodic.transfer.upload import refuse_gateway_route

if TYPE_CHECKING:
    from methodic.transfer.progress import ProgressOption
    from methodic.transfer.tracker import UploadTracker
    from methodic.transfer.upload import AssetUpload, OutputTarget, Uploads
    from methodic.types import AssetRecord

T = TypeVar("T")

#: The key under ``asset_config`` that records which rank uploaded which components.
DISTRIBUTED_KEY = "distributed"


class ProcessGroup(Protocol):
    """The collective operations a distributed upload needs."""

    @property
    def rank(self) -> int:
        """The rank of the calling process in the group."""

    @property
    def world_size(self) -> int:
        """How many processes the group has."""

    def all_gather(self, value: Any) -> list[Any]:
        """Every rank's ``value``, in rank order, on every rank."""

    def broadcast(self, value: Any) -> Any:
        """Rank 0's ``value`` on every rank."""


class TorchGroup:
    """A ``torch.distributed`` process group (the default group when ``group`` is None)."""

    def __init__(self, group: Any = None) -> None:
        self._dist: Any = importlib.import_module("torch.distributed")
        if not self._dist.is_available() or not self._dist.is_initialized():
            raise ChronicleError("torch.distributed has no initialised process group")
        self._group = group

    @staticmethod
    def active(group: Any = None) -> TorchGroup | None:
        """The group when torch is loaded and a process group of more than one is initialised; else None."""
        import sys

        if "torch" not in sys.modules:
            return None
        dist = importlib.import_module("torch.distributed")
        if not dist.is_available() or not dist.is_initialized():
            return None
        made = TorchGroup(group)
        return made if made.world_size > 1 else None

    @property
    def rank(self) -> int:
        """The rank of the calling process in the group."""
        return int(self._dist.get_rank(self._group))

    @property
    def world_size(self) -> int:
        """How many processes the group has."""
        return int(self._dist.get_world_size(self._group))

    def all_gather(self, value: Any) -> list[Any]:
        """Every rank's ``value`` (pickled through the group), in rank order."""
        out: list[Any] = [None] * self.world_size
        self._dist.all_gather_object(out, value, group=self._group)
        return out

    def barrier(self) -> None:
        """Wait until every rank of the group got here."""
        self._dist.barrier(group=self._group)

    def broadcast(self, value: Any) -> Any:
        """The value of the group's first rank on every rank."""
        holder = [value]
        source = self._dist.get_global_rank(self._group, 0) if self._group is not None else 0
        self._dist.broadcast_object_list(holder, src=source, group=self._group)
        return holder[0]


class DistributedUpload:
    """One rank's share of a distributed asset upload; ``wait()`` is collective (every rank must call it)."""

    def __init__(self, local: AssetUpload | None, group: ProcessGroup, uploads: Uploads, asset_id: str) -> None:
        self.local = local  # None on a rank that adds no files of its own
        self.group = group
        self._uploads = uploads
        self.asset_id = asset_id
        self.components: tuple[str, ...] = local.components if local is not None else ()

    def __repr__(self) -> str:
        state = "done" if self.done() else "uploading"
        return (
            f"<DistributedUpload asset_id={self.asset_id!r} rank={self.group.rank}/{self.group.world_size}"
            f" components={len(self.components)} {state}>"
        )

    def done(self) -> bool:
        """Whether this rank's components finished (successfully or not)."""
        return self.local is None or self.local.done()

    def wait_done(self, timeout: float | None = None) -> bool:
        """Block until this rank's part is over (not collective)."""
        return self.local is None or self.local.wait_done(timeout)

    def wait(self) -> AssetRecord:
        """Every rank's part, then one finalize: the ready asset on every rank, or the same UploadError.

        Collective: every rank of the group must call it. Failures name the component and its rank.
        """
        failures: list[tuple[str, str]] = []
        try:
            if self.local is not None:
                self.local.wait()
        except UploadError as exc:
            failures = [(component, f"{type(error).__name__}: {error}") for _, component, error in exc.failures]
        gathered = self.group.all_gather(failures)
        everywhere = [
            (self.asset_id, f"rank {rank}: {component}", ChronicleError(message))
            for rank, theirs in enumerate(gathered)
            for component, message in theirs
        ]
        if everywhere:
            raise UploadError(everywhere)
        outcome: tuple[str, Any] = ("", None)
        record: AssetRecord | None = None
        if self.group.rank == 0:
            try:
                record = self._uploads._retrying(lambda: self._uploads.operations.finalize(self.asset_id))
                outcome = ("ok", None) if record.state == "ready" else ("pending", record.state)
            except Exception as exc:  # reported to every rank below
                outcome = ("error", f"{type(exc).__name__}: {exc}")
        kind, value = self.group.broadcast(outcome)
        if kind != "ok":
            detail = value if kind == "error" else f"the asset is still {value} after every rank finished"
            raise UploadError([(self.asset_id, "<finalize>", ChronicleError(str(detail)))])
        if record is not None:  # rank 0 holds the finalized record; the others read it
            return record
        return self._uploads._retrying(lambda: self._uploads.operations.get(self.asset_id))


def upload_directory_collective(
    uploads: Uploads,
    local_dir: Path | str | None,
    *,
    group: ProcessGroup,
    asset_type: str,
    output_of: OutputTarget,
    tracker: UploadTracker | None = None,
    name: str | None = None,
    asset_config: Mapping[str, Any] | None = None,
    progress: ProgressOption = None,
) -> DistributedUpload:
    """Register every rank's folder as one asset and start this rank's uploads (collective: every rank calls it).

    A rank with nothing of its own to add (another process on its node writes the node's folder)
    passes ``local_dir=None``. Raises on every rank, before any byte moves, when a rank's folder
    cannot be scanned or two ranks hold a component of the same name.
    """
    folder = Path(local_dir) if local_dir is not None else None
    staged = None
    problem: str | None = None
    mine: list[tuple[str, int]] = []
    try:
        if folder is not None:
            staged = staging.stage(folder, scan_directory(folder))
            mine = [(c.name, c.size) for c in staged.components]
    except (OSError, ChronicleError, ValueError) as exc:
        problem = f"{type(exc).__name__}: {exc}"
    everyone: list[tuple[str | None, list[tuple[str, int]]]] = group.all_gather((problem, mine))
    try:
        _check_everyone(everyone)
        presigned = _create_on_rank_zero(
            uploads,
            group,
            everyone,
            asset_type=asset_type,
            output_of=output_of,
            name=name or (folder.name if folder is not None else asset_type),
            asset_config=asset_config,
        )
    except BaseException:
        if staged is not None:
            staging.remove(staged.directory)
        raise
    asset_id, urls, expires_at = presigned.asset_id, presigned.urls, presigned.expires_at
    ledger: Ledger = tracker if tracker is not None else MemoryLedger()
    registered: str | None = None
    try:
        if staged is None or folder is None:
            raise _NothingHere
        ledger.register_components(
            asset_id,
            asset_type,
            staged.components,
            experiment_id=output_of.experiment_id,
            variation=output_of.variation,
            run=output_of.run,
            upload_urls={c.name: urls[c.name] for c in staged.components},
            urls_expire_at=expires_at,
            local_dir=folder.resolve(),
            staging_dir=staged.directory,
            shared=True,
            route=presigned.via,
            max_part_bytes=presigned.max_part_bytes,
        )
    except _NothingHere:
        pass
    except Exception as exc:
        registered = f"{type(exc).__name__}: {exc}"
    # Every rank starts sending only if every rank recorded its part: none may be left waiting in wait().
    refused = [f"rank {rank}: {why}" for rank, why in enumerate(group.all_gather(registered)) if why]
    if refused:
        if staged is not None:
            staging.remove(staged.directory)
        raise ChronicleError(f"asset {asset_id} was not uploaded: " + "; ".join(refused))
    if staged is None:
        return DistributedUpload(None, group, uploads, asset_id)
    local = uploads._dispatch(asset_id, ledger, progress, output_of)
    return DistributedUpload(local, group, uploads, asset_id)


class _NothingHere(Exception):
    """The calling rank adds no files of its own to the asset."""


def _check_everyone(everyone: list[tuple[str | None, list[tuple[str, int]]]]) -> None:
    """The same verdict on every rank: a rank that could not scan, or a name held twice, stops them all."""
    problems = [f"rank {rank}: {problem}" for rank, (problem, _) in enumerate(everyone) if problem]
    if problems:
        raise ChronicleError("the distributed upload was not started: " + "; ".join(problems))
    holders: dict[str, list[int]] = {}
    for rank, (_, components) in enumerate(everyone):
        for component, _size in components:
            holders.setdefault(component, []).append(rank)
    clashes = {c: ranks for c, ranks in holders.items() if len(ranks) > 1}
    if clashes:
        shown = ", ".join(f"{c!r} on ranks {ranks}" for c, ranks in sorted(clashes.items())[:10])
        raise DuplicateComponentError(f"two ranks hold a component of the same name: {shown}")
    if not holders:
        raise ChronicleError("the distributed upload was not started: no rank has any file")


def _create_on_rank_zero(
    uploads: Uploads,
    group: ProcessGroup,
    everyone: list[tuple[str | None, list[tuple[str, int]]]],
    *,
    asset_type: str,
    output_of: OutputTarget,
    name: str,
    asset_config: Mapping[str, Any] | None,
) -> _Created:
    """Rank 0 creates the asset with every rank's components; every rank gets the id, the URLs and the route."""
    outcome: tuple[str, Any]
    if group.rank == 0:
        try:
            ranks = {str(rank): [c for c, _ in components] for rank, (_, components) in enumerate(everyone)}
            config = {**dict(asset_config or {}), DISTRIBUTED_KEY: {"world_size": group.world_size, "ranks": ranks}}
            presigned = uploads.operations.create_with_presigned(
                asset_type=asset_type,
                components=[c for _, components in everyone for c, _ in components],
                name=name,
                output_of=output_of.as_dict(),
                asset_config=config,
                upload_targets=list(UPLOAD_TARGETS),
            )
            refuse_gateway_route(presigned)
            outcome = (
                "ok",
                (
                    presigned.asset_id,
                    dict(presigned.upload_urls),
                    presigned.expires_at,
                    presigned.via,
                    presigned.max_part_bytes,
                ),
            )
        except Exception as exc:
            outcome = ("error", f"{type(exc).__name__}: {exc}")
    else:
        outcome = ("", None)
    kind, value = group.broadcast(outcome)
    if kind != "ok":
        raise ChronicleError(f"rank 0 could not create the asset: {value}")
    asset_id, urls, expires_at, via, max_part_bytes = value
    return _Created(str(asset_id), {str(k): str(v) for k, v in urls.items()}, expires_at, str(via), max_part_bytes)


class _Created(NamedTuple):
    """What rank 0's create gives every rank: the asset, its upload URLs, and the route the server chose."""

    asset_id: str
    urls: dict[str, str]
    expires_at: str | None
    via: str
    max_part_bytes: int | None


def components_of_rank(asset: AssetRecord, rank: int) -> list[str] | None:
    """The components ``rank`` uploaded, as recorded at creation (None for an asset not uploaded by ranks)."""
    recorded = (asset.asset_config or {}).get(DISTRIBUTED_KEY)
    if not isinstance(recorded, Mapping):
        return None
    names = (recorded.get("ranks") or {}).get(str(rank))
    return [str(n) for n in names] if isinstance(names, list) else []
