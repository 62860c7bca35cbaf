"""The gazetteer index on disk: one file of aligned arrays that every process maps read-only.

Layout: the magic ``CMGAZIDX``, the length of a JSON header (little-endian uint64), the header (``meta``:
small values such as demonyms and code tables; ``arrays``: name -> dtype, shape, offset), then each array at a
64-byte boundary. Opening the file maps it (``mmap``, read-only) and reads only the header: the arrays are
numpy views and memoryviews of the mapping, so opening takes milliseconds, pages are read when first touched,
and N processes on one host share one copy of them in the page cache.

Two structures over the arrays:

* :class:`StringColumn`: strings as one UTF-8 blob plus offsets; item ``k`` is decoded on demand;
* :class:`KeyTable`: a read-only open-addressing hash table (CRC-32, linear probing) from strings to their
  position in a :class:`StringColumn`, for exact name, skeleton and id look-ups without building a dict.
"""

from __future__ import annotations

import json
import mmap
import os
import sys
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

#: Version of the layout and content of the file; part of the default file name and of the fingerprint.
INDEX_FORMAT = 4
MAGIC = b"CMGAZIDX"
_ALIGN = 64
#: numpy dtype -> memoryview format for fast scalar reads (one Python int/float per index, no numpy scalar).
_FORMATS = {
    np.dtype(np.uint8): "B",
    np.dtype(np.uint16): "H",
    np.dtype(np.int32): "i",
    np.dtype(np.uint32): "I",
    np.dtype(np.int64): "q",
    np.dtype(np.float64): "d",
}


class IndexFormatError(ValueError):
    """The file is not a gazetteer index this version can read (truncated, foreign, other byte order)."""


def _aligned(n: int) -> int:
    return (n + _ALIGN - 1) // _ALIGN * _ALIGN


def write_index(path: Path, arrays: dict[str, np.ndarray], meta: dict[str, Any]) -> None:
    """Write ``arrays`` and ``meta`` to ``path`` atomically (a private temporary file, then a rename)."""
    toc: dict[str, dict[str, Any]] = {}
    parts: list[np.ndarray] = []
    offset = 0
    for name, arr in arrays.items():
        a = np.ascontiguousarray(arr)
        if a.dtype not in _FORMATS:
            raise TypeError(f"{name}: unsupported dtype {a.dtype}")
        toc[name] = {"dtype": a.dtype.str, "shape": list(a.shape), "offset": offset}
        parts.append(a)
        offset = _aligned(offset + a.nbytes)
    header = json.dumps({"byteorder": sys.byteorder, "meta": meta, "arrays": toc}, ensure_ascii=False).encode()
    start = _aligned(len(MAGIC) + 8 + len(header))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")  # concurrent builders never share a temp file
    try:
        with open(tmp, "wb") as fh:
            fh.write(MAGIC + len(header).to_bytes(8, "little") + header)
            for (_name, entry), a in zip(toc.items(), parts, strict=True):
                fh.seek(start + entry["offset"])
                fh.write(a.tobytes())
            fh.truncate(start + offset)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def _header(raw: bytes) -> dict[str, Any] | None:
    """The parsed JSON header, or None when it is not one."""
    try:
        header = json.loads(raw.decode())
    except ValueError:
        return None
    ok = isinstance(header, dict) and isinstance(header.get("meta"), dict) and isinstance(header.get("arrays"), dict)
    return header if ok else None


class IndexFile:
    """A read-only mapping of an index file: its header, and views of its arrays."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with open(path, "rb") as fh:
            try:
                self.mm = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
            except ValueError as exc:  # an empty file cannot be mapped
                raise IndexFormatError(f"{path}: empty file") from exc
        mm = self.mm
        if len(mm) < len(MAGIC) + 8 or mm[: len(MAGIC)] != MAGIC:
            raise IndexFormatError(f"{path}: not a conflict-map gazetteer index")
        n = int.from_bytes(mm[len(MAGIC) : len(MAGIC) + 8], "little")
        header = _header(mm[len(MAGIC) + 8 : len(MAGIC) + 8 + n] if len(MAGIC) + 8 + n <= len(mm) else b"")
        if header is None:
            raise IndexFormatError(f"{path}: damaged header")
        if header.get("byteorder") != sys.byteorder:
            raise IndexFormatError(f"{path}: written on a machine of another byte order")
        if header["meta"].get("format") != INDEX_FORMAT:
            found = header["meta"].get("format")
            raise IndexFormatError(f"{path}: index format {found}, this version reads format {INDEX_FORMAT}")
        self.meta: dict[str, Any] = header["meta"]
        self._toc: dict[str, dict[str, Any]] = header["arrays"]
        self._start = _aligned(len(MAGIC) + 8 + n)
        end = max((self._start + self._span(e)[1] for e in self._toc.values()), default=0)
        if end > len(mm):
            raise IndexFormatError(f"{path}: truncated ({len(mm):,} of {end:,} bytes)")

    def _span(self, entry: dict[str, Any]) -> tuple[int, int]:
        count = int(np.prod(entry["shape"], dtype=np.int64))
        return entry["offset"], entry["offset"] + count * np.dtype(entry["dtype"]).itemsize

    def _entry(self, name: str) -> dict[str, Any]:
        try:
            return self._toc[name]
        except KeyError:
            raise IndexFormatError(f"{self.path}: no array {name!r}") from None

    def has(self, name: str) -> bool:
        """Whether the file holds an array of this name."""
        return name in self._toc

    def offset(self, name: str) -> int:
        """Absolute byte offset of an array in the mapping."""
        return self._start + self._entry(name)["offset"]

    def array(self, name: str) -> np.ndarray:
        """A read-only numpy view of an array (for vector operations)."""
        e = self._entry(name)
        dtype = np.dtype(e["dtype"])
        count = int(np.prod(e["shape"], dtype=np.int64))
        return np.frombuffer(self.mm, dtype=dtype, count=count, offset=self.offset(name)).reshape(e["shape"])

    def view(self, name: str) -> memoryview:
        """A flat memoryview of a 1-d array: indexing it gives plain Python ints/floats, fast."""
        e = self._entry(name)
        a, b = self._span(e)
        return memoryview(self.mm)[self._start + a : self._start + b].cast(_FORMATS[np.dtype(e["dtype"])])


# --------------------------------------------------------------------------------------------
# Strings
# --------------------------------------------------------------------------------------------


def encode_strings(name: str, strings: Sequence[str]) -> dict[str, np.ndarray]:
    """Arrays of a :class:`StringColumn`: ``NAME.blob`` (UTF-8) and ``NAME.offsets`` (len + 1)."""
    encoded = [s.encode() for s in strings]
    offsets = np.zeros(len(encoded) + 1, dtype=np.uint32)
    offsets[1:] = np.cumsum(np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded)))
    return {f"{name}.blob": np.frombuffer(b"".join(encoded), dtype=np.uint8), f"{name}.offsets": offsets}


class StringColumn:
    """A column of strings in an index file; ``column[k]`` decodes string ``k``."""

    __slots__ = ("_base", "_mm", "_n", "_offs")

    def __init__(self, f: IndexFile, name: str) -> None:
        self._mm = f.mm
        self._base = f.offset(f"{name}.blob")
        self._offs = f.view(f"{name}.offsets")
        self._n = len(self._offs) - 1

    def __len__(self) -> int:
        return self._n

    def raw(self, k: int) -> bytes:
        """The UTF-8 bytes of string ``k``."""
        o = self._offs
        return self._mm[self._base + o[k] : self._base + o[k + 1]]

    def __getitem__(self, k: int) -> str:
        if k < 0:
            k += self._n
        o = self._offs
        return self._mm[self._base + o[k] : self._base + o[k + 1]].decode()

    def span(self, lo: int, hi: int) -> bytes:
        """The bytes of strings ``lo`` to ``hi - 1``, concatenated."""
        return self._mm[self._base + self._offs[lo] : self._base + self._offs[hi]]

    def to_list(self) -> list[str]:
        """Every string, decoded (for small tables)."""
        return [self[k] for k in range(self._n)]


# --------------------------------------------------------------------------------------------
# Hash table
# --------------------------------------------------------------------------------------------


#: The hash of the key tables: CRC-32 of the UTF-8 bytes (stable across processes and runs, unlike ``hash``).
_hash = zlib.crc32


def encode_key_table(name: str, keys: Sequence[str]) -> dict[str, np.ndarray]:
    """Arrays of a :class:`KeyTable` over distinct ``keys`` (key ``k`` is found at position ``k``)."""
    arrays = encode_strings(name, keys)
    capacity = 1 << max(4, (2 * len(keys) - 1).bit_length())  # load factor at most 1/2
    mask = capacity - 1
    slots = [-1] * capacity
    hashes = [0] * len(keys)
    for k, key in enumerate(keys):
        h = _hash(key.encode())
        hashes[k] = h
        i = h & mask
        while slots[i] >= 0:
            i = (i + 1) & mask
        slots[i] = k
    arrays[f"{name}.slots"] = np.asarray(slots, dtype=np.int32)
    arrays[f"{name}.hashes"] = np.asarray(hashes, dtype=np.uint32)
    return arrays


class KeyTable(StringColumn):
    """Strings with a hash index: :meth:`find` gives a string's position, or -1."""

    __slots__ = ("_hashes", "_mask", "_slots")

    def __init__(self, f: IndexFile, name: str) -> None:
        super().__init__(f, name)
        self._slots = f.view(f"{name}.slots")
        self._hashes = f.view(f"{name}.hashes")
        self._mask = len(self._slots) - 1

    def find(self, key: str) -> int:
        """Position of ``key``, or -1 when absent (any string: lone surrogates simply find nothing)."""
        kb = key.encode("utf-8", "surrogatepass")
        h = _hash(kb)
        slots, hashes, offs, mm, base, mask = self._slots, self._hashes, self._offs, self._mm, self._base, self._mask
        i = h & mask
        while True:
            k = slots[i]
            if k < 0:
                return -1
            if hashes[k] == h and mm[base + offs[k] : base + offs[k + 1]] == kb:
                return k
            i = (i + 1) & mask

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.find(key) >= 0


__all__ = [
    "INDEX_FORMAT",
    "IndexFile",
    "IndexFormatError",
    "KeyTable",
    "StringColumn",
    "encode_key_table",
    "encode_strings",
    "write_index",
]
