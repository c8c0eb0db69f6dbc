"""Hostile feeds are refused with one line and exit 2 before they cost memory or time (feed.limits).

The zip bomb is built by hand: a raw DEFLATE stream of one literal newline followed by copies
of "258 bytes at distance 1" in fixed Huffman codes (13 bits each), so a 3.8 MB zip holds a
stop_times.txt of 599 MB (159:1, the most fixed codes allow) without compressing anything.
The same builder at a small size is checked against zlib, so the big one is a real, valid zip.
"""

from __future__ import annotations

import os
import struct
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pytest
from conftest import TEST_DATA, run_hbeu
from gtfs_factory import make_feed

from hbeu_transit.errors import FeedError
from hbeu_transit.feed import load_feeds
from hbeu_transit.feed.limits import ENV

#: The bomb: 1 + 258 * (1 + 8 * BOMB_BLOCKS) newlines, and their CRC-32 (computed once with
#: zlib.crc32 over that many b"\n"; the builder's CRC is checked at a small size below).
BOMB_BLOCKS = 290_000
BOMB_SIZE = 1 + 258 * (1 + 8 * BOMB_BLOCKS)
BOMB_CRC = 0x952E9F3F


class Bits:
    """A DEFLATE bit writer: fields LSB-first, Huffman codes MSB-first."""

    def __init__(self) -> None:
        self.bits: list[int] = []

    def field(self, value: int, n: int) -> None:
        self.bits += [(value >> i) & 1 for i in range(n)]

    def code(self, value: int, n: int) -> None:
        self.bits += [(value >> i) & 1 for i in reversed(range(n))]

    def bytes(self) -> bytes:
        b = self.bits + [0] * (-len(self.bits) % 8)
        return bytes(sum(b[i + j] << j for j in range(8)) for i in range(0, len(b), 8))


def newline_run(blocks: int) -> tuple[bytes, int]:
    """(raw DEFLATE bytes, inflated size) of 1 + 258 * (1 + 8 * blocks) newlines."""
    head = Bits()
    head.field(1, 1)                  # BFINAL
    head.field(1, 2)                  # BTYPE 01: fixed Huffman codes
    head.code(0x30 + ord("\n"), 8)    # literal "\n"
    head.code(0xC5, 8)                # length 258 (symbol 285)
    head.code(0, 5)                   # distance 1
    assert len(head.bits) == 24       # byte aligned, so the 8-copy pattern is whole bytes
    eight = Bits()
    for _ in range(8):
        eight.code(0xC5, 8)
        eight.code(0, 5)
    tail = Bits()
    tail.code(0, 7)                   # end of block (symbol 256)
    return head.bytes() + eight.bytes() * blocks + tail.bytes(), 1 + 258 * (1 + 8 * blocks)


def raw_zip(path: Path, members: list[tuple[str, bytes, int, int]], external_attr: int = 0) -> Path:
    """A zip of already-deflated members (name, raw deflate, size, crc), written byte by byte."""
    out, central = bytearray(), bytearray()
    for name, data, size, crc in members:
        n = name.encode()
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(data), size, len(n), 0) + n + data
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 0x0314, 20, 0, 8, 0, 0, crc, len(data), size,
                               len(n), 0, 0, 0, 0, external_attr, offset) + n
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(out), 0)
    path.write_bytes(bytes(out + central + end))
    return path


def small_tables() -> dict[str, bytes]:
    """The text files of a tiny valid feed."""
    folder = make_feed(Path(os.environ.get("TMPDIR", "/tmp")) / f"hbeu-hostile-{os.getpid()}",
                       stops=[("A", 0.0, 0.0), ("B", 0.0, 0.01)],
                       stop_times={"T1": [("A", "08:00:00", "08:00:00"), ("B", "08:10:00", "08:10:00")]})
    out = {p.name: p.read_bytes() for p in folder.iterdir()}
    for p in folder.iterdir():
        p.unlink()
    folder.rmdir()
    return out


def deflated(data: bytes) -> bytes:
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def feed_zip(path: Path, replace: dict[str, tuple[bytes, int, int]] | None = None, **kw) -> Path:
    """A tiny valid feed as a zip; ``replace`` swaps members for (raw deflate, size, crc)."""
    members = []
    for name, data in small_tables().items():
        members.append((name, deflated(data), len(data), zlib.crc32(data)))
    for name, (raw, size, crc) in (replace or {}).items():
        members = [m for m in members if m[0] != name.split("/")[-1]] + [(name, raw, size, crc)]
    return raw_zip(path, members, **kw)


def test_the_bomb_builder_makes_valid_deflate():
    raw, size = newline_run(3)
    assert zlib.decompress(raw, -15) == b"\n" * size
    z = feed_zip(Path(os.environ.get("TMPDIR", "/tmp")) / f"hbeu-small-bomb-{os.getpid()}.zip",
                 {"stop_times.txt": (raw, size, zlib.crc32(b"\n" * size))})
    try:
        with zipfile.ZipFile(z) as zf:
            assert zf.testzip() is None and zf.read("stop_times.txt") == b"\n" * size
    finally:
        z.unlink()


@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> Path:
    raw, size = newline_run(BOMB_BLOCKS)
    assert size == BOMB_SIZE
    return feed_zip(tmp_path_factory.mktemp("bomb") / "bomb.zip", {"stop_times.txt": (raw, size, BOMB_CRC)})


def test_zip_bomb_is_refused_from_the_zip_directory(bomb, monkeypatch):
    """Refused before stop_times.txt is opened: nothing inflated, a few MB of memory at most."""
    opened: list[str] = []
    real_open = zipfile.ZipFile.open

    def spy(self, name, *a, **k):
        opened.append(getattr(name, "filename", name))
        return real_open(self, name, *a, **k)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    monkeypatch.delenv(ENV, raising=False)
    assert bomb.stat().st_size < 4_000_000 and BOMB_SIZE > 150 * bomb.stat().st_size
    tracemalloc.start()
    try:
        with pytest.raises(FeedError, match=r"bomb\.zip/stop_times\.txt: inflates to 599 MB, over the 512 MB limit per file"):
            load_feeds([bomb])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert opened == []
    assert peak < 5_000_000


def test_zip_bomb_cli_one_line_exit_2(bomb):
    r = run_hbeu("info", "--feed", str(bomb))
    assert r.returncode == 2
    assert r.stderr.strip().splitlines() == [
        "error: bomb.zip/stop_times.txt: inflates to 599 MB, over the 512 MB limit per file; "
        "raise it with --max-feed-mb if the feed is really that big"]


def test_raising_the_limit_lets_the_ratio_check_refuse_the_bomb(bomb, monkeypatch):
    monkeypatch.setenv(ENV, "2000")
    with pytest.raises(FeedError, match=r"stop_times\.txt: compresses 159:1, over the 100:1 limit \(a zip bomb\?\)"):
        load_feeds([bomb])


def test_declared_size_that_lies_is_caught_while_reading(tmp_path, monkeypatch):
    """The directory says 1,000 bytes; the data inflates to 5 MB: reading stops at the declared
    size and the CRC fails, or the byte count passes the limit: either way one FeedError."""
    data = b"trip_id,arrival_time,departure_time,stop_id,stop_sequence\n" + b"T1,08:00:00,08:00:00,A,1\n" * 200_000
    z = feed_zip(tmp_path / "liar.zip", {"stop_times.txt": (deflated(data), 1000, zlib.crc32(data))})
    with pytest.raises(FeedError, match=r"liar\.zip(/stop_times\.txt)?: cannot be read"):
        load_feeds([z])
    monkeypatch.setenv(ENV, "1")     # 1 MB limit; the directory now claims a size under it
    z = feed_zip(tmp_path / "liar2.zip", {"stop_times.txt": (deflated(data), 900_000, zlib.crc32(data))})
    with pytest.raises(FeedError, match=r"liar2\.zip(/stop_times\.txt)?: cannot be read"):
        load_feeds([z])


def test_stream_limit_counts_bytes_not_declarations():
    """Budget.read stops one chunk past the limit whatever the file claims."""
    import io

    from hbeu_transit.feed.limits import CHUNK, Budget, Limits

    b = Budget("f", Limits(file_bytes=3 * CHUNK, total_bytes=10 * CHUNK))
    with pytest.raises(FeedError, match=r"f/x\.txt: inflates past 3\.1 MB, the limit per file \(more than its declared"):
        b.read("x.txt", io.BytesIO(b"\0" * (5 * CHUNK)))
    b = Budget("f", Limits(file_bytes=10 * CHUNK, total_bytes=4 * CHUNK))
    assert len(b.read("a.txt", io.BytesIO(b"a" * (3 * CHUNK)))) == 3 * CHUNK
    with pytest.raises(FeedError, match=r"f/b\.txt: the feed inflates past 4\.2 MB, the limit per feed"):
        b.read("b.txt", io.BytesIO(b"b" * (2 * CHUNK)))


def test_size_limits_name_the_file_and_can_be_raised(monkeypatch):
    caltrain = TEST_DATA / "caltrain.zip"
    # shapes.txt (174,421 bytes) fits 0.175 MB, stop_times.txt (177,866 bytes) does not
    monkeypatch.setenv(ENV, "0.175")
    msg = "caltrain.zip/stop_times.txt: inflates to 177,866 bytes, over the 175,000 bytes limit per file"
    with pytest.raises(FeedError, match=msg.replace(".", r"\.")):
        load_feeds([caltrain])
    monkeypatch.delenv(ENV)
    r = run_hbeu("--max-feed-mb", "0.175", "info", "--feed", str(caltrain))
    assert r.returncode == 2
    assert r.stderr.strip().splitlines() == [f"error: {msg}; raise it with --max-feed-mb if the feed is really that big"]
    r = run_hbeu("--max-feed-mb", "50", "info", "--feed", str(caltrain), "--json")
    assert r.returncode == 0, r.stderr


def test_total_limit_counts_every_file(monkeypatch, tmp_path):
    tables = small_tables()
    total = sum(len(v) for v in tables.values())
    monkeypatch.setenv(ENV, str((total - 1) / 1e6))
    folder = tmp_path / "f"
    folder.mkdir()
    for name, data in tables.items():
        (folder / name).write_bytes(data)
    with pytest.raises(FeedError, match=rf"^f: inflates to {total:,} bytes in all, over the {total - 1:,} bytes limit per feed"):
        load_feeds([folder])


@pytest.mark.parametrize("name", ["../stops.txt", "/etc/stops.txt", "a/../../stops.txt"])
def test_zip_entries_with_unsafe_paths_are_refused(tmp_path, name):
    data = small_tables()["stops.txt"]
    z = feed_zip(tmp_path / "evil.zip", {name: (deflated(data), len(data), zlib.crc32(data))})
    with pytest.raises(FeedError, match=rf"evil\.zip/{name}: entry has an absolute path or '\.\.' in it"):
        load_feeds([z])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["evil.zip"]   # nothing extracted


def test_zip_symlink_entries_are_refused(tmp_path):
    target = b"/etc/passwd"
    z = raw_zip(tmp_path / "link.zip", [(n, deflated(d), len(d), zlib.crc32(d)) for n, d in small_tables().items()
                                        if n != "stops.txt"])
    with zipfile.ZipFile(z, "a") as zf:
        info = zipfile.ZipInfo("stops.txt")
        info.external_attr = (0o120777 << 16)        # a symbolic link
        zf.writestr(info, target)
    with pytest.raises(FeedError, match=r"link\.zip/stops\.txt: entry is a symbolic link"):
        load_feeds([z])


def test_folder_file_that_is_a_device_is_refused(tmp_path):
    folder = tmp_path / "f"
    folder.mkdir()
    for name, data in small_tables().items():
        (folder / name).write_bytes(data)
    (folder / "stop_times.txt").unlink()
    (folder / "stop_times.txt").symlink_to("/dev/zero")
    with pytest.raises(FeedError, match=r"f/stop_times\.txt: is not a regular file"):
        load_feeds([folder])
    r = run_hbeu("info", "--feed", str(folder))
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "not a regular file" in r.stderr
