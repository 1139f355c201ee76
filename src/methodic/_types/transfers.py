"""What the transfer engine and the integrations build themselves: digests, multipart steps, resume outcomes.

Not wire shapes; the records among them are the same one result model. Import them from :mod:`methodic.types`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, ClassVar, overload

from methodic._models import Record
from methodic._types.assets import AssetRecord


# -- results the SDK itself builds (not wire shapes, the same model) --------------------------------
class ResumeOutcome(Record):
    """What a resume did for one asset of the tracker: ``asset_id``, ``asset_type``, ``status``, ``detail``, ``asset``.

    ``status`` is ``finalized`` (this resume finished it), ``already_ready`` (finalized before the
    crash), ``partial`` (a distributed asset: this node's components are all in storage, another
    node's are not yet; whichever finishes last finalizes), ``abandoned`` (the server gave up on it:
    its run failed first), ``unrecoverable`` (a registered file changed or vanished) or ``failed``
    (still failing, e.g. storage unreachable: a later resume tries again). ``finalized``,
    ``already_ready`` and ``partial`` count as rescued (nothing more can be done here); abandoned and
    unrecoverable assets are marked dead in the tracker, so later resumes skip them.

    ``.errors`` holds the exceptions, as (component or label, exception) pairs; ``["errors"]`` their
    text (``{"component", "error"}`` each), so ``json.dumps(outcome.to_dict())`` works.
    """

    __slots__ = ("errors",)
    _nested: ClassVar[Mapping[str, type[Record]]] = {"asset": AssetRecord}
    asset_id: str
    asset_type: str | None
    status: str
    detail: str | None
    asset: AssetRecord | None

    def __init__(
        self, data: Mapping[str, Any] | None = None, /, *, errors: Sequence[tuple[str, BaseException]] = ()
    ) -> None:
        described = [{"component": label, "error": f"{type(exc).__name__}: {exc}"} for label, exc in errors]
        super().__init__({"detail": "", "asset": None, **(data or {}), **({"errors": described} if errors else {})})
        self.errors: tuple[tuple[str, BaseException], ...] = tuple(errors)

    @classmethod
    def of(
        cls,
        asset_id: str,
        asset_type: str,
        status: str,
        detail: str = "",
        *,
        asset: AssetRecord | None = None,
        errors: Sequence[tuple[str, BaseException]] = (),
    ) -> ResumeOutcome:
        """The outcome of one asset (how the engine writes it)."""
        fields = {"asset_id": asset_id, "asset_type": asset_type, "status": status, "detail": detail, "asset": asset}
        return cls(fields, errors=errors)

    @property
    def rescued(self) -> bool:
        """Whether everything this tracker holds of the asset is done (ready, or in storage for a distributed one)."""
        return self.get("status") in ("finalized", "already_ready", "partial")

    def __reduce__(self) -> tuple[Any, ...]:
        return (partial(ResumeOutcome, errors=self.errors), (dict(self),))

    def __deepcopy__(self, memo: dict[int, Any]) -> ResumeOutcome:
        return ResumeOutcome(self.to_dict(), errors=self.errors)


class DownloadedCheckpoint(Record):
    """A checkpoint in place on this node: ``path``, the ``asset_id`` it came from, the ``step`` it was saved at.

    ``config`` is its ``asset_config`` (``weights_only``, ``epoch``, ``metrics``...), so a framework can tell
    what kind of checkpoint it resumes from. ``.path`` is a :class:`~pathlib.Path`; ``["path"]`` its string.
    """

    __slots__ = ()
    asset_id: str
    step: int | None

    @classmethod
    def of(
        cls, path: Path | str, asset_id: str, step: int | None, config: Mapping[str, Any] | None = None
    ) -> DownloadedCheckpoint:
        """Where a chosen checkpoint goes (how the integrations write it)."""
        return cls({"path": str(path), "asset_id": asset_id, "step": step, "config": dict(config or {})})

    @property
    def path(self) -> Path:
        """The checkpoint's folder on this node."""
        return Path(str(self.get("path") or ""))

    @property
    def config(self) -> dict[str, Any]:
        """The checkpoint's ``asset_config`` (a plain dict; ``{}`` when it had none)."""
        value = self.get("config")
        return value if isinstance(value, dict) else {}


# -- transfer engine values (not wire shapes) --------------------------------------------------------
class ComponentDigest(str):
    """What one file's transfer proved: its hex sha256 (the ``str`` value itself), ``.size`` and ``.part_size``.

    The one digest type. ``upload_component`` returns it, and hosted-SDK code puts it straight into the
    ``sha256s`` it finalizes with (a ``str``, equal to the hex digest, JSON-encoded as one);
    ``assets.finalize(components=...)`` takes it with its size. ``part_size`` is set when the file went up
    in parts and ``sha256`` is storage's part-wise checksum. Two digests are equal when hex, size and
    part size all are; a digest equals a plain string when the hex does. Immutable.

    Built as ``ComponentDigest(size, sha256)`` (or by keyword), or, under its hosted-SDK name,
    ``FileSha256(sha256, size=...)``.
    """

    size: int
    part_size: int | None

    @overload
    def __new__(cls, size: int, sha256: str, part_size: int | None = None) -> ComponentDigest: ...

    @overload
    def __new__(cls, sha256: str, *, size: int, part_size: int | None = None) -> ComponentDigest: ...

    @overload
    def __new__(cls, *, size: int, sha256: str, part_size: int | None = None) -> ComponentDigest: ...

    def __new__(cls, *args: Any, **kwargs: Any) -> ComponentDigest:
        if args and isinstance(args[0], str):  # FileSha256(sha256, size=...)
            named = dict(zip(("sha256", "size", "part_size"), args, strict=False)) | kwargs
        else:  # ComponentDigest(size, sha256, part_size), or by keyword
            named = dict(zip(("size", "sha256", "part_size"), args, strict=False)) | kwargs
        size, sha256, part_size = named.get("size"), named.get("sha256"), named.get("part_size")
        if not isinstance(size, int) or isinstance(size, bool) or not isinstance(sha256, str):
            raise TypeError("a ComponentDigest needs an int size and a str sha256")
        value = super().__new__(cls, sha256)
        object.__setattr__(value, "size", size)
        object.__setattr__(value, "part_size", part_size)
        return value

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"ComponentDigest is immutable ({name})")

    @property
    def sha256(self) -> str:
        """The hex sha256 (or part-wise checksum) as a plain string."""
        return str.__str__(self)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ComponentDigest):
            return (self.sha256, self.size, self.part_size) == (other.sha256, other.size, other.part_size)
        return str.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = str.__hash__

    def __repr__(self) -> str:
        part = f", part_size={self.part_size}" if self.part_size is not None else ""
        return f"ComponentDigest(size={self.size}, sha256={self.sha256!r}{part})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (ComponentDigest, (self.size, self.sha256, self.part_size))


class MultipartStarted:
    """A multipart upload of one component: its id and how the component is cut into parts."""

    upload_id: str
    size: int
    part_size: int
    part_count: int


@dataclass(frozen=True)
class StoredPart:
    """A part storage holds for a multipart upload (S3's ListParts entry)."""

    part_number: int
    etag: str
    size: int


@dataclass(frozen=True)
class MultipartCompleted:
    """A component assembled from its parts; ``sha256`` is storage's part-wise checksum when it knows it."""

    size: int
    part_size: int
    sha256: str | None
