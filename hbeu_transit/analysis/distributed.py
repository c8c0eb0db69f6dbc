"""Coverage on Dask: the per-origin tasks on a LocalCluster or an existing cluster.

Dask is an optional extra (``pip install 'hbeu-transit[dask]'``). The timetable and the place
groups are scattered to every worker once; each task is one origin's whole-window profile,
returning small numpy columns. Answers are those of ``coverage.serial_map``, in origin order.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ..errors import InputError

__all__ = ["DaskMap", "dask_map"]

INSTALL_HINT = "pip install 'hbeu-transit[dask]'"


def _distributed():
    try:
        import dask.distributed as dd
    except ImportError:
        raise InputError(f"running on Dask ({{workers}}/{{scheduler}}) needs Dask: {INSTALL_HINT}",
                         "workers", "scheduler") from None
    return dd


class DaskMap:
    """A ``run`` for ``coverage.coverage``: maps the task over a Dask cluster.

    ``workers``: start a LocalCluster with that many worker processes (``processes=False``:
    threads in this process, for tests); ``scheduler``: the address of an existing cluster.
    Use as a context manager, so a LocalCluster it started is shut down."""

    def __init__(self, workers: int | None = None, scheduler: str | None = None, *, processes: bool = True,
                 threads_per_worker: int = 1):
        if (workers is None) == (scheduler is None):
            raise InputError("give either {workers} or {scheduler}", "workers", "scheduler")
        if workers is not None and workers < 1:
            raise InputError(f"{{workers}} must be at least 1, not {workers}", "workers")
        dd = _distributed()
        self._cluster = None
        if scheduler is not None:
            try:
                self.client = dd.Client(scheduler, timeout="10s")
            except (OSError, TimeoutError, ValueError) as e:
                raise InputError(f"cannot reach the Dask {{scheduler}} {scheduler!r}: {e}", "scheduler") from None
        else:
            self._cluster = dd.LocalCluster(n_workers=workers, threads_per_worker=threads_per_worker,
                                            processes=processes, dashboard_address=None)
            self.client = dd.Client(self._cluster)

    def __enter__(self) -> DaskMap:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()

    def __call__(self, fn: Callable[..., Any], items: Sequence[Any], shared: Mapping[str, Any],
                 progress: Callable[[int, int], None] | None = None) -> list[Any]:
        dd = _distributed()
        # big objects (the timetable, the groups) go to every worker once; scalars inline
        scattered = {k: v if v is None or isinstance(v, (bool, int, float, str))
                     else self.client.scatter(v, broadcast=True) for k, v in shared.items()}
        futures = self.client.map(fn, list(items), pure=False, **scattered)
        if progress is not None:
            for done, _ in enumerate(dd.as_completed(futures), 1):
                progress(done, len(futures))
        return self.client.gather(futures)


def dask_map(workers: int | None = None, scheduler: str | None = None, **kw: Any) -> DaskMap:
    """A DaskMap, or a clear error naming the extra to install."""
    return DaskMap(workers, scheduler, **kw)
