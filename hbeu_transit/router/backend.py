"""Which implementation runs the kernel: interpreted Python or numba, chosen per query.

numba costs ~0.25 s to import plus ~0.15 s to load the cached kernel, more than a whole
``hbeu plan`` may take, while one pruned scan of even a 100k-connection timetable takes a few
milliseconds interpreted. So the choice follows the work asked for: a query that amounts to
fewer than ``NUMBA_MIN_WORK`` connection visits (connections x whole scans, e.g. one journey
query) runs ``csa.py`` interpreted on Python lists; a bigger one (a whole-day profile, every
origin of a coverage matrix) loads the compiled kernel, which every later query then uses too
(as it does once numba is loaded in the process anyway). Both run the same source, so they
give identical answers.

Override with ``HBEU_ROUTER_BACKEND=python|numba|auto`` or :func:`set_backend`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from types import ModuleType

from . import csa

#: below this many connection visits a query runs interpreted: ~0.3 s of interpreted scanning,
#: about what importing numba and loading the compiled kernel cost
NUMBA_MIN_WORK = 2_000_000

_KERNEL_FUNCTIONS = ("_lower_bound", "_upto", "_settled", "_governs", "_board",
                     "_fire_rules", "_limit", "_group_start", "_alight_stop", "_insert_ready", "_origin",
                     "_ready_cap", "_ride_on", "_scan_end", "_set_ready", "_target_reached", "chain", "scan", "scan_ea")
_forced: str | None = None
_numba_module: ModuleType | None = None
_numba_times: ModuleType | None = None     # the copy compiled with csa.TIMES_ONLY
_numba_failed = False


def set_backend(name: str | None) -> None:
    """Force "python" or "numba" for every later query; None or "auto" restores the default."""
    global _forced
    if name not in (None, "auto", "python", "numba"):
        raise ValueError(f"unknown router backend {name!r} (python, numba or auto)")
    _forced = None if name == "auto" else name


def numba_cache_dir() -> Path:
    """Where compiled kernels are cached: the user cache, since site-packages may be read-only."""
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(os.environ["HBEU_CACHE_DIR"]) if os.environ.get("HBEU_CACHE_DIR") else (
        (Path(xdg) if xdg else Path.home() / ".cache") / "hbeu-transit")
    return base / "numba"


def _load_numba() -> ModuleType | None:
    """A private copy of ``csa`` whose functions are numba-compiled (None without numba).

    The copy is a second module built from the same file, so the interpreted ``csa`` stays
    plain Python and the compiled kernel's calls resolve to compiled helpers."""
    global _numba_module, _numba_failed
    if _numba_module is not None or _numba_failed:
        return _numba_module
    os.environ.setdefault("NUMBA_CACHE_DIR", str(numba_cache_dir()))
    try:
        import numba
    except ImportError:
        _numba_failed = True
        return None
    if not numba.config.CACHE_DIR:      # numba was imported before the variable was set
        numba.config.CACHE_DIR = str(numba_cache_dir())
    mod = _compiled_copy(csa, _KERNEL_FUNCTIONS)
    _numba_module = mod
    return mod


def _compiled_copy(module: ModuleType, functions: tuple[str, ...], constants: dict | None = None,
                   suffix: str = "") -> ModuleType:
    """A second module built from ``module``'s file with ``functions`` numba-compiled (numba
    imported), so that compiled functions calling each other resolve to compiled ones.
    ``constants``: module globals set in the copy first (numba compiles globals in as
    constants); such a variant needs its own ``suffix``, which names its module and its
    functions' on-disk cache entries apart from the plain copy's."""
    import importlib.util

    import numba

    package, _, short = module.__name__.rpartition(".")
    name = f"{package}._{short}_numba{suffix}"
    spec = importlib.util.spec_from_file_location(name, module.__file__)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    for k, x in (constants or {}).items():
        setattr(mod, k, x)
    for fn in functions:
        f = getattr(mod, fn)
        f.__qualname__ += suffix
        setattr(mod, fn, numba.njit(cache=True, nogil=True)(f))
    return mod


def jit_module(module: ModuleType, functions: tuple[str, ...], constants: dict | None = None,
               suffix: str = "") -> ModuleType | None:
    """``_compiled_copy`` of a kernel module outside ``csa`` (such as ``backward``), whose
    compiled functions call each other; None without numba."""
    if _load_numba() is None:
        return None
    return _compiled_copy(module, functions, constants, suffix)


def jit(fn):
    """``fn`` compiled by numba (cached on disk like the kernel), for a kernel outside ``csa``
    such as ``sweep.sweep``; None without numba."""
    if _load_numba() is None:
        return None
    import numba

    return numba.njit(cache=True, nogil=True)(fn)


def numba_broken(err: Exception, compiled: bool = True) -> None:
    """Called with any error a kernel raised (``compiled``: the numba-compiled one ran). numba
    could not compile or load it (an unsupported numba version, a cache it cannot write...):
    warn once and use the interpreter from now on, the caller retrying interpreted. Any other
    error, or one of the interpreted kernel, is re-raised."""
    if not compiled or not type(err).__module__.startswith("numba"):
        raise err
    global _numba_module, _numba_times, _numba_failed
    import warnings

    _numba_module, _numba_times, _numba_failed = None, None, True
    warnings.warn(f"hbeu router: numba kernel unavailable ({type(err).__name__}: {err}); "
                  "using the slower pure-Python kernel", RuntimeWarning, stacklevel=3)


def choose(n_connections: int, scans: float = 1.0) -> str:
    """"numba" or "python" for a query of about ``scans`` whole scans of a timetable of
    ``n_connections`` connections (see the module docstring)."""
    want = _forced or os.environ.get("HBEU_ROUTER_BACKEND", "auto")
    if want == "python":
        return "python"
    if want == "numba" or n_connections * scans >= NUMBA_MIN_WORK or _numba_module is not None \
            or "numba" in sys.modules:
        return "numba" if _load_numba() is not None else "python"
    return "python"


def kernels(name: str, times_only: bool = False) -> ModuleType:
    """The module holding ``scan`` and ``chain`` for backend ``name``. ``times_only``: for a
    ``scan_ea`` without pointers, numba's copy of ``csa`` compiled for that alone
    (``csa.TIMES_ONLY``; compiled when first called, like the other)."""
    global _numba_times
    if name == "numba":
        mod = _load_numba()
        if mod is not None:
            if not times_only:
                return mod
            if _numba_times is None:
                _numba_times = _compiled_copy(csa, _KERNEL_FUNCTIONS, {"TIMES_ONLY": True}, suffix="_times")
            return _numba_times
    return csa
