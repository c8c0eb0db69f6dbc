"""``cache.write_arrays`` / ``read_arrays``: the flat file every array cache uses (timetables,
frequency data). What goes in comes back (dtype, shape, values, writable), and anything else on
disk is a ValueError, which the caches answer by rebuilding."""

from __future__ import annotations

import numpy as np
import pytest

from hbeu_transit.cache import _MAGIC, read_arrays, write_arrays


def _arrays():
    rng = np.random.default_rng(3)
    return {"i32": rng.integers(-5, 10**6, 1001).astype(np.int32), "empty": np.zeros(0, np.int64),
            "flags": rng.random(7) < 0.5, "lat": rng.random(13), "grid": np.arange(12, dtype=">i2").reshape(3, 4),
            "names": np.array(["呼和浩特", "b", ""]), "one": np.float32(2.5) * np.ones(1, np.float32),
            "scalar": np.array(7, dtype=np.uint8), "strided": np.arange(20, dtype=np.int64)[::3]}


def test_arrays_and_record_come_back_as_written(tmp_path):
    path, arrays = tmp_path / "a.arrays", _arrays()
    meta = {"names": ["包头", None, "x"], "key": "k", "nested": {"a": [1, 2.5]}}
    write_arrays(path, arrays, meta, 9)
    got, record = read_arrays(path, 9)
    assert record == {**meta, "format": 9}
    assert list(got) == list(arrays)
    for name, want in arrays.items():
        assert got[name].dtype == want.dtype and got[name].shape == want.shape, name
        assert np.array_equal(got[name], want), name
    got["i32"][0] = 12345                       # writable, as np.load's arrays were
    assert got["i32"][0] == 12345 and got["i32"][1] == arrays["i32"][1]
    body = path.read_bytes()
    assert body.startswith(_MAGIC)
    start = len(body) - arrays["strided"].nbytes          # the last array ends the file, aligned
    assert start % 64 == 0 and body[start:] == arrays["strided"].tobytes()


def test_other_versions_and_damaged_files_are_value_errors(tmp_path):
    path = tmp_path / "a.arrays"
    write_arrays(path, _arrays(), {"k": 1}, 2)
    with pytest.raises(ValueError, match="stale"):
        read_arrays(path, 3)
    good = path.read_bytes()
    n = int.from_bytes(good[len(_MAGIC):len(_MAGIC) + 8], "little")
    bad = [b"", b"not a cache file", good[: len(good) // 2], good[:-1], good[: len(_MAGIC) + 12],
           good[:len(_MAGIC)] + (10**9).to_bytes(8, "little") + good[len(_MAGIC) + 8:],
           good.replace(b'"<i4"', b'"|O8"'), good.replace(b'"meta"', b'"mata"'),
           good[:len(_MAGIC) + 8] + b"\xff" + good[len(_MAGIC) + 9:],
           good.replace(b"[1001]", b"[9001]"), good[:len(_MAGIC) + 8 + n - 1] + b"[" + good[len(_MAGIC) + 8 + n:]]
    for b in bad:
        path.write_bytes(b)
        with pytest.raises(ValueError):
            read_arrays(path, 2)
    with pytest.raises(ValueError):
        read_arrays(tmp_path / "missing.arrays", 2)


def test_object_arrays_are_refused(tmp_path):
    with pytest.raises(TypeError, match="objects"):
        write_arrays(tmp_path / "a.arrays", {"o": np.array([None, "a"], dtype=object)}, {}, 1)
    assert not list(tmp_path.iterdir())
