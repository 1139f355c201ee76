"""The storage gateway's multipart uploads on disk: no size declared up front, each part in a file of its own.

R2's shape: an upload is started without a size
(nothing is reserved on disk), parts arrive in any order and any number of times (a retried part replaces
the earlier one), and complete concatenates the listed parts into the component while hashing it, so the
component's record holds the sha256 of its bytes (what the hosted client declares at finalize).

Layout, in the storage service's multipart tree (``<object root>-multipart``), which the storage service
owns: it drops an asset's uploads when the asset is deleted or expires
(:meth:`StorageService.delete <methodic_server.storage.StorageService.delete>`) and when the asset takes no
more uploads (:meth:`StorageService.abort_uploads <methodic_server.storage.StorageService.abort_uploads>`)::

    <multipart root>/<asset_id>/gateway-<upload_id>/meta.json       component, content type
    <multipart root>/<asset_id>/gateway-<upload_id>/part-NNNNN      a part's bytes
    <multipart root>/<asset_id>/gateway-<upload_id>/part-NNNNN.rec  "<size> <sha256>", replaced with the bytes
    <multipart root>/<asset_id>/gateway-<upload_id>/.assembly       the in-order prefix of the parts, joined
    <multipart root>/<asset_id>/gateway-<upload_id>.done            a completed upload's answer and parts (JSON)

A part is received into a temporary (``.recv-*``) and put in place together with its record under the
upload's lock; complete holds that lock while it assembles, so no part changes under it.

Complete used to copy and hash the whole component after the last part (seconds for a gigabyte, repeated
by a resume). Now a background thread joins the parts in order while they arrive: each time the next part
of the prefix is in place it is copied (``os.copy_file_range``) to the end of ``.assembly`` and fed to a
running sha256, whose state is kept at every part boundary. A part re-PUT with other bytes rewinds the
prefix to before it (the kept state; the file is overwritten from there), so the running hash only ever
covers bytes that are stored under the listed ETags. Complete then takes the longest prefix whose parts
(number, ETag, size) are the ones listed, joins and hashes only the rest, and commits ``.assembly`` as the
component. The prefix lives in memory only: after a restart (or a failure while joining, such as a full disk) complete
joins every part itself, as before. Nothing here is trusted that the part records do not say: a part is
joined only when its file's size is its record's, and complete checks the list against the records.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import mmap
import os
import re
import shutil
import tempfile
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from methodic_contract import MAX_PARTS
from methodic_server.errors import ApiError

#: Prefix of a gateway upload's directory (and done record) in an asset's multipart directory.
UPLOAD_PREFIX = "gateway-"
_UPLOAD_ID = re.compile(r"[0-9a-f]{32}")
_PART = re.compile(r"part-(\d{5})")
#: The file the in-order prefix of an upload's parts is joined into while they arrive.
_ASSEMBLY = ".assembly"
#: Errors after which ``os.copy_file_range`` is replaced by writes from the mapped part (no such call here,
#: or not between these files).
_NO_COPY_RANGE = (errno.ENOSYS, errno.EXDEV, errno.EINVAL, errno.EOPNOTSUPP, errno.EBADF)


def no_such_upload(upload_id: str) -> ApiError:
    """404 ``no_such_upload``: R2's NoSuchUpload (aborted, expired, completed and forgotten, or never started)."""
    return ApiError(404, "no_such_upload", f"no multipart upload {upload_id[:64]!r} for this component")


def invalid_part(message: str) -> ApiError:
    """400 ``invalid_part``: R2's InvalidPart (a listed part is missing or its ETag does not match)."""
    return ApiError(400, "invalid_part", message)


def _join(source: int, size: int, out: int, offset: int, digest: Any) -> None:
    """Append ``size`` bytes of the part open as ``source`` to ``out`` at ``offset``, feeding ``digest``.

    The hash reads the part through a read-only mapping (no copy into Python); the bytes move from file to
    file in the kernel (``os.copy_file_range``), or by ``os.pwrite`` from the mapping where that call is
    missing or refused.
    """
    if not size:
        return
    with mmap.mmap(source, size, access=mmap.ACCESS_READ) as mapped:
        view = memoryview(mapped)
        try:
            digest.update(view)
            done = 0
            kernel = hasattr(os, "copy_file_range")
            while done < size:
                if kernel:
                    try:
                        n = os.copy_file_range(source, out, size - done, done, offset + done)
                    except OSError as exc:
                        if exc.errno not in _NO_COPY_RANGE:
                            raise
                        kernel = False
                        continue
                else:
                    n = os.pwrite(out, view[done:], offset + done)
                if n <= 0:
                    raise OSError(errno.EIO, "the part ended before its recorded size")
                done += n
        finally:
            view.release()


@dataclass
class _Assembly:
    """The in-order prefix of one upload's parts, joined in ``.assembly``; guarded by the upload's lock."""

    asset_id: str
    path: Path
    fd: int
    #: (number, etag, size) of the joined parts: ``joined[i]`` is part ``i + 1``.
    joined: list[tuple[int, str, int]] = field(default_factory=list)
    #: sha256 states at each part boundary: ``states[i]`` has hashed ``joined[:i]``.
    states: list[Any] = field(default_factory=lambda: [hashlib.sha256()])
    #: Bytes joined (the end of the prefix in ``.assembly``).
    offset: int = 0
    #: A thread is joining the next part right now (outside the lock).
    busy: bool = False
    #: Bumped when a joined part, or the one being joined, is replaced: that join is then discarded.
    generation: int = 0
    #: Joining failed (a full disk...): complete joins every part itself.
    broken: bool = False
    #: Taken by complete, or the upload went: no more joining; the last user closes ``fd``.
    closed: bool = False

    def rewind(self, count: int) -> None:
        """Keep only the first ``count`` joined parts (a later one was replaced or is not listed)."""
        del self.joined[count:]
        del self.states[count + 1 :]
        self.offset = sum(size for _, _, size in self.joined)
        self.generation += 1


@dataclass(frozen=True)
class UploadEntry:
    """One gateway upload on disk, as the sweep sees it."""

    asset_id: str
    upload_id: str
    path: Path
    done: bool
    last_activity: float


class GatewayUploads:
    """The gateway's multipart uploads under one multipart root (thread-safe)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._upload_locks: dict[str, threading.Condition] = {}
        self._busy: dict[str, int] = {}
        self._assemblies: dict[str, _Assembly] = {}
        #: Uploads whose prefix may have a next part to join, for the joining thread (asset id by upload id).
        self._to_join: dict[str, str] = {}
        self._joiner: threading.Thread | None = None

    # -- where things live ----------------------------------------------------------------------------
    def _asset_dir(self, asset_id: str) -> Path:
        if "/" in asset_id or asset_id in ("", ".", ".."):
            raise ApiError(404, "not_found", "no such asset")
        return self.root / asset_id

    def _dir(self, asset_id: str, upload_id: str) -> Path:
        if not _UPLOAD_ID.fullmatch(upload_id):
            raise no_such_upload(upload_id)
        return self._asset_dir(asset_id) / f"{UPLOAD_PREFIX}{upload_id}"

    def _done_path(self, asset_id: str, upload_id: str) -> Path:
        return self._asset_dir(asset_id) / f"{UPLOAD_PREFIX}{upload_id}.done"

    def lock(self, upload_id: str) -> threading.Condition:
        """The upload's lock: held while a part is put in place and while the upload is completed or aborted.

        A condition, so that complete can wait (the lock released) for a part being joined meanwhile.
        """
        with self._lock:
            return self._upload_locks.setdefault(upload_id, threading.Condition(threading.Lock()))

    @contextlib.contextmanager
    def busy(self, upload_id: str) -> Iterator[None]:
        """Mark the upload as in use (a part streaming in): the idle sweep leaves it alone meanwhile."""
        with self._lock:
            self._busy[upload_id] = self._busy.get(upload_id, 0) + 1
        try:
            yield
        finally:
            with self._lock:
                self._busy[upload_id] -= 1
                if not self._busy[upload_id]:
                    del self._busy[upload_id]

    def is_busy(self, upload_id: str) -> bool:
        """Whether a request is working on the upload right now."""
        with self._lock:
            return upload_id in self._busy

    # -- operations -----------------------------------------------------------------------------------
    def start(self, asset_id: str, component: str, content_type: str | None) -> str:
        """A new upload of one component; nothing is reserved for its bytes."""
        upload_id = uuid.uuid4().hex
        directory = self._dir(asset_id, upload_id)
        directory.mkdir(mode=0o700, parents=True)
        (directory / "meta.json").write_text(json.dumps({"component": component, "content_type": content_type}))
        return upload_id

    def meta(self, asset_id: str, component: str, upload_id: str) -> dict[str, Any]:
        """The upload's metadata; 404 ``no_such_upload`` unless it is in progress for this component."""
        try:
            meta: dict[str, Any] = json.loads((self._dir(asset_id, upload_id) / "meta.json").read_text())
        except (FileNotFoundError, NotADirectoryError, ValueError):
            raise no_such_upload(upload_id) from None
        if meta.get("component") != component:
            raise no_such_upload(upload_id)
        return meta

    def done(self, asset_id: str, component: str, upload_id: str) -> dict[str, Any] | None:
        """The recorded answer of a completed upload of this component, or None."""
        if not _UPLOAD_ID.fullmatch(upload_id):
            return None
        try:
            record: dict[str, Any] = json.loads(self._done_path(asset_id, upload_id).read_text())
        except (FileNotFoundError, NotADirectoryError, ValueError):
            return None
        return record if record.get("component") == component else None

    def part_temporary(self, asset_id: str, component: str, upload_id: str) -> tuple[int, str]:
        """An open temporary in the upload's directory to receive a part into: (fd, path)."""
        self.meta(asset_id, component, upload_id)
        directory = self._dir(asset_id, upload_id)
        name = f".recv-{uuid.uuid4().hex}"
        try:
            fd = os.open(directory / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileNotFoundError:
            raise no_such_upload(upload_id) from None
        return fd, str(directory / name)

    def put_part(self, asset_id: str, upload_id: str, number: int, temporary: str, size: int, sha256: str) -> None:
        """Put a received part in place with its record (replacing an earlier copy); 404 if the upload went."""
        directory = self._dir(asset_id, upload_id)
        with self.lock(upload_id):
            if not (directory / "meta.json").is_file():
                raise no_such_upload(upload_id)
            record = directory / f".rec-{uuid.uuid4().hex}"
            record.write_text(f"{size} {sha256}")
            # the earlier copy's record goes first: killed between the two renames, the new bytes must not
            # stand under the old copy's record (a part without its record is not a part)
            with contextlib.suppress(FileNotFoundError):
                os.unlink(directory / f"part-{number:05d}.rec")
            os.replace(temporary, directory / f"part-{number:05d}")
            os.replace(record, directory / f"part-{number:05d}.rec")
            self._part_replaced(asset_id, upload_id, directory, number, sha256)

    # -- the in-order prefix, joined while the parts arrive ------------------------------------------------------
    def _part_replaced(self, asset_id: str, upload_id: str, directory: Path, number: int, sha256: str) -> None:
        """Part ``number`` is in place (the caller holds the upload's lock): rewind, maybe join next.

        The prefix is rewound to before the part if it joined other bytes under that number; the joining
        thread is woken when the part may be the prefix's next.
        """
        with self._lock:
            assembly = self._assemblies.get(upload_id)
        new = assembly is None
        if assembly is None:  # the upload's first part, or its first since a restart: join from part 1 on
            try:
                fd = os.open(directory / _ASSEMBLY, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
            except OSError:
                return  # complete joins every part itself
            assembly = _Assembly(asset_id, directory / _ASSEMBLY, fd)
            with self._lock:
                self._assemblies[upload_id] = assembly
        if assembly.closed or assembly.broken:
            return
        if number <= len(assembly.joined):
            if assembly.joined[number - 1][1] != sha256:
                assembly.rewind(number - 1)
        elif number == len(assembly.joined) + 1 and assembly.busy:
            assembly.generation += 1  # the join under way read the bytes this part replaced
        if new or number == len(assembly.joined) + 1:
            with self._lock:
                self._to_join[upload_id] = asset_id
                if self._joiner is None:
                    self._joiner = threading.Thread(target=self._join_loop, name="gateway-join", daemon=True)
                    self._joiner.start()

    def joined(self, upload_id: str) -> int:
        """How many parts the upload's joined prefix holds now (0 without one): what complete will not redo."""
        with self.lock(upload_id), self._lock:
            assembly = self._assemblies.get(upload_id)
            return 0 if assembly is None or assembly.broken else len(assembly.joined)

    def _join_loop(self) -> None:
        """The joining thread: runs while an upload may have a next part to join, then ends."""
        try:
            while True:
                with self._lock:
                    if not self._to_join:
                        self._joiner = None
                        return
                    upload_id, asset_id = self._to_join.popitem()
                while self._join_next(asset_id, upload_id):
                    pass
        except BaseException:
            with self._lock:
                self._joiner = None
            raise

    def _join_next(self, asset_id: str, upload_id: str) -> bool:
        """Join the prefix's next part if it is in place; whether one was joined (or the join was discarded)."""
        condition = self.lock(upload_id)
        with condition:
            with self._lock:
                assembly = self._assemblies.get(upload_id)
            if assembly is None or assembly.closed or assembly.broken or assembly.busy:
                return False
            number = len(assembly.joined) + 1
            part = self._dir(asset_id, upload_id) / f"part-{number:05d}"
            try:
                size_text, _, sha = Path(f"{part}.rec").read_text().partition(" ")
                source = os.open(part, os.O_RDONLY)
            except OSError:
                return False
            if not (size_text.isdigit() and sha and os.fstat(source).st_size == int(size_text)):
                os.close(source)
                return False
            assembly.busy = True
            generation, offset, digest = assembly.generation, assembly.offset, assembly.states[-1].copy()
        error: BaseException | None = None
        try:
            _join(source, int(size_text), assembly.fd, offset, digest)
        except BaseException as exc:  # a full disk, a part file cut short...: complete joins every part itself
            error = exc
        finally:
            os.close(source)
        with condition:  # one step with the end of busy: complete may take the file over right after it
            assembly.busy = False
            condition.notify_all()
            if assembly.closed:
                os.close(assembly.fd)  # the upload went while this part was joined
                return False
            if error is not None:
                self._break(assembly)
            elif assembly.generation == generation:  # else a part was replaced meanwhile: join from the end
                assembly.joined.append((number, sha, int(size_text)))
                assembly.states.append(digest)
                assembly.offset += int(size_text)
        if error is not None and not isinstance(error, Exception):
            raise error
        return error is None

    @staticmethod
    def _break(assembly: _Assembly) -> None:
        """Stop joining this upload (its lock held): free what was joined; complete joins every part itself."""
        assembly.broken = True
        assembly.rewind(0)
        with contextlib.suppress(OSError):
            os.ftruncate(assembly.fd, 0)

    def _release_assembly(self, upload_id: str) -> None:
        """The upload went (completed, aborted, dropped): forget its prefix and close its file once unused."""
        with self._lock:
            assembly = self._assemblies.pop(upload_id, None)
            self._to_join.pop(upload_id, None)
        if assembly is not None and not assembly.closed:
            assembly.closed = True
            if not assembly.busy:
                os.close(assembly.fd)

    def _parts(self, directory: Path) -> dict[int, dict[str, Any]]:
        """The parts in place (their record matches their file), by number. The caller holds the upload's lock."""
        found: dict[int, dict[str, Any]] = {}
        for path in directory.iterdir():
            match = _PART.fullmatch(path.name)
            if not match:
                continue
            try:
                size_text, _, sha = (directory / f"{path.name}.rec").read_text().partition(" ")
                on_disk = path.stat().st_size
            except (FileNotFoundError, ValueError):
                continue
            if size_text.isdigit() and int(size_text) == on_disk and sha:
                found[int(match.group(1))] = {"part_number": int(match.group(1)), "etag": sha, "size": on_disk}
        return found

    def parts(self, asset_id: str, component: str, upload_id: str) -> dict[str, Any]:
        """What storage holds of an upload: its parts (number, etag, size; ascending) and whether it completed."""
        record = self.done(asset_id, component, upload_id)
        if record is not None:
            return {"upload_id": upload_id, "completed": True, "parts": record["parts"]}
        self.meta(asset_id, component, upload_id)
        with self.lock(upload_id):
            # A complete (or an abort) that held the lock meanwhile has removed the upload's directory.
            record = self.done(asset_id, component, upload_id)
            if record is not None:
                return {"upload_id": upload_id, "completed": True, "parts": record["parts"]}
            directory = self._dir(asset_id, upload_id)
            if not (directory / "meta.json").is_file():
                raise no_such_upload(upload_id)
            found = self._parts(directory)
        return {"upload_id": upload_id, "completed": False, "parts": [found[n] for n in sorted(found)]}

    def assemble(
        self, asset_id: str, component: str, upload_id: str, listed: list[Any], directory: Path, prefix: str
    ) -> tuple[list[dict[str, Any]], int, Any, str]:
        """Check the part list and join the listed parts, in order, into a file; the caller holds the lock.

        Returns the parts (number, etag, size), the total size, the sha256 object of the whole and the path
        of the joined file: a temporary for the caller to commit (or remove), in ``directory`` (named
        ``prefix``...) or elsewhere on its filesystem. The list must name parts 1..n once each, in order,
        each with the ETag its PUT answered; every part but the last must have the first one's size and the
        last may not be larger (R2's rule). 400 ``invalid_part`` otherwise. Parts uploaded but not listed
        are dropped with the upload. The prefix joined while the parts arrived is used as far as its parts
        are the listed ones.
        """
        self.meta(asset_id, component, upload_id)
        if not listed or len(listed) > MAX_PARTS:
            raise invalid_part(f"complete needs a list of 1 to {MAX_PARTS} parts")
        numbers = []
        for entry in listed:
            if not isinstance(entry, dict) or not isinstance(entry.get("part_number"), int):
                raise invalid_part("every listed part needs part_number (an integer) and etag")
            numbers.append(entry["part_number"])
        if numbers != list(range(1, len(listed) + 1)):
            raise invalid_part(f"the part list must name parts 1..{len(listed)} once each, in order")
        condition = self.lock(upload_id)
        with self._lock:
            assembly = self._assemblies.get(upload_id)
        if assembly is not None:
            condition.wait_for(lambda: not assembly.busy)  # a part being joined: a few milliseconds
        upload_dir = self._dir(asset_id, upload_id)
        stored = self._parts(upload_dir)
        chosen = []
        for entry in listed:
            found = stored.get(entry["part_number"])
            if found is None:
                raise invalid_part(f"part {entry['part_number']} was never uploaded")
            if str(entry.get("etag", "")).strip().strip('"') != found["etag"]:
                raise invalid_part(f"part {entry['part_number']}: the etag does not match the stored part")
            chosen.append(found)
        first = chosen[0]["size"]
        for part in chosen[:-1]:
            if part["size"] != first:
                raise invalid_part(
                    f"part {part['part_number']} has {part['size']} bytes; every part but the last must have "
                    f"part 1's size ({first})"
                )
        if chosen[-1]["size"] > first:
            raise invalid_part(f"the last part ({chosen[-1]['size']} bytes) is larger than the others ({first})")
        out, path, kept, digest = self._output(upload_id, assembly, chosen, directory, prefix)
        total = sum(part["size"] for part in chosen[:kept])
        try:
            for part in chosen[kept:]:
                source = os.open(upload_dir / f"part-{part['part_number']:05d}", os.O_RDONLY)
                try:
                    if os.fstat(source).st_size != part["size"]:
                        raise invalid_part(f"part {part['part_number']} changed while the upload completed")
                    _join(source, part["size"], out, total, digest)
                finally:
                    os.close(source)
                total += part["size"]
            os.ftruncate(out, total)
        except BaseException:
            os.close(out)
            with contextlib.suppress(OSError):
                os.unlink(path)
            raise
        os.close(out)
        return chosen, total, digest, path

    def _output(
        self, upload_id: str, assembly: _Assembly | None, chosen: list[dict[str, Any]], directory: Path, prefix: str
    ) -> tuple[int, str, int, Any]:
        """Where complete joins the parts: (fd, path, parts already joined there, sha256 state after them).

        The upload's prefix if it is usable (and on ``directory``'s filesystem, so that the commit is a
        rename), taken over (no more joining); a new temporary in ``directory`` otherwise.
        """
        if assembly is not None:
            with self._lock:
                self._assemblies.pop(upload_id, None)
                self._to_join.pop(upload_id, None)
            assembly.closed = True
            same_disk = False
            with contextlib.suppress(OSError):
                same_disk = os.fstat(assembly.fd).st_dev == os.stat(directory).st_dev
            if same_disk and not assembly.broken:
                kept = 0
                for (number, etag, size), part in zip(assembly.joined, chosen, strict=False):
                    if (number, etag, size) != (part["part_number"], part["etag"], part["size"]):
                        break
                    kept += 1
                return assembly.fd, str(assembly.path), kept, assembly.states[kept].copy()
            os.close(assembly.fd)
            with contextlib.suppress(OSError):
                os.unlink(assembly.path)
        fd, path = tempfile.mkstemp(dir=directory, prefix=prefix)
        return fd, path, 0, hashlib.sha256()

    def finish(self, asset_id: str, upload_id: str, answer: dict[str, Any]) -> None:
        """After the component was put in place: record the answer (repeated completes get it), free the parts."""
        done = self._done_path(asset_id, upload_id)
        tmp = done.with_name(f".{done.name}-{uuid.uuid4().hex[:8]}")
        tmp.write_text(json.dumps(answer))
        os.replace(tmp, done)
        self._release_assembly(upload_id)
        shutil.rmtree(self._dir(asset_id, upload_id), ignore_errors=True)

    def abort(self, asset_id: str, component: str, upload_id: str) -> None:
        """Drop an upload in progress and its parts' bytes; 404 ``no_such_upload`` if there is none."""
        self.meta(asset_id, component, upload_id)
        with self.lock(upload_id):
            self._release_assembly(upload_id)
            shutil.rmtree(self._dir(asset_id, upload_id), ignore_errors=True)
        self.forget(upload_id)

    def forget(self, upload_id: str) -> None:
        """Drop the in-memory lock of an upload that is gone."""
        with self._lock:
            if upload_id not in self._busy:
                self._upload_locks.pop(upload_id, None)

    # -- the sweep ------------------------------------------------------------------------------------
    def entries(self, asset_id: str | None = None) -> Iterator[UploadEntry]:
        """Every gateway upload on disk (of one asset, if named), in progress or completed."""
        if asset_id is None:
            asset_dirs = list(self.root.iterdir()) if self.root.is_dir() else []
        else:
            asset_dirs = [self._asset_dir(asset_id)]
        for asset_dir in asset_dirs:
            if not asset_dir.is_dir():
                continue
            for path in asset_dir.glob(f"{UPLOAD_PREFIX}*"):
                name = path.name[len(UPLOAD_PREFIX) :]
                done = name.endswith(".done")
                upload_id = name.removesuffix(".done")
                if not _UPLOAD_ID.fullmatch(upload_id):
                    continue
                try:
                    last = path.stat().st_mtime
                    if not done:
                        last = max([last, *(p.stat().st_mtime for p in path.iterdir())])
                except FileNotFoundError:
                    continue
                yield UploadEntry(asset_dir.name, upload_id, path, done, last)

    def drop(self, entry: UploadEntry) -> bool:
        """Remove one upload from disk (an abandoned or idle one); False if a request is using it right now."""
        if self.is_busy(entry.upload_id):
            return False
        with self.lock(entry.upload_id):
            if entry.done:
                with contextlib.suppress(FileNotFoundError):
                    entry.path.unlink()
            else:
                self._release_assembly(entry.upload_id)
                shutil.rmtree(entry.path, ignore_errors=True)
        self.forget(entry.upload_id)
        return True

    def release(self, asset_id: str) -> int:
        """Drop every upload of an asset that takes no more (finalized, abandoned, ...); returns how many went.

        An upload a request is using right now stays: the sweep drops it once that request is over.
        """
        with contextlib.suppress(ApiError):  # not an asset id: nothing of ours
            return sum(self.drop(entry) for entry in list(self.entries(asset_id)))
        return 0

    def delete(self, asset_id: str) -> None:
        """Drop everything of an asset's uploads, in use or not (the asset and its bytes are gone)."""
        with self._lock:
            gone = [upload_id for upload_id, a in self._assemblies.items() if a.asset_id == asset_id]
        for upload_id in gone:
            with self.lock(upload_id):
                self._release_assembly(upload_id)
        with contextlib.suppress(ApiError, OSError):
            shutil.rmtree(self._asset_dir(asset_id))
