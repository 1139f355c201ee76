"""The one model base: every API result is a :class:`Record`, a read-only ``dict`` that also reads by attribute.

Why a dict: hosted-SDK code indexes results (``asset["id"]``, ``cfg["config_json"]``), ``.get``s them,
iterates their keys, passes them to ``json.dumps`` and splats them (``train(**cfg)``); a ``dict`` does all
of that with no wrapper to leak. Why attributes too: the seeds and our own code read ``detail.experiment.state``.
Why read-only: a result is what the server said; writing into it would make it say something else to every
other holder of it (a run handle caches its record). Its free-form JSON values (``config_json``,
``asset_config``, ``launch_config``...) are plain dicts, yours to change; ``to_dict()`` gives a plain copy.

Reading is tolerant, as the seeds ask ("unknown keys ignored"): a record keeps every key the server sent,
known or not; a *declared* field (a class annotation) the server left out reads as ``None`` instead of
raising, so a server a version ahead or behind never breaks a training run over a response shape.
Nested records and lists of records are converted on construction (``_nested``), so they stay plain
``dict``/``list`` values for ``json.dumps`` and ``==``. Values that look like presigned URLs are
redacted in the ``repr`` (tracebacks and debuggers print locals); the data itself is unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar, TypeVar

from methodic._redact import redact_text

R = TypeVar("R", bound="Record")


def _declared(cls: type) -> frozenset[str]:
    names: set[str] = set()
    for klass in cls.__mro__:
        names.update(getattr(klass, "__annotations__", {}))
    return frozenset(n for n in names if not n.startswith("_"))


class Record(dict[str, Any]):
    """A JSON object from the API: a read-only ``dict`` whose keys also read as attributes (declared ones never raise).

    Changing it (``record[k] = v``, ``del``, ``update``, ``pop``...) raises TypeError; ``to_dict()`` is a plain
    copy to change. It pickles and copies as itself (processes of a distributed job exchange records).
    """

    __slots__ = ()

    #: Field name → record class for nested objects (a list of objects converts item by item).
    _nested: ClassVar[Mapping[str, type[Record]]] = {}
    _fields_cache: ClassVar[dict[type, frozenset[str]]] = {}

    def __init__(self, data: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None, /, **extra: Any) -> None:
        super().__init__(data or (), **extra)
        for key, kind in self._nested.items():
            value = dict.get(self, key)
            if isinstance(value, Mapping) and not isinstance(value, kind):
                dict.__setitem__(self, key, kind(value))
            elif isinstance(value, list):
                dict.__setitem__(
                    self, key, [kind(v) if isinstance(v, Mapping) and not isinstance(v, kind) else v for v in value]
                )

    @classmethod
    def _fields(cls) -> frozenset[str]:
        cached = Record._fields_cache.get(cls)
        if cached is None:
            cached = Record._fields_cache[cls] = _declared(cls)
        return cached

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self[name]
        except KeyError:
            if name in type(self)._fields():
                return None
            raise AttributeError(f"{type(self).__name__} has no field {name!r}") from None

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(self) | type(self)._fields())

    def __repr__(self) -> str:
        return f"{type(self).__name__}({redact_text(dict.__repr__(self))})"

    def _read_only(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError(f"{type(self).__name__} is read-only (what the server said); change a copy: .to_dict()")

    __setitem__ = __delitem__ = _read_only
    clear = pop = popitem = setdefault = update = _read_only

    def __ior__(self, other: Any) -> Record:  # type: ignore[misc,override]
        raise TypeError(f"{type(self).__name__} is read-only (what the server said); change a copy: .to_dict()")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (dict(self),))

    def __copy__(self) -> Record:
        return self  # read-only: a copy would be the same record

    def __deepcopy__(self, memo: dict[int, Any]) -> Record:
        return type(self)(_plain(self))

    def to_dict(self) -> dict[str, Any]:
        """A plain, deep copy as JSON types (secrets included: treat it as you would the record)."""
        return _plain(self)  # type: ignore[no-any-return]

    @classmethod
    def from_dict(cls: type[R], data: Mapping[str, Any] | None) -> R:
        """Build from a parsed JSON object (None, an empty body, gives an empty record)."""
        return cls(data or {})


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def list_field(record: Mapping[str, Any], key: str) -> list[Any]:
    """``record[key]`` when it is a list, else ``[]``: a list field the server left out (or mangled) reads empty."""
    value = record.get(key)
    return value if isinstance(value, list) else []


def as_record(kind: type[R], value: Any) -> R:
    """``value`` as a record of ``kind`` (an empty one when it is not an object)."""
    if isinstance(value, kind):
        return value
    return kind(value if isinstance(value, Mapping) else {})


def reads_through(inner: type[Record], name: str) -> bool:
    """Whether an envelope's ``name`` is a field (declared or a property) of the record it wraps.

    An envelope (``{"experiment": {...}}``, ``{"asset": {...}}``) reads like the record it wraps for such names,
    as hosted-SDK code uses both ``detail.state`` and ``detail.experiment.state``.
    """
    return name in inner._fields() or isinstance(getattr(inner, name, None), property)


def records(kind: type[R], items: Any) -> list[R]:
    """A JSON array as records of ``kind`` (items that are not objects are skipped, never fatal)."""
    if not isinstance(items, list):
        return []
    return [kind(item) for item in items if isinstance(item, Mapping)]
