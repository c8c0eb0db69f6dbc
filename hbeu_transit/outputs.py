"""Where a command's outputs go (-o, --png, --map...): checked before any work, written safely.

Every command that writes files does the same three steps:

1. ``target(path, option, formats, fmt=...)`` per output: the format follows the file
   extension, and a ``--format`` that contradicts it is an error (not a mislabelled file);
   ``-`` means standard output (in the option's only format when it has one: ``--png -``).
2. ``check(*targets)`` before any slow work: every output must be writable (its folder exists
   and takes a file; an existing file, device or FIFO can be opened for writing; a /dev/fd/N is
   open for writing), binary output does not go to a terminal, two outputs do not share a path,
   and an output to ``-`` does not share standard output with what the command prints itself
   (``--json``, ``--format csv``).
   Nothing is written unless all can be: the first problem is one InputError line.
   Then an existing FIFO is opened for writing, as the shell's ``cmd > fifo`` does before the
   command runs: the wait for its reader comes before the work, not after it (Ctrl-C while
   waiting has written nothing), and a FIFO nobody will read does not cost the work first.
   An output to ``-`` owns standard output: the command then prints no table of its own
   (``owns_stdout``).
3. ``with writing(t) as tmp:`` render the whole output into ``tmp``; on success it lands:
   a regular file (or a new one) by atomic rename beside it, keeping the old file's permissions
   or the umask's; a symlink is followed, so the link stays and its target gets the content; a
   device, FIFO or socket is written through, never replaced; a name for one of this process's
   open descriptors (``/dev/stdout``, ``/dev/stderr``, ``/dev/fd/N`` as bash's ``>(...)`` gives,
   ``/proc/self/fd/N``) is written to that descriptor, and ``/dev/stdout`` is ``-`` in every way;
   ``-`` goes to standard output. On failure or Ctrl-C nothing is left behind.

A stream (anything but a regular file or a new one) takes the format ``-`` would when its name
has no known extension (``scenario apply -o /dev/null``).

Standard library only.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import stat
import sys
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from .atomic import atomic_path
from .errors import InputError

STDOUT = "-"
#: The files delivered so far by this run (their labels), for the Ctrl-C line of a command that
#: writes several: the pictures may be in place when the table is interrupted.
DELIVERED: list[str] = []
#: FIFOs ``check`` opened for writing (real path -> descriptor), until ``writing`` delivers to them
_OPEN_FIFOS: dict[str, int] = {}
#: every FIFO ``check`` opened in this run (real paths): its reader has been given an end already
_OPENED_FIFOS: set[str] = set()
#: the options that name an output, as every command spells them (for ``unblock_readers``)
OUTPUT_OPTIONS = ("-o", "--output", "--png", "--map")


@dataclass(frozen=True)
class Target:
    """One output: the option that named it, where it goes (None = standard output), its format."""

    option: str
    path: Path | None
    fmt: str
    binary: bool = False
    #: the open descriptor of this process that ``path`` names (/dev/stderr, /dev/fd/N), if any
    fd: int | None = None

    @property
    def to_stdout(self) -> bool:
        return self.path is None

    @property
    def label(self) -> str:
        return "standard output" if self.path is None else str(self.path)

    @property
    def is_regular(self) -> bool:
        """Whether the output lands in a regular file (new or existing, symlinks followed)."""
        if self.path is None or self.fd is not None:
            return False
        try:
            return stat.S_ISREG(os.stat(self.path).st_mode)
        except OSError:
            return True  # a new file


_FD_NAME = re.compile(r"/(?:dev|proc/(self|thread-self|\d+))/fd/(\d+)")


def _own_fd(path: str) -> int | None:
    """The descriptor of this process that ``path`` names (``/dev/fd/N``, ``/proc/self/fd/N``, or a
    symlink to one, as ``/dev/stdout`` is), else None. Such a name cannot be resolved to a file in a
    folder (a pipe has none) and must not be: it means the descriptor the shell handed over."""
    p = os.path.abspath(path)
    for _ in range(40):  # the kernel's own limit on a symlink chain
        m = _FD_NAME.fullmatch(p)
        if m and (m[1] is None or not m[1].isdigit() or int(m[1]) == os.getpid()):
            return int(m[2])
        try:
            p = os.path.normpath(os.path.join(os.path.dirname(p), os.readlink(p)))
        except OSError:  # not a symlink, or not there
            return None
    return None


def is_stream(path: str) -> bool:
    """Whether ``path`` is written through rather than replaced: an open descriptor's name, or an
    existing file that is not a regular one or a folder (device, FIFO, socket)."""
    if _own_fd(path) is not None:
        return True
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def refuse_folder(path: str | Path | None, option: str) -> None:
    """InputError "cannot write PATH (OPTION): it is a folder" when ``path`` names an existing
    folder: said before the format is read from the extension, since no --format would help."""
    if path is not None and str(path) != STDOUT and os.path.isdir(path):
        raise InputError(f"cannot write {str(Path(path))!r} ({option}): it is a folder")


def target(path: str | Path | None, option: str, formats: Mapping[str, str], *, fmt: str | None = None,
           default: str | None = None, binary: frozenset[str] | set[str] = frozenset(),
           has_format: bool = True, fmt_flag: str | None = None) -> Target | None:
    """The output named by ``option`` (None when not given).

    ``formats``: file extension (".csv") -> format name; ``fmt``: the user's --format;
    ``default``: the format of ``-`` when --format is not given; ``binary``: formats that are
    bytes, not text (refused on a terminal); ``has_format``: whether the command takes --format
    (else no error suggests it); ``fmt_flag``: how the user gave ``fmt`` when not as
    ``--format FMT`` (e.g. "--json"), for the error when it contradicts the extension.
    """
    if path is None:
        return None
    refuse_folder(path, option)
    text = str(path)
    names = sorted(set(formats.values()))
    if fmt is not None:
        fmt = fmt.strip().lower()
        if fmt not in names:
            raise InputError(f"unknown format {fmt!r} for {option}: choose from {', '.join(names)}")
    fd = None if text == STDOUT else _own_fd(text)
    ext = Path(text).suffix.lower()
    by_ext = None if text == STDOUT else formats.get(ext)
    if by_ext is None and (text == STDOUT or is_stream(text)):
        kind = fmt or default or (names[0] if len(names) == 1 else None)
        if kind is None:
            where = "writes to standard output" if text == STDOUT else "has no extension naming a format"
            raise InputError(f"{option} {text} {where}: say which format with --format "
                             f"({', '.join(names)})")
    elif by_ext is None:
        if fmt is None:
            exts = ", ".join(sorted(formats))
            raise InputError(f"cannot tell the format of {text!r} from its extension: use one of {exts}"
                             + (" or pass --format" if len(names) > 1 and has_format else ""))
        kind = fmt
    elif fmt is not None and fmt != by_ext:
        flag = fmt_flag or f"--format {fmt}"
        raise InputError(f"{flag} contradicts {option} {text!r}, which names a {by_ext} file: "
                         f"drop {flag.split()[0]} or rename the file")
    else:
        kind = by_ext
    if text == STDOUT or fd == 1:  # /dev/stdout is standard output, with all that `-` means
        return Target(option, None, kind, kind in binary)
    return Target(option, Path(text), kind, kind in binary, fd)


def _why_not_writable(t: Target) -> str | None:
    """None when ``t`` can be written, else the reason (for "cannot write PATH: reason")."""
    if t.path is None:
        if sys.stdout is None:  # started with it closed (>&-)
            return "it is closed"
        if t.binary and sys.stdout.isatty():
            return f"{t.fmt} is binary and standard output is a terminal; redirect it (> file) or give a file"
        return None
    if t.fd is not None:
        import fcntl  # (POSIX only; only such descriptor names come here)

        try:
            mode = fcntl.fcntl(t.fd, fcntl.F_GETFL) & os.O_ACCMODE
        except OSError:
            return f"descriptor {t.fd} is not open"
        if mode == os.O_RDONLY:
            return f"descriptor {t.fd} is open only for reading"
        if t.binary and os.isatty(t.fd):
            return f"{t.fmt} is binary and descriptor {t.fd} is a terminal; redirect it or give a file"
        return None
    real = Path(os.path.realpath(t.path))
    try:  # the name itself, links followed: /proc/PID/fd/N of a pipe is one whose target no path names
        st = os.stat(t.path)
    except FileNotFoundError:
        st = None
    except OSError as e:
        return e.strerror or str(e)
    if st is not None and stat.S_ISDIR(st.st_mode):
        return "it is a folder"
    if st is not None and not os.access(t.path, os.W_OK):
        return "permission denied"
    if st is not None and not stat.S_ISREG(st.st_mode):
        return None  # a device, FIFO or socket: written through
    folder = real.parent
    if not folder.exists():
        return f"folder {str(t.path.parent)!r} does not exist"
    if not folder.is_dir():
        return f"{str(t.path.parent)!r} is not a folder"
    try:  # the real test: can a file be made there (read-only mounts, root on /sys...)
        fd, probe = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".probe", dir=folder)
    except OSError as e:
        return f"folder {str(t.path.parent)!r} cannot be written ({e.strerror or e})"
    os.close(fd)
    os.unlink(probe)
    return None


def check(*targets: Target | None, printing: str | None = None) -> list[Target]:
    """Check every output before any work starts; InputError ("cannot write ...") on the first
    that cannot be written. ``printing``: the option by which the command itself prints data to
    standard output (e.g. "--json"), None when it prints only a table (dropped when an output
    takes standard output). Returns the targets that were given."""
    given = [t for t in targets if t is not None]
    seen: dict[str, Target] = {}
    for t in given:
        key = STDOUT if t.path is None else os.path.realpath(t.path)
        if key in seen:
            raise InputError(f"{seen[key].option} and {t.option} both write to {t.label}: give them different files")
        seen[key] = t
        if t.path is None and printing is not None:
            raise InputError(f"{t.option} - and {printing} both write to standard output: give {t.option} a file")
    for t in given:
        why = _why_not_writable(t)
        if why is not None:
            raise InputError(f"cannot write {t.label!r} ({t.option}): {why}")
    for t in given:  # only once every output passed: the wait for a reader is the last step
        _open_fifo(t)
    return given


def _open_fifo(t: Target) -> None:
    """Open ``t`` for writing now when it is a FIFO, as the shell's ``> fifo`` does: this waits
    until a process opens it for reading (the shell's redirection waits the same way, before the
    command starts); ``_send`` writes through the descriptor later."""
    if t.path is None or t.fd is not None:
        return
    try:
        if not stat.S_ISFIFO(os.stat(t.path).st_mode):
            return
    except OSError:
        return
    key = os.path.realpath(t.path)
    if key not in _OPEN_FIFOS:
        try:
            _OPEN_FIFOS[key] = os.open(t.path, os.O_WRONLY | os.O_CLOEXEC)
        except OSError as e:
            raise InputError(f"cannot write {t.label!r} ({t.option}): {e.strerror or e}") from None
        _OPENED_FIFOS.add(key)


def release() -> None:
    """Close the FIFOs ``check`` opened that no output was delivered to (the command failed after
    the check): their readers see the end of an empty stream, as after a shell's failed command."""
    while _OPEN_FIFOS:
        with contextlib.suppress(OSError):
            os.close(_OPEN_FIFOS.popitem()[1])


def named_outputs(argv: list[str]) -> list[str]:
    """The paths a command line names as outputs (``OUTPUT_OPTIONS``: ``-o FILE``, ``-oFILE``,
    ``--output=FILE``...), read as click reads them, without knowing the command."""
    found, it = [], iter(argv)
    for a in it:
        if a == "--":
            break
        if a in OUTPUT_OPTIONS:
            v = next(it, None)
            if v is not None:
                found.append(v)
        elif a.startswith("--") and a.partition("=")[0] in OUTPUT_OPTIONS:
            found.append(a.partition("=")[2])
        elif a.startswith("-o") and len(a) > 2 and not a.startswith("--"):
            found.append(a[2:])
    return found


def unblock_readers(argv: list[str]) -> None:
    """End the wait of a reader on each FIFO ``argv`` names as an output that this run never
    opened (the command stopped before ``check``: a usage error, a bad value, ``--help``), as the
    shell's ``cmd > fifo`` of a failed command would: the FIFO is opened for writing without
    blocking, which succeeds only while a reader waits, and closed at once, so the reader sees
    the end of an empty stream. Nothing is written; a FIFO nobody reads is left alone."""
    try:
        for path in named_outputs(argv):
            if path == STDOUT or _own_fd(path) is not None:
                continue
            with contextlib.suppress(OSError):
                if stat.S_ISFIFO(os.stat(path).st_mode) and os.path.realpath(path) not in _OPENED_FIFOS:
                    os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK | os.O_CLOEXEC))
    finally:
        _OPENED_FIFOS.clear()   # the next run (main() again in one process: tests) starts afresh


@contextlib.contextmanager
def _scratch(suffix: str) -> Iterator[Path]:
    """A temporary file away from the target (for standard output and devices)."""
    fd, tmp = tempfile.mkstemp(prefix="hbeu-", suffix=suffix)
    os.close(fd)
    try:
        yield Path(tmp)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _send(data_path: Path, dest: Path) -> None:
    """Copy a rendered file into an existing non-regular file (device, FIFO, socket)."""
    if stat.S_ISSOCK(os.stat(dest).st_mode):
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s, open(data_path, "rb") as src:
            s.connect(str(dest))
            s.sendfile(src)
        return
    fd = _OPEN_FIFOS.pop(os.path.realpath(dest), None)  # a FIFO opened by ``check``
    with open(data_path, "rb") as src, (open(dest, "wb") if fd is None else open(fd, "wb")) as out:
        shutil.copyfileobj(src, out)


@contextlib.contextmanager
def writing(t: Target) -> Iterator[Path]:
    """Yield a temporary path to render ``t`` into; on success deliver it (see the module doc)."""
    suffix = f".{t.fmt}"
    try:
        if t.path is None:
            with _scratch(suffix) as tmp:
                yield tmp
                sys.stdout.flush()
                with open(tmp, "rb") as src:
                    shutil.copyfileobj(src, sys.stdout.buffer)
                sys.stdout.buffer.flush()
            return
        if t.fd is not None:  # the descriptor the shell handed over: written where it stands
            with _scratch(suffix) as tmp:
                yield tmp
                for shown in (sys.stdout, sys.stderr):  # (None when started closed)
                    if shown is not None:
                        shown.flush()
                with open(tmp, "rb") as src, open(t.fd, "wb", closefd=False) as out:
                    shutil.copyfileobj(src, out)
            return
        try:  # (as in _why_not_writable: the name itself, links followed)
            regular = stat.S_ISREG(os.stat(t.path).st_mode)
        except FileNotFoundError:
            regular = True
        if regular:
            with atomic_path(Path(os.path.realpath(t.path))) as tmp:
                yield tmp
            DELIVERED.append(t.label)
            return
        with _scratch(suffix) as tmp:
            yield tmp
            _send(tmp, t.path)
    except OSError as e:  # full disk or device, vanished folder, refused socket...
        raise InputError(f"cannot write {t.label!r} ({t.option}): {e.strerror or e}") from None


def owns_stdout(targets: list[Target]) -> bool:
    """Whether one of the checked ``targets`` goes to standard output (then the command prints
    no table there: the output is the whole of standard output)."""
    return any(t.to_stdout for t in targets)
