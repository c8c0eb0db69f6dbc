"""The cache folder and the content hashes that key every cache (timetables, place index)."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["ARRAYS_SUFFIX", "default_cache_dir", "feeds_digest", "fields_from", "file_sha256", "read_arrays",
           "split_fields", "write_arrays"]


def default_cache_dir() -> Path:
    """$HBEU_CACHE_DIR, else $XDG_CACHE_HOME/hbeu-transit, else ~/.cache/hbeu-transit."""
    env = os.environ.get("HBEU_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "hbeu-transit"


#: digests computed in this process, by (path, (name, size, mtime) of each file hashed)
_DIGESTS: dict[tuple, str] = {}
#: how long a file must have stood unchanged before its digest is remembered
_SETTLED_NS = 2_000_000_000


def file_sha256(path: str | Path, cache_dir: str | Path | None = None) -> str:
    """sha256 of a feed: a zip's bytes (what ``sha256sum`` prints), or a folder's .txt files
    (name, then bytes, in name order). The one content hash of every cache key and of the
    feed record in exports (``FeedSource.sha256``).

    Hashed once per process while the files keep their size and modification time (the place
    index and the timetable cache key both ask: hart's 3.5 MB zip costs ~6 ms a time); with
    ``cache_dir``, also remembered there across processes, keyed by each file's path, size,
    modification and change times and inode (a rewrite or a replacement changes the change
    time, which no one can set), so a warm ``hbeu plan`` does not hash the feed again. Files
    written in the last two seconds are hashed every time, as a rewrite within the clock's
    granularity would keep the times."""
    p = Path(path)
    files = sorted(f for f in p.iterdir() if f.is_file() and f.suffix == ".txt") if p.is_dir() else [p]
    stats = [f.stat() for f in files]
    stamp = (str(p.resolve()), tuple((f.name, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)
                                     for f, st in zip(files, stats)))
    digest = _DIGESTS.get(stamp)
    if digest is not None:
        return digest
    now = time.time_ns()
    settled = all(now - st.st_mtime_ns > _SETTLED_NS for st in stats)
    # the memo outlives this process: its key's change times must have settled too
    memo = _memo_path(cache_dir, stamp) if cache_dir is not None and settled and all(
        now - st.st_ctime_ns > _SETTLED_NS for st in stats) else None
    if memo is not None:
        try:
            digest = memo.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            digest = None
        if digest is not None and (len(digest) != 64 or not all(c in "0123456789abcdef" for c in digest)):
            digest = None
    if digest is None:
        digest = _sha256(p, files)
        if memo is not None:
            write_memo(memo, digest.encode("ascii"))
    if settled:
        _DIGESTS[stamp] = digest
    return digest


def write_memo(path: Path, data: bytes) -> None:
    """Keep a small computed answer in the cache (atomically); a read-only cache only costs
    computing it again next time."""
    from .atomic import write_bytes_atomic

    try:
        write_bytes_atomic(path, data, make_dirs=True)
    except OSError:
        pass


def _memo_path(cache_dir: str | Path, stamp: tuple) -> Path:
    """Where the digest of the files ``stamp`` describes is remembered (one tiny file each)."""
    key = hashlib.sha256(repr(stamp).encode()).hexdigest()[:32]
    return Path(cache_dir) / "digests" / f"{key}.sha256"


def _sha256(p: Path, files: list[Path]) -> str:
    from .errors import FeedError

    h = hashlib.sha256()
    for f in files:
        if p.is_dir():
            h.update(f.name.encode())
        try:
            with open(f, "rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    h.update(chunk)
        except OSError as e:   # a feed the user may not read: one line naming it, no traceback
            raise FeedError(str(f), f"cannot be read ({e.strerror or e})") from None
    return h.hexdigest()


def feeds_digest(paths: Sequence[str | Path], area_csv: str | Path | None = None,
                 cache_dir: str | Path | None = None) -> str:
    """The key of merged feeds: each feed's name (which prefixes clashing ids), order and
    content, and the user's areas CSV when given. Every cache derived from the feeds (timetables,
    place index) is keyed on it, so they all follow the same inputs. ``cache_dir``: where file
    digests are remembered across processes (``file_sha256``)."""
    h = hashlib.sha256()
    for p in map(Path, paths):
        h.update(f"{p.stem if p.is_file() else p.name}:{file_sha256(p, cache_dir)};".encode())
    if area_csv is not None:
        h.update(f"areas:{file_sha256(area_csv, cache_dir)};".encode())
    return h.hexdigest()


#: the suffix of files written by ``write_arrays``
ARRAYS_SUFFIX = ".arrays"
#: their first bytes (the layout's name and version)
_MAGIC = b"HBEUARR\x01"
#: every array starts at a multiple of this many bytes from the data's start
_ALIGN = 64


def _aligned(n: int) -> int:
    return -(-n // _ALIGN) * _ALIGN


def write_arrays(path: str | Path, arrays: dict[str, Any], meta: dict[str, Any], version: int) -> None:
    """Write numpy ``arrays`` and a JSON-able ``meta`` record (tagged with the format ``version``)
    to ``path`` atomically, as one flat file: ``_MAGIC``, the header's length (8 bytes,
    little-endian), the header (UTF-8 JSON: the record, and each array's name, dtype, shape and
    offset), then the arrays' bytes, each 64-byte aligned. Reading it back is one read and one
    JSON parse; an .npz costs ~0.3 ms more per array (a zip member, its CRC, a header parsed
    with ``ast``): ~8 ms of a warm `hbeu plan` on hart's 25 arrays."""
    import json

    import numpy as np

    from .atomic import atomic_path

    data = [np.asarray(a) for a in arrays.values()]   # tobytes() writes C order whatever the strides
    specs, offset = [], 0
    for name, a in zip(arrays, data):
        if a.dtype.hasobject:
            raise TypeError(f"array {name!r} holds Python objects")
        specs.append([name, a.dtype.str, list(a.shape), offset])
        offset = _aligned(offset + a.nbytes)
    header = json.dumps({"meta": {**meta, "format": version}, "arrays": specs}, ensure_ascii=False).encode()
    head = _MAGIC + len(header).to_bytes(8, "little") + header
    base = _aligned(len(head))
    with atomic_path(path, make_dirs=True) as tmp, open(tmp, "wb") as fh:
        fh.write(head)
        for (_, _, _, at), a in zip(specs, data):
            fh.write(bytes(base + at - fh.tell()))   # zeros up to the array's aligned start
            fh.write(a.tobytes())


def read_arrays(path: str | Path, version: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """(arrays, meta) of a file written by ``write_arrays``; ValueError when it is of another
    format version or unreadable (a cache then rebuilds it). The arrays are writable views of
    one buffer read at once."""
    import json

    import numpy as np

    try:
        with open(path, "rb") as fh:
            buf = bytearray(os.fstat(fh.fileno()).st_size)
            if fh.readinto(buf) != len(buf):
                raise ValueError("cache file changed while read")
        if buf[:len(_MAGIC)] != _MAGIC:
            raise ValueError("not a cache file of this layout")
        n = int.from_bytes(buf[len(_MAGIC):len(_MAGIC) + 8], "little")
        end = len(_MAGIC) + 8 + n
        head = json.loads(buf[len(_MAGIC) + 8:end].decode())
        meta = head["meta"]
        if meta.get("format") != version:
            raise ValueError("stale cache file")
        base = _aligned(end)
        arrays = {}
        for name, dtype, shape, offset in head["arrays"]:
            kind = np.dtype(dtype)
            if kind.hasobject:
                raise ValueError(f"array {name!r} of Python objects")
            count = 1
            for k in shape:
                count *= k
            arrays[name] = np.frombuffer(buf, kind, count, base + offset).reshape(shape)
    except ValueError:
        raise
    except Exception as e:  # OSError, KeyError, TypeError of a damaged header...
        raise ValueError(f"unreadable cache file ({type(e).__name__}: {e})") from None
    return arrays, meta


def split_fields(obj: Any, skip: Sequence[str] = ()) -> tuple[dict[str, Any], dict[str, Any]]:
    """A dataclass instance's fields (but ``skip``) for ``write_arrays``: (the numpy arrays, the
    other values, which go in the JSON record)."""
    import dataclasses

    import numpy as np

    arrays: dict[str, Any] = {}
    meta: dict[str, Any] = {}
    for f in dataclasses.fields(obj):
        if f.name not in skip:
            v = getattr(obj, f.name)
            (arrays if isinstance(v, np.ndarray) else meta)[f.name] = v
    return arrays, meta


def fields_from(cls: type, arrays: dict[str, Any], meta: dict[str, Any], skip: Sequence[str] = ()) -> dict[str, Any]:
    """The keyword arguments of dataclass ``cls`` (but ``skip``) from what ``read_arrays`` gave:
    each field from the arrays, else from the record; ValueError when the file lacks one."""
    import dataclasses

    kw: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.name in skip:
            continue
        if f.name in arrays:
            kw[f.name] = arrays[f.name]
        elif f.name in meta:
            kw[f.name] = meta[f.name]
        else:
            raise ValueError(f"cache file lacks {f.name}")
    return kw
