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
    <multipart root>/<asset_id>/gateway-<upload_id>.done            a completed upload's answer and parts (JSON)

A part is received into a temporary (``.recv-*``) and put in place together with its record under the
upload's lock; complete holds that lock while it assembles, so no part changes under it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from methodic_contract import MAX_PARTS
from methodic_server.errors import ApiError

#: Prefix of a gateway upload's directory (and done record) in an asset's multipart directory.
UPLOAD_PREFIX = "gateway-"
_UPLOAD_ID = re.compile(r"[0-9a-f]{32}")
_PART = re.compile(r"part-(\d{5})")
#: Bytes copied per read while a component is assembled from its parts.
_COPY = 1 << 20


def no_such_upload(upload_id: str) -> ApiError:
    """404 ``no_such_upload``: R2's NoSuchUpload (aborted, expired, completed and forgotten, or never started)."""
    return ApiError(404, "no_such_upload", f"no multipart upload {upload_id[:64]!r} for this component")


def invalid_part(message: str) -> ApiError:
    """400 ``invalid_part``: R2's InvalidPart (a listed part is missing or its ETag does not match)."""
    return ApiError(400, "invalid_part", message)


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
        self._upload_locks: dict[str, threading.Lock] = {}
        self._busy: dict[str, int] = {}

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

    def lock(self, upload_id: str) -> threading.Lock:
        """The upload's lock: held while a part is put in place and while the upload is completed or aborted."""
        with self._lock:
            return self._upload_locks.setdefault(upload_id, threading.Lock())

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
            os.replace(temporary, directory / f"part-{number:05d}")
            os.replace(record, directory / f"part-{number:05d}.rec")

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
        self, asset_id: str, component: str, upload_id: str, listed: list[Any], out: Any
    ) -> tuple[list[dict[str, Any]], int, Any]:
        """Check the part list and write the listed parts, in order, to ``out``; the caller holds the lock.

        Returns the parts (number, etag, size), the total size and the sha256 object of the whole. The list
        must name parts 1..n once each, in order, each with the ETag its PUT answered; every part but the
        last must have the first one's size and the last may not be larger (R2's rule). 400 ``invalid_part``
        otherwise. Parts uploaded but not listed are dropped with the upload.
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
        stored = self._parts(self._dir(asset_id, upload_id))
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
        digest = hashlib.sha256()
        directory = self._dir(asset_id, upload_id)
        buffer = memoryview(bytearray(_COPY))
        total = 0
        for part in chosen:
            with (directory / f"part-{part['part_number']:05d}").open("rb") as source:
                while n := source.readinto(buffer):
                    out.write(buffer[:n])
                    digest.update(buffer[:n])
                    total += n
        return chosen, total, digest

    def finish(self, asset_id: str, upload_id: str, answer: dict[str, Any]) -> None:
        """After the component was put in place: record the answer (repeated completes get it), free the parts."""
        done = self._done_path(asset_id, upload_id)
        tmp = done.with_name(f".{done.name}-{uuid.uuid4().hex[:8]}")
        tmp.write_text(json.dumps(answer))
        os.replace(tmp, done)
        shutil.rmtree(self._dir(asset_id, upload_id), ignore_errors=True)

    def abort(self, asset_id: str, component: str, upload_id: str) -> None:
        """Drop an upload in progress and its parts' bytes; 404 ``no_such_upload`` if there is none."""
        self.meta(asset_id, component, upload_id)
        with self.lock(upload_id):
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
        with contextlib.suppress(ApiError, OSError):
            shutil.rmtree(self._asset_dir(asset_id))
