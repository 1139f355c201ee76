"""One asset from many ranks and nodes: a collective registration, per-rank uploads, one ready asset.

Every rank of a process group passes its own local folder (on its own node). Each rank stages its
files and hashes them (sha256, several files at once), then the ranks exchange their files' names,
sizes and digests through the group (a name two ranks hold is refused on every rank before any byte
moves); rank 0 creates the asset with every component in one call and sends each rank the upload URLs
of its own files; each rank uploads its files on its own pool, recording them in its own tracker
(marked *shared*: the rest of the asset is elsewhere) together with **every** rank's digests.

Where the digests live, and why: the hosted finalize takes the client's hashes (``files: [{path,
sha256}]``, checked against storage) and has no route for an uploader to vouch for part of an asset,
nor a place a pending asset's uploaders can publish to and read back. So the digests are exchanged
before any byte moves, while every rank is certainly alive, and each node's tracker keeps the whole
list. Whichever process finishes its part last finalizes with the complete list: the background job
of each rank tries once its own files are in (storage still missing another node's files answers
``components_missing``, and the asset stays pending), ``wait()`` has rank 0 finalize after every
rank reported, and after a crash each node's ``methodic uploads resume`` does the same from its own
tracker, so the last node to finish makes the asset ready, needing nothing from the others. The
price is one extra read of each file at the hand-over (hashed at about 2 GB/s per core, several
files at once); it also proves what was sent is what was handed over: an upload whose bytes hash
differently fails with :class:`~methodic.errors.FileChangedError`, even for a rewrite that kept the
file's size, mtime and inode (a file sent in parts has the same whole-file digest: see
:mod:`methodic.transfer.multipart`).

``DistributedUpload.wait()`` is collective: every rank returns the same ready asset or raises the
same :class:`UploadError`, naming each failed component and its rank. A rank's own early finalize
attempt is not a failure there (the hosted server's answer to a finalize before every file is in is not
known; ours says ``components_missing``): rank 0's finalize after every rank reported is the one that counts.

The group is anything with ``rank``, ``world_size``, ``all_gather`` and ``broadcast``:
:class:`TorchGroup` wraps ``torch.distributed`` (imported only when used).
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, TypeVar

from methodic._constants import UPLOAD_TARGETS
from methodic.errors import ChronicleError, DuplicateComponentError, TrackerError, UploadError
from methodic.transfer import claims, staging
from methodic.transfer.files import scan_directory, text_name
from methodic.transfer.futures import FINALIZE
from methodic.transfer.ledger import Ledger, MemoryLedger
from methodic.transfer.upload import refuse_gateway_route
from methodic.types import ComponentDigest

if TYPE_CHECKING:
    from methodic.transfer.files import ComponentSpec
    from methodic.transfer.futures import AssetUpload, OutputTarget
    from methodic.transfer.progress import ProgressOption
    from methodic.transfer.tracker import UploadTracker
    from methodic.transfer.upload import Uploads
    from methodic.types import AssetRecord

T = TypeVar("T")

#: The key under ``asset_config`` that records which rank uploaded which components.
DISTRIBUTED_KEY = "distributed"
#: Files of one rank hashed at once at the hand-over (hashlib releases the GIL while it hashes).
HASH_THREADS = 4
_HASH_BLOCK = 1 << 20

#: What each rank tells the others at registration: a problem, or its files as (name, size, sha256).
_Share = tuple[str | None, list[tuple[str, int, str]]]


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

    def __init__(
        self,
        local: AssetUpload | None,
        group: ProcessGroup,
        uploads: Uploads,
        asset_id: str,
        files: Mapping[str, ComponentDigest] | None = None,
        ledger: Ledger | None = None,
    ) -> None:
        self.local = local  # None on a rank that adds no files of its own
        self.group = group
        self._uploads = uploads
        self.asset_id = asset_id
        self.components: tuple[str, ...] = local.components if local is not None else ()
        #: Every rank's files with the digest each rank hashed at registration: what finalize sends.
        self.files: dict[str, ComponentDigest] = dict(files or {})
        self._ledger = ledger

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
        Rank 0 finalizes with every rank's files (usually the asset is ready already: the rank whose
        files landed last finalized it), and every rank's ledger records the asset as finalized.
        """
        failures: list[tuple[str, str]] = []
        try:
            if self.local is not None:
                self.local.wait()
        except UploadError as exc:
            # A rank's own early finalize was only an attempt (the other ranks' files may not have been in):
            # the one that counts is rank 0's below, made once every rank's files are in.
            failures = [
                (component, f"{type(error).__name__}: {error}")
                for _, component, error in exc.failures
                if component != FINALIZE
            ]
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
                record = self._uploads._retrying(
                    lambda: self._uploads.operations.finalize(self.asset_id, components=self.files)
                )
                outcome = ("ok", None) if record.state == "ready" else ("pending", record.state)
            except Exception as exc:  # reported to every rank below
                outcome = ("error", f"{type(exc).__name__}: {exc}")
        kind, value = self.group.broadcast(outcome)
        if kind != "ok":
            detail = value if kind == "error" else f"the asset is still {value} after every rank finished"
            raise UploadError([(self.asset_id, "<finalize>", ChronicleError(str(detail)))])
        if record is None:  # rank 0 holds the finalized record; the others read it
            record = self._uploads._retrying(lambda: self._uploads.operations.get(self.asset_id))
        if self.local is not None and self._ledger is not None:
            with contextlib.suppress(TrackerError):  # the asset is ready whatever the tracker says; resume learns it
                self._ledger.mark_finalized(self.asset_id)
        return record


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
    mine: list[tuple[str, int, str]] = []
    try:
        if folder is not None:
            staged = staging.stage(folder, scan_directory(folder), tracker=None if tracker is None else tracker.db_path)
            digests = hash_files(staged.components)
            mine = [(c.name, c.size, digests[c.name].sha256) for c in staged.components]
    except (OSError, ChronicleError, ValueError) as exc:
        problem = f"{type(exc).__name__}: {exc}"
    everyone: list[_Share] = group.all_gather((problem, mine))
    try:
        _check_everyone(everyone)
        presigned = _create_on_rank_zero(
            uploads,
            group,
            everyone,
            asset_type=asset_type,
            output_of=output_of,
            name=name or (text_name(folder.name) if folder is not None else asset_type),
            asset_config=asset_config,
        )
    except BaseException:
        if staged is not None:
            staging.remove(staged.directory)
        raise
    asset_id, urls, expires_at = presigned.asset_id, presigned.urls, presigned.expires_at
    files = {name: ComponentDigest(size=size, sha256=sha) for _, theirs in everyone for name, size, sha in theirs}
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
            files=files,
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
    if staged is not None:
        claims.release_claim(staged.directory)  # recorded: the ledger owns the staging folder now
    if staged is None:
        return DistributedUpload(None, group, uploads, asset_id, files)
    local = uploads._dispatch(asset_id, ledger, progress, output_of)
    return DistributedUpload(local, group, uploads, asset_id, files, ledger)


def hash_files(components: Sequence[ComponentSpec]) -> dict[str, ComponentDigest]:
    """The size and sha256 of each (staged) file, several files at once; each checked unchanged around its read.

    Raises :class:`~methodic.errors.FileChangedError` for a file rewritten while it was read, OSError if
    it cannot be read.
    """

    def one(component: ComponentSpec) -> ComponentDigest:
        staging.check_unchanged(component)
        hasher = hashlib.sha256()
        block = bytearray(_HASH_BLOCK)
        view = memoryview(block)
        with open(component.local_path, "rb", buffering=0) as f:
            while n := f.readinto(block):
                hasher.update(view[:n])
        staging.check_unchanged(component)
        return ComponentDigest(size=component.size, sha256=hasher.hexdigest())

    if len(components) <= 1:
        return {c.name: one(c) for c in components}
    with ThreadPoolExecutor(max_workers=min(HASH_THREADS, len(components)), thread_name_prefix="methodic-hash") as ex:
        return dict(zip((c.name for c in components), ex.map(one, components), strict=True))


class _NothingHere(Exception):
    """The calling rank adds no files of its own to the asset."""


def _check_everyone(everyone: list[_Share]) -> None:
    """The same verdict on every rank: a rank that could not scan, or a name held twice, stops them all."""
    problems = [f"rank {rank}: {problem}" for rank, (problem, _) in enumerate(everyone) if problem]
    if problems:
        raise ChronicleError("the distributed upload was not started: " + "; ".join(problems))
    holders: dict[str, list[int]] = {}
    for rank, (_, components) in enumerate(everyone):
        for component, _size, _sha in components:
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
    everyone: list[_Share],
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
            ranks = {str(rank): [c[0] for c in components] for rank, (_, components) in enumerate(everyone)}
            config = {**dict(asset_config or {}), DISTRIBUTED_KEY: {"world_size": group.world_size, "ranks": ranks}}
            presigned = uploads.operations.create_with_presigned(
                asset_type=asset_type,
                components=[c[0] for _, components in everyone for c in components],
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
