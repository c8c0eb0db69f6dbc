"""Coverage on Dask: the per-origin tasks on a LocalCluster or an existing cluster.

Dask is an optional extra (``pip install 'hbeu-transit[dask]'``). The timetable and the place
groups are scattered to every worker once (per DaskMap, however many calls use them); each task is a batch of origins' whole-window
profiles (one origin each when origins are expensive, several when Dask's per-task cost of a
few milliseconds would otherwise hide the speed-up), returning small numpy columns. Answers are
those of ``coverage.serial_map``, in origin order.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ..errors import InputError
from ..values import as_count

__all__ = ["DaskMap", "batches", "dask_map"]

INSTALL_HINT = "pip install 'hbeu-transit[dask]'"
#: tasks per worker thread when batching automatically: enough to balance uneven origins (a
#: hub's profile costs 100x a leaf's) and to move the progress bar, few enough that the
#: scheduler's per-task cost stays small
TASKS_PER_THREAD = 8


def batches(n: int, size: int) -> list[range]:
    """0..n-1 cut into consecutive runs of ``size`` (the last one shorter)."""
    return [range(a, min(a + size, n)) for a in range(0, n, max(1, size))]


def _run_batch(fn: Callable[..., Any], items: Sequence[Any], **shared: Any) -> tuple[list[Any], float, int]:
    """One task: ``fn`` over a batch of items on a worker, the CPU seconds it took there and
    the worker's process id."""
    c0 = time.process_time()
    out = [fn(i, **shared) for i in items]
    return out, time.process_time() - c0, os.getpid()


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity where the system tells it, else all)."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except (AttributeError, OSError):
        return max(os.cpu_count() or 1, 1)


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
    Use as a context manager, so a LocalCluster it started is shut down.

    ``batch``: items per task (default: about ``TASKS_PER_THREAD`` tasks per worker thread).
    After a call, ``task_cpu`` holds the CPU seconds each task took on its worker (the whole
    process's with ``processes=False``) and ``task_pid`` that worker's process id."""

    def __init__(self, workers: int | None = None, scheduler: str | None = None, *, processes: bool = True,
                 threads_per_worker: int = 1, batch: int | None = None):
        if (workers is None) == (scheduler is None):
            raise InputError("give either {workers} or {scheduler}", "workers", "scheduler")
        workers = as_count(workers, "workers", 1)   # a whole number (not 1.5, a date, True), at least 1
        if workers is not None and processes and workers > usable_cpus():
            # each worker is a process holding the timetable: more than the CPUs only wait for
            # them and fill memory (a mistyped 1000 started a thousand processes)
            raise InputError(f"{{workers}} {workers} is more than the {usable_cpus()} CPUs this process may use: "
                             f"give at most {usable_cpus()}, or {{scheduler}} for a larger cluster",
                             "workers", "scheduler")
        if batch is not None and batch < 1:
            raise InputError(f"{{batch}} must be at least 1, not {batch}", "batch")
        self.batch = batch
        self.task_cpu: list[float] = []
        self.task_pid: list[int] = []
        self._scattered: dict[int, tuple[Any, Any]] = {}   # id -> (object kept alive, its future)
        dd = _distributed()
        self._cluster = None
        if scheduler is not None:
            try:
                self.client = dd.Client(scheduler, timeout="10s")
            except (OSError, TimeoutError, ValueError, TypeError) as e:   # TypeError: no address (8786)
                raise InputError(f"cannot reach the Dask {{scheduler}} {scheduler!r}: {e}", "scheduler") from None
        else:
            # the scheduler serves HTTP whatever the dashboard setting; on a free port, so a
            # second cluster (or anything on 8787) gives no "port in use" warning
            self._cluster = dd.LocalCluster(n_workers=workers, threads_per_worker=threads_per_worker,
                                            processes=processes, dashboard_address=":0")
            self.client = dd.Client(self._cluster)

    def __enter__(self) -> DaskMap:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _scatter(self, obj: Any) -> Any:
        """``obj`` on every worker, once per DaskMap: a later call with the same object (the
        same timetable) reuses it, so the workers also keep what they built from it (the
        router's view of a timetable). Not content-hashed: an equal object scattered by another
        call would share its key, which Dask drops when that call's futures are released."""
        hit = self._scattered.get(id(obj))
        if hit is None:
            hit = self._scattered[id(obj)] = (obj, self.client.scatter(obj, broadcast=True, hash=False))
        return hit[1]

    def close(self) -> None:
        self._scattered.clear()
        self.client.close()
        if self._cluster is not None:
            # a busy worker killed after the nanny's 4 s grace is expected here, not news
            import logging

            nanny = logging.getLogger("distributed.nanny")
            level = nanny.level
            nanny.setLevel(logging.ERROR)
            try:
                self._cluster.close()
            finally:
                nanny.setLevel(level)

    def __call__(self, fn: Callable[..., Any], items: Sequence[Any], shared: Mapping[str, Any],
                 progress: Callable[[int, int], None] | None = None) -> list[Any]:
        dd = _distributed()
        items = list(items)
        size = self.batch
        if size is None:
            threads = max(1, sum(self.client.nthreads().values()))
            size = max(1, math.ceil(len(items) / (threads * TASKS_PER_THREAD)))
        parts = [[items[k] for k in r] for r in batches(len(items), size)]
        scattered = {k: v if v is None or isinstance(v, (bool, int, float, str)) else self._scatter(v)
                     for k, v in shared.items()}
        futures = [self.client.submit(_run_batch, fn, part, pure=False, **scattered) for part in parts]
        if progress is not None:
            size_of = {f.key: len(part) for f, part in zip(futures, parts)}
            done = 0
            for f in dd.as_completed(futures):
                done += size_of[f.key]
                progress(done, len(items))
        results = self.client.gather(futures)
        self.task_cpu = [cpu for _, cpu, _ in results]
        self.task_pid = [pid for _, _, pid in results]
        return [r for part, _, _ in results for r in part]


def dask_map(workers: int | None = None, scheduler: str | None = None, **kw: Any) -> DaskMap:
    """A DaskMap, or a clear error naming the extra to install."""
    return DaskMap(workers, scheduler, **kw)
