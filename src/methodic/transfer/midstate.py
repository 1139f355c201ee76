"""A sha256 whose state can be saved as hex and restored: one pass over each byte of a resumed upload.

Finalize needs the whole file's sha256, and a resume must prove that every part it keeps still holds the
bytes that were sent. With :mod:`hashlib` alone that is two sha256 passes over the recorded half (each part
against its recorded sha256, then the whole file in order), because hashlib cannot export its state. This
module drives OpenSSL's ``SHA256_CTX`` (a public struct in ``openssl/sha.h``) through :mod:`ctypes`, so the
whole-file state at each part boundary (the "midstate") can be recorded with the part; a resume feeds the
whole sha256 once and compares its state at each boundary: an equal state means every byte up to there is
what was hashed when the part was sent (as strong as sha256 itself), and no separate per-part pass is needed.

The trade-off: ``SHA256_Init``/``Update``/``Final`` are deprecated in OpenSSL 3 (still exported by 1.1 and
3.x) and the struct layout is OpenSSL's, not Python's. So it is used only where it is known to be safe: Linux,
with a versioned ``libcrypto.so.3`` or ``.so.1.1`` (on macOS, loading the unversioned system libcrypto
aborts the process, so it is never tried there). Anywhere else, or with ``METHODIC_NO_MIDSTATE=1``
in the environment, :data:`AVAILABLE` is False and the engine keeps its two-pass check. A restored state is
checked for shape before use; a hex string that is not one leaves the part to the per-part check.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import sys
from typing import Any

__all__ = ["AVAILABLE", "STATE_HEX_LENGTH", "Sha256State", "load"]

_STATE_BYTES = 112  # h[8], Nl, Nh, data[16], num, md_len: 28 unsigned 32-bit words
#: The length of a state saved with :meth:`Sha256State.state_hex`.
STATE_HEX_LENGTH = 2 * _STATE_BYTES


class _Ctx(ctypes.Structure):
    _fields_ = [
        ("h", ctypes.c_uint32 * 8),
        ("Nl", ctypes.c_uint32),
        ("Nh", ctypes.c_uint32),
        ("data", ctypes.c_uint32 * 16),
        ("num", ctypes.c_uint32),
        ("md_len", ctypes.c_uint32),
    ]


assert ctypes.sizeof(_Ctx) == _STATE_BYTES


#: The versioned sonames tried, newest first (the one Python's own hashlib is linked to is usually loaded already).
_SONAMES = ("libcrypto.so.3", "libcrypto.so.1.1")


def _open_libcrypto() -> Any:
    """OpenSSL's libcrypto by a versioned soname, on Linux only; None where it is not there or turned off.

    dlopen of the soname itself, not :func:`ctypes.util.find_library` (which runs ``ldconfig -p`` in a
    subprocess: ~15 ms at the start of every upload) and never the unversioned name.
    """
    if not sys.platform.startswith("linux") or os.environ.get("METHODIC_NO_MIDSTATE"):
        return None
    for name in _SONAMES:
        try:
            lib = ctypes.CDLL(name)
            break
        except OSError:
            continue
    else:
        return None
    try:
        for function in (lib.SHA256_Init, lib.SHA256_Update, lib.SHA256_Final):
            function.restype = ctypes.c_int
        lib.SHA256_Init.argtypes = [ctypes.POINTER(_Ctx)]
        lib.SHA256_Update.argtypes = [ctypes.POINTER(_Ctx), ctypes.c_void_p, ctypes.c_size_t]
        lib.SHA256_Final.argtypes = [ctypes.c_char_p, ctypes.POINTER(_Ctx)]
    except (OSError, AttributeError):
        return None
    return lib


def _self_test(lib: Any) -> bool:
    """The library must give hashlib's digest, also across a saved and restored state, before it is trusted."""
    data = bytes(range(256)) * 5
    first = Sha256State(lib)
    first.update(data[:77])
    second = Sha256State(lib, first.state_hex())
    second.update(memoryview(bytearray(data))[77:])
    return second.hexdigest() == hashlib.sha256(data).hexdigest()


class Sha256State:
    """A running sha256 whose state is saved with :meth:`state_hex` and given back to the constructor."""

    def __init__(self, lib: Any, state_hex: str | None = None) -> None:
        self._lib = lib
        self._ctx = _Ctx()
        if state_hex is None:
            if lib.SHA256_Init(ctypes.byref(self._ctx)) != 1:
                raise RuntimeError("SHA256_Init failed")
            return
        raw = bytes.fromhex(state_hex)
        if len(raw) != _STATE_BYTES:
            raise ValueError(f"a sha256 state is {_STATE_BYTES} bytes, not {len(raw)}")
        ctypes.memmove(ctypes.byref(self._ctx), raw, _STATE_BYTES)
        bits = (self._ctx.Nh << 32) | self._ctx.Nl
        if self._ctx.md_len != 32 or bits % 8 or self._ctx.num != (bits // 8) % 64:
            raise ValueError("not a saved sha256 state")

    def __repr__(self) -> str:
        return f"<Sha256State at byte {self.bytes_hashed}>"

    @property
    def bytes_hashed(self) -> int:
        """How many bytes were fed so far (a restored state: before it was saved too)."""
        return int(((self._ctx.Nh << 32) | self._ctx.Nl) // 8)

    def update(self, data: bytes | bytearray | memoryview) -> None:
        """Feed ``data`` (any contiguous buffer; a writable one is not copied)."""
        view = memoryview(data).cast("B")
        if not len(view):
            return
        address: Any
        if view.readonly:  # bytes: passed as they are (ctypes gives their own buffer, read only)
            buffer = view.obj if isinstance(view.obj, bytes) and len(view.obj) == len(view) else bytes(view)
            address = ctypes.c_char_p(buffer)
        else:
            address = ctypes.addressof(ctypes.c_char.from_buffer(view))
        if self._lib.SHA256_Update(ctypes.byref(self._ctx), address, len(view)) != 1:
            raise RuntimeError("SHA256_Update failed")

    def state_hex(self) -> str:
        """The state now, as hex (what a part record keeps as its midstate)."""
        return bytes(ctypes.string_at(ctypes.byref(self._ctx), _STATE_BYTES)).hex()

    def hexdigest(self) -> str:
        """The sha256 of everything fed so far (the state itself is left as it is)."""
        copy = _Ctx()
        ctypes.memmove(ctypes.byref(copy), ctypes.byref(self._ctx), _STATE_BYTES)
        out = ctypes.create_string_buffer(32)
        if self._lib.SHA256_Final(out, ctypes.byref(copy)) != 1:
            raise RuntimeError("SHA256_Final failed")
        return out.raw.hex()


_LIB = _open_libcrypto()
if _LIB is not None and not _self_test(_LIB):
    _LIB = None

#: Whether states can be saved here (Linux with OpenSSL 1.1 or 3, and not turned off by the environment).
AVAILABLE = _LIB is not None


def load(state_hex: str | None = None) -> Sha256State | None:
    """A new sha256 (or one restored from ``state_hex``), or None where states cannot be saved (:data:`AVAILABLE`).

    The engine reads :data:`AVAILABLE` through this module at each upload, so a test can turn it off.
    """
    if _LIB is None or not AVAILABLE:
        return None
    return Sha256State(_LIB, state_hex)
