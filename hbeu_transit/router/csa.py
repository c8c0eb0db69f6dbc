"""The connection-scan kernel: one function shared by the pure-Python and the numba backends.

Everything here is written in the small subset of Python that numba compiles (ints, loops,
indexing), and is equally valid on Python lists, so ``backend.py`` can run the very same code
either interpreted (small timetables, no import cost) or compiled with ``numba.njit``. No numpy
calls, no objects: the caller allocates every array.

Labels ("layers"). The scan keeps R layers of labels. Bounded mode (a transfer limit):
layer 0 holds the origin (standing at a source, or one footpath from it) and layer j >= 1
journeys of exactly j rides. Unbounded mode: R = 1 and layer 0 holds everything. Per layer and
stop there are

* an *arrival* label (earliest time standing at the stop: a ride's arrival there, or a footpath
  from where a ride ended; the origin when ``origin_arr``) with the connection alighted from
  (-1 at the origin) and the stop a footpath started at (-1 when none);
* K *ready* labels: the earliest time one may board a vehicle there (arrival + change time, or
  + footpath), sorted, each from a different (arriving trip, stop left). K > 1 only when some
  trip transfer rule governs changes (a forbidden or timed trip-to-trip change): then a
  governed label must not hide the next best one. K = 1 + the most (trip, stop) pairs with a
  governing rule into any one trip is exact.

Trip transfer rules (``ru_*``, sorted by key = from_trip * nt + to_trip): a change from trip a left at x to trip b boarded at y that a rule governs
(``_governs``) never goes through the ready labels; instead, when a ride on a ends at x, each
rule of a fires directly (``_fire_rules``): a timed rule boards b's first hop from y leaving
no earlier than the arrival + its seconds (one more ride), an in-seat rule (``ru_secs`` -2,
fired at a's last hop) boards b's first hop in the same layer (not a transfer). The boarding
pointer's footpath field then says how: -2 in seat, -3 - r by rule r. Where each rule boards
depends on the timetable alone, so the view lists the firings (``fi_*``, by connection; ``c_to``
says where a connection's first firing is) and the scan reads nothing beyond the connection it
is at.

Per layer and trip: the first hop at which the trip was boarded (as a connection index: a trip's
hops come in ride order in the scan, so the index orders them as hop numbers would, and the
kernel never reads hop numbers) and how (boarding connection, the exit connection and
footpath-start before it). A trip is ridden in the lowest
layer where it is reached; this yields exactly the best arrival for every ride count when the
layers are read as prefix minima.

Connections come as columns (``c_*``, one entry per connection) packed so that the scan reads
few bytes and does few dependent loads per connection: ``c_dep``, ``c_arr``, ``c_trip``, and
``c_from`` = the stop left, or ~stop (negative) where pickup is not allowed; ``c_to`` = the stop
reached, ~stop where drop-off is not allowed, or ~(n + k) (below -n) where trip rules fire: then
firings k... belong to this connection and ``fi_to[k]`` holds its stop code (stop or ~stop).
So the scan reads c_trip and either c_from and c_dep (c_dep only where pickup is allowed) or
c_to and c_arr, nothing else, for a connection that changes no label (``scan_ea``; ``scan``
reads c_dep for every connection). Connections must be sorted by (dep, arr, trip, seq). Hops of zero duration can enable a
connection already scanned with the same departure time; the scan then repeats that group of
equal departures (rare: needs a zero change time or footpath as well).

Several departures (``events``, latest first) can be scanned in one call keeping the labels
("self-pruning" as in rRAPTOR): a label that improves in the run for departure L belongs to a
journey leaving at L. ``mode`` says what to record after each run: 0 nothing, 1 the Pareto
journeys to the targets (with their pointer chains), 2 per-stop (departure, arrival) pairs
(mode 1 records nothing for the first ``n_seed`` events; mode 2 records them too).
Such a run also stops early: a ready time improved from w_old changes nothing for connections
leaving at or after w_old (they could board before), nor does a trip boarded at an earlier hop
than before from the hop where it was boarded before (or after its last hop, if it was not);
the scan stops once past every such window (``active``), so only the first runs of a profile
scan the whole rest of the day.

A ride may start from the origin (a layer-0 ready label, after the origin walk if any) only
when it leaves no later than ``src_last`` after the walk's length is taken off (INF: no limit):
journeys leaving after a profile window are then not found, rather than dominating.

A scan also stops after ``horizon`` seconds and, with targets, once no connection can improve
the best target arrival of layers ``prune_lo..prune_hi``.
"""

from __future__ import annotations

INF = 2147483647  # "unreachable"; fits int32, and INF + a day still fits int64


def _lower_bound(a, key):
    """The first index of the sorted ``a`` whose value is >= ``key`` (binary search): the
    first connection leaving at or after a time, or where a trip block would be."""
    lo = 0
    hi = len(a)
    while lo < hi:
        mid = (lo + hi) // 2
        if a[mid] < key:
            lo = mid + 1
        else:
            hi = mid
    return lo


IN_SEAT = -2  # ru_secs of an in-seat rule, and the footpath field of a ride boarded in seat


def _governs(ru_key, ru_from, ru_to, ru_secs, key, x, y):
    """Whether a rule (other than in-seat) governs the change ``key`` (from_trip * nt + to_trip)
    from stop x to stop y: binary search of the key, then the first rule whose stops match."""
    lo = _lower_bound(ru_key, key)
    while lo < len(ru_key) and ru_key[lo] == key:
        if ru_secs[lo] != IN_SEAT and (ru_from[lo] < 0 or ru_from[lo] == x) and (
                ru_to[lo] < 0 or ru_to[lo] == y):
            return True
        lo += 1
    return False


def _board(T, j, cb, ex, pf, R, jlo, c_dep, trip_end, tb, t_seq, t_board, t_pexit, t_pfp, t_min):
    """Board trip T at connection cb in layer j, after exit connection ``ex`` (how: ``pf``).

    Returns -INF when that is no better than riding T already, else until when the change
    matters: the hops whose lowest layer drops, up to the earliest hop boarded before in
    layers <= j (its departure), else to the trip's end; no later than the layer's target
    bound ``tb[j]`` (connections ridden in layer j after it are skipped anyway)."""
    q = cb                          # hops compared by connection index (module docstring)
    for jj in range(jlo, j + 1):
        if t_seq[T * R + jj] <= q:
            return -INF
    w = trip_end[T]
    old = INF
    for jj in range(jlo, j + 1):
        if t_seq[T * R + jj] < old:
            old = t_seq[T * R + jj]
            w = c_dep[t_board[T * R + jj]]
    if tb[j] < w:
        w = tb[j]
    idx = T * R + j
    t_seq[idx] = q
    t_board[idx] = cb
    t_pexit[idx] = ex
    t_pfp[idx] = pf
    if q < t_min[T]:
        t_min[T] = q
    return w


def _fire_rules(c, k, jon, R, bounded, jlo, c_dep, fi_conn, fi_board, fi_trip, fi_rule, ru_secs, trip_end, tb, t_seq, t_board, t_pexit, t_pfp, t_min):
    """The rules of trip T fired by riding its connection c in layer ``jon`` (module docstring):
    firings ``k``... of the view (``fi_*``: where each rule boards, worked out when the view
    is built, so the scan never reads a trip's later connections). A boarding leaving after its
    layer's target bound ``tb`` is skipped, as in the scan.

    Returns (until when a boarding matters or -INF, the earliest departure boarded or INF)."""
    active = -INF
    first = INF
    while k < len(fi_conn) and fi_conn[k] == c:
        r = fi_rule[k]
        cb = fi_board[k]
        k += 1
        if ru_secs[r] == IN_SEAT:
            j = jon
            pf = IN_SEAT
        else:
            j = jon + 1 if bounded else jon
            if j >= R:
                continue
            pf = -3 - r
        if c_dep[cb] > tb[j]:
            continue
        w = _board(fi_trip[k - 1], j, cb, c, pf, R, jlo, c_dep, trip_end, tb, t_seq, t_board,
                   t_pexit, t_pfp, t_min)
        if w > -INF:
            if w > active:
                active = w
            if c_dep[cb] < first:
                first = c_dep[cb]
    return active, first


def _upto(c_dep, t, c_end, i, watch):
    """The first connection leaving after ``t``, or ``c_end``, or (with stops to ``watch``)
    the first multiple of ``SETTLE_EVERY`` after i if sooner: ``scan_ea`` stops its skip loop
    there, so that the loop tests the connection index alone. (Worked out here rather than
    kept in the scan: one value fewer live across the skip loop, whose arrays then all stay
    in registers, compiled.)"""
    every = SETTLE_EVERY if len(watch) > 0 else INF + 1
    return min(_lower_bound(c_dep, t + 1), c_end, (i | (every - 1)) + 1)


#: connections between two looks of ``scan_ea`` at whether anything can still improve (a power
#: of two: the looks are where the connection index is a multiple of it)
SETTLE_EVERY = 2048

#: True in a second numba copy of this module (``backend.kernels(..., times_only=True)``) whose
#: ``scan_ea`` is compiled without the journey pointers: a one-to-all scan for times only
#: (``router.earliest_arrival`` without targets, e.g. a travel-time matrix at one departure; the
#: circle and coverage run profiles, ``csa.scan``) then keeps its values in registers where the
#: general kernel spills them, ~15% of such a scan on hart. Its callers pass ``ptrs`` False.
TIMES_ONLY = False

#: what ``scan_ea`` returns when it stopped once settled, before its last connection
SETTLED = 2


def _settled(watch, p, last_in, rarr, i, d):
    """From ``watch[p]`` on, the first stop that a connection from i (leaving at d or later)
    may still improve: one alighted at from i on whose ride arrival is later than d (a later
    connection arrives no earlier than d). ``len(watch)`` when there is none: no label can
    change any more. A stop passed over stays so (labels only drop, i and d only grow), so
    the next look starts where this one stopped."""
    while p < len(watch):
        u = watch[p]
        if last_in[u] >= i and rarr[u] > d:
            break
        p += 1
    return p


def _limit(bound, L, horizon):
    """Where a run leaving at L stops: the target bound, or L + horizon if sooner."""
    if horizon < INF and L + horizon < bound:
        return L + horizon
    return bound


#: what ``_scan_end`` returns when the scan needs connections not converted yet
MORE = -2


def _scan_end(c_dep, c_end, pend, pend_dep, limit):
    """A run of ``scan_ea`` went through connection ``c_end`` - 1 (the last one converted, for
    the interpreter): the group to scan again (``pend``, when the next connection leaves after
    it), ``MORE`` when the next connection may still matter, else -1."""
    if c_end < len(c_dep):
        d = c_dep[c_end]
        if pend >= 0 and d > pend_dep:
            return pend
        return MORE if d <= limit else -1
    return pend


def _group_start(c_dep, c):
    """The first connection leaving at the same time as connection c."""
    d = c_dep[c]
    while c > 0 and c_dep[c - 1] == d:
        c -= 1
    return c


def _alight_stop(c_to, fi_to, n, e):
    """The stop that connection e (one ridden and alighted from) reaches: its ``c_to``, or
    where rules fire there, its first firing's ``fi_to`` (module docstring)."""
    v = c_to[e]
    return v if v >= 0 else fi_to[~v - n]


def _insert_ready(rdy_t, rdy_exit, rdy_fp, base, K, val, ex, fpf, trip, c_trip, c_to, fi_to, n):
    """Insert a ready label into the sorted K-list at ``base`` (one entry per arriving trip and
    stop it was left at).

    Returns True when the list changed."""
    pos = K - 1
    found = False
    for k in range(K):
        rt = rdy_t[base + k]
        if rt == INF:
            pos = k
            found = True
            break
        e = rdy_exit[base + k]
        a = c_trip[e] if e >= 0 else -1
        if a == trip and (e < 0 or _alight_stop(c_to, fi_to, n, e) == _alight_stop(c_to, fi_to, n, ex)):
            if rt <= val:
                return False
            pos = k
            found = True
            break
    if not found and rdy_t[base + K - 1] <= val:
        return False
    ins = pos
    while ins > 0 and rdy_t[base + ins - 1] > val:
        rdy_t[base + ins] = rdy_t[base + ins - 1]
        rdy_exit[base + ins] = rdy_exit[base + ins - 1]
        rdy_fp[base + ins] = rdy_fp[base + ins - 1]
        ins -= 1
    rdy_t[base + ins] = val
    rdy_exit[base + ins] = ex
    rdy_fp[base + ins] = fpf
    return True


def _origin(s, u, val, fpf, origin_arr, R, K, arr_t, arr_exit, arr_fp, rdy_t, rdy_exit, rdy_fp,
            rdy_min, c_trip, c_to, fi_to, n):
    """Origin labels in layer 0: standing at u at ``val`` (u = s, or one footpath from s).

    Returns until when this can change anything (the ready time it replaced), or -INF."""
    iu = u * R
    if origin_arr and val < arr_t[iu]:
        arr_t[iu] = val
        arr_exit[iu] = -1
        arr_fp[iu] = fpf
    old = -INF
    if K == 1:
        if val < rdy_t[iu]:
            old = rdy_t[iu]
            rdy_t[iu] = val
            rdy_exit[iu] = -1
            rdy_fp[iu] = fpf
    else:
        last = rdy_t[iu * K + K - 1]
        if _insert_ready(rdy_t, rdy_exit, rdy_fp, iu * K, K, val, -1, fpf, -1, c_trip, c_to, fi_to, n):
            old = last
    if val < rdy_min[u]:
        rdy_min[u] = val
    return old


def _ready_cap(tb, jon, R, bounded, old):
    """Until when a ready label improved from ``old`` in layer ``jon`` matters: boardings in
    the next layer leaving after its target bound are skipped anyway."""
    if bounded:
        if jon + 1 >= R:
            return -INF                 # no next layer: nothing boards from it
        cap = tb[jon + 1]
    else:
        cap = tb[0]
    return cap if cap < old else old


#: what ``_set_ready`` returns when the ready labels did not change
UNCHANGED = -INF - 1


def _set_ready(rdy_t, rdy_exit, rdy_fp, rdy_min, li, u, K, w, ex, fpf, trip, c_trip, c_to, fi_to, n, tb, jon, R,
               bounded):
    """Offer ready time ``w`` at stop u (labels at ``li`` = u * R + layer ``jon``), reached by
    exit connection ``ex`` of ``trip`` (and a footpath from ``fpf``, or -1): with K = 1 it
    replaces a later ready time, else it goes into the sorted K-list (``_insert_ready``).

    Returns ``UNCHANGED``, or until when the change matters (``_ready_cap``)."""
    if K == 1:
        old = rdy_t[li]
        if w >= old:
            return UNCHANGED
        rdy_t[li] = w
        rdy_exit[li] = ex
        rdy_fp[li] = fpf
    else:
        old = rdy_t[li * K + K - 1]
        if not _insert_ready(rdy_t, rdy_exit, rdy_fp, li * K, K, w, ex, fpf, trip, c_trip, c_to, fi_to, n):
            return UNCHANGED
    if w < rdy_min[u]:
        rdy_min[u] = w
    return _ready_cap(tb, jon, R, bounded, old)


def _target_reached(tb, jon, R, plo, a):
    """Lower the per-layer target bounds from layer ``jon`` up by an arrival ``a`` there."""
    if jon >= plo:
        for j in range(jon, R):
            if a < tb[j]:
                tb[j] = a


def chain(j, stop, bounded, R, arr_exit, c_trip, t_board, t_pexit, t_pfp,
          rec_board, rec_exit, rec_pfp, p, cap):
    """Write the rides of the journey ending with arrival label (j, stop), last ride first, as
    (boarding connection, exit connection, footpath start before boarding or -1) records from
    position p. Returns the new end position (stops early at ``cap``)."""
    e = arr_exit[stop * R + j]
    while e >= 0 and p < cap:
        idx = c_trip[e] * R + j
        rec_board[p] = t_board[idx]
        rec_exit[p] = e
        rec_pfp[p] = t_pfp[idx]
        p += 1
        e = t_pexit[idx]
        if bounded and t_pfp[idx] != IN_SEAT:
            j -= 1
    return p


def scan(c_from, c_to, c_dep, c_arr, c_trip,
         stop_change, fp_start, fp_to, fp_dur, ru_key, ru_from, ru_to, ru_secs,
         fi_conn, fi_board, fi_trip, fi_rule, fi_to, trip_end, n, nt, c_end,
         R, bounded, K, origin_arr, prune_lo, prune_hi, horizon, src_last,
         sources, targets, is_target, events, ev_from, n_seed, mode, ev_bound, ev_lo,
         arr_t, arr_exit, arr_fp, rarr, rdy_t, rdy_exit, rdy_fp, rdy_min, tb,
         t_seq, t_board, t_pexit, t_pfp, t_min,
         stamp, touched, tbest, last_rec,
         out_dep, out_layer, out_stop, out_arr, out_fp, out_rec, cap,
         rec_board, rec_exit, rec_pfp, rec_cap, n_out, n_rec):
    """Scan the connections for each departure in ``events[ev_from:]`` (see the module docstring).

    Only connections before ``c_end`` are read (besides ``c_dep``, read whole): the interpreter
    converts the arrays it needs lazily. Per event, ``ev_bound`` (if not empty) is a known upper
    bound on the best target arrival of the pruning layers, and ``ev_lo`` (if not empty) the
    first pruning layer (layers below it are known not to reach a target).

    Returns (next event to scan, n_out, n_rec, cut); the next event is < len(events) only when
    mode 2 needs a larger output buffer (the caller grows it and calls again; the labels
    persist) or when ``cut``: the scan needed connections at or after ``c_end`` (the caller
    converts more and starts the query again)."""
    nc = len(c_dep)
    n_eb = len(ev_bound)
    n_el = len(ev_lo)
    n_ev = len(events)
    n_rules = len(ru_key)
    jlo = 1 if bounded else 0
    ev = ev_from
    while ev < n_ev:
        L = events[ev]
        if mode == 2 and n_out + n > cap:
            return ev, n_out, n_rec, 0
        plo = prune_lo
        phi = prune_hi
        if n_el > 0:
            plo = ev_lo[ev]
            if plo > phi:
                phi = plo
        run = ev + 1
        ntouched = 0
        # The origin: every source, and one footpath from it. ``active``: the scan can stop
        # after this time, as no connection leaving later sees a label changed in this run (a
        # ready time improved from w_old: connections leaving at >= w_old could already board;
        # a trip boarded earlier than before: until its last hop).
        active = -INF
        for si in range(len(sources)):
            s = sources[si]
            w = _origin(s, s, L, -1, origin_arr, R, K, arr_t, arr_exit, arr_fp, rdy_t, rdy_exit,
                        rdy_fp, rdy_min, c_trip, c_to, fi_to, n)
            if w > active:
                active = w
            for f in range(fp_start[s], fp_start[s + 1]):
                w = _origin(s, fp_to[f], L + fp_dur[f], s, origin_arr, R, K, arr_t, arr_exit,
                            arr_fp, rdy_t, rdy_exit, rdy_fp, rdy_min, c_trip, c_to, fi_to, n)
                if w > active:
                    active = w
        # target pruning: no connection leaving after the best target arrival can help
        bound = INF
        if n_eb > 0:
            bound = ev_bound[ev]
        for ti in range(len(targets)):
            t = targets[ti]
            for j in range(plo, phi + 1):
                if arr_t[t * R + j] < bound:
                    bound = arr_t[t * R + j]
        # per layer j: a connection ridden in layer j that leaves after tb[j] (the best target
        # arrival with at most j rides, counting layers from plo; tb[plo] below plo) cannot
        # lead to a better target arrival in layer j or above, so it is skipped
        m = INF
        if n_eb > 0:
            m = ev_bound[ev]
        for j in range(plo, R):
            for ti in range(len(targets)):
                t = targets[ti]
                if arr_t[t * R + j] < m:
                    m = arr_t[t * R + j]
            tb[j] = m
        for j in range(0, plo):
            tb[j] = tb[plo]
        limit = _limit(bound, L, horizon)
        lo = _lower_bound(c_dep, L)
        # Scan from there. A zero-duration hop may make a connection of its own departure group
        # (equal c_dep) usable that was scanned before it: then the group is scanned again from
        # ``pend`` (its first connection). ``stop`` = min(limit, active), kept up to date.
        stop = limit if limit < active else active
        first = lo
        pend = -1
        pend_dep = 0
        while True:
            restart = -1
            for c in range(first, c_end):
                d = c_dep[c]
                if pend >= 0 and d > pend_dep:
                    restart = pend
                    break
                if d > stop:
                    break
                T = c_trip[c]
                q = c                       # a trip's hops, in scan order, are its rides' order
                # the lowest layer in which we already sit on trip T at this hop
                if t_min[T] > q:
                    s = c_from[c]
                    if s < 0 or rdy_min[s] > d:
                        continue            # the common case: nothing to do here
                    jon = -1
                elif R == 1:
                    jon = 0
                else:
                    jon = -1
                    for j in range(jlo, R):
                        if t_seq[T * R + j] <= q:
                            jon = j
                            break
                # boarding here, in a lower layer than that
                s = c_from[c] if jon != jlo else -1
                if s >= 0:
                    if rdy_min[s] > d:
                        pass
                    elif src_last < INF and R == 1 and K == 1 and rdy_exit[s] < 0 and d - rdy_t[s] + L > src_last:
                        pass                    # leaving the origin after src_last
                    elif R == 1 and K == 1:     # the common case, spelt out for the interpreter
                        # new hops ridden: up to where the trip was boarded before, if it was
                        w = c_dep[t_board[T]] if t_seq[T] < INF else trip_end[T]
                        if w > active:
                            active = w
                            stop = limit if limit < active else active
                        t_seq[T] = q
                        t_board[T] = c
                        t_pexit[T] = rdy_exit[s]
                        t_pfp[T] = rdy_fp[s]
                        t_min[T] = q
                        jon = 0
                    else:
                        jhi = jon if jon >= 0 else R
                        for j in range(jlo, jhi):
                            if d > tb[j]:
                                break           # useless in this layer and every higher one
                            pj = j - 1 if bounded else 0
                            base = (s * R + pj) * K
                            got = -1
                            if K == 1:
                                if rdy_t[base] <= d:
                                    got = base
                            else:
                                for k in range(K):
                                    if rdy_t[base + k] > d:
                                        break
                                    e = rdy_exit[base + k]
                                    if e < 0 or n_rules == 0 or not _governs(
                                            ru_key, ru_from, ru_to, ru_secs, c_trip[e] * nt + T,
                                            _alight_stop(c_to, fi_to, n, e), s):
                                        got = base + k
                                        break
                            if got >= 0 and rdy_exit[got] < 0 and d - rdy_t[got] + L > src_last:
                                got = -1                # leaving the origin after src_last
                            if got >= 0:
                                # (j < jon: no layer <= j rides T at hop q yet, so this boards)
                                w = _board(T, j, c, rdy_exit[got], rdy_fp[got], R, jlo, c_dep, trip_end, tb,
                                           t_seq, t_board, t_pexit, t_pfp, t_min)
                                if w > active:
                                    active = w
                                    stop = limit if limit < active else active
                                jon = j
                                break
                if jon < 0 or d > tb[jon]:
                    continue
                v = c_to[c]
                if v < -n:                  # trip rules fire here (module docstring)
                    w, fd = _fire_rules(c, ~v - n, jon, R, bounded, jlo, c_dep, fi_conn, fi_board,
                                        fi_trip, fi_rule, ru_secs, trip_end, tb, t_seq, t_board, t_pexit,
                                        t_pfp, t_min)
                    if w > active:
                        active = w
                        stop = limit if limit < active else active
                    if fd <= d and pend < 0:
                        pend = _group_start(c_dep, c)
                        pend_dep = d
                    v = fi_to[~v - n]
                if v < 0:
                    continue                # no drop-off here
                # alighting: arrival here, change here, footpaths from here
                a = c_arr[c]
                li = v * R + jon
                if a < rarr[li]:
                    rarr[li] = a
                elif K == 1:
                    continue            # an earlier ride already got here in this layer
                # arrival t here (f = fp_start[v] - 1), then ready to board w after the change
                # time; or at the end of each footpath from here (arriving, then ready, there)
                ch = stop_change[v]
                for f in range(fp_start[v] - 1, fp_start[v + 1]):
                    if f < fp_start[v]:
                        u = v
                        t = a
                        w = a + ch
                        lu = li
                        fpf = -1
                    else:
                        u = fp_to[f]
                        t = w = a + fp_dur[f]
                        lu = u * R + jon
                        fpf = v
                    if t < arr_t[lu]:       # reached u earlier in this layer
                        arr_t[lu] = t
                        arr_exit[lu] = c
                        arr_fp[lu] = fpf
                        if is_target[u]:
                            _target_reached(tb, jon, R, plo, t)
                            if plo <= jon and jon <= phi and t < bound:
                                bound = t
                                if bound < limit:
                                    limit = bound
                                    stop = limit if limit < active else active
                        if mode == 2 and stamp[u] != run:
                            stamp[u] = run
                            touched[ntouched] = u
                            ntouched += 1
                    if fpf < 0 and ch < 0:
                        continue            # no change allowed here
                    x = _set_ready(rdy_t, rdy_exit, rdy_fp, rdy_min, lu, u, K, w, c, fpf, T, c_trip, c_to,
                                   fi_to, n, tb, jon, R, bounded)
                    if x >= -INF:
                        if x > active:
                            active = x
                            stop = limit if limit < active else active
                        if w <= d and pend < 0:
                            pend = _group_start(c_dep, c)
                            pend_dep = d
            else:
                if c_end < nc:
                    # the end of the converted connections: go on as the next one says
                    d = c_dep[c_end]
                    if pend >= 0 and d > pend_dep:
                        restart = pend
                    elif d <= stop:
                        return ev, n_out, n_rec, 1      # needs connections not converted yet
                elif pend >= 0:
                    # ran off the end of the timetable: a group may still need its second look
                    restart = pend
            if restart < 0:
                break
            first = restart
            pend = -1

        # record what this departure achieved
        if mode == 1:
            pm = INF                      # best arrival with fewer rides, after this run
            for j in range(jlo, R):
                best = INF
                bt = -1
                for ti in range(len(targets)):
                    t = targets[ti]
                    if arr_t[t * R + j] < best:
                        best = arr_t[t * R + j]
                        bt = t
                if best < tbest[j]:
                    tbest[j] = best
                    if best < pm and ev >= n_seed and n_out < cap:
                        out_dep[n_out] = L
                        out_layer[n_out] = j
                        out_stop[n_out] = bt
                        out_arr[n_out] = best
                        out_fp[n_out] = arr_fp[bt * R + j]
                        n_rec = chain(j, bt, bounded, R, arr_exit, c_trip, t_board, t_pexit,
                                      t_pfp, rec_board, rec_exit, rec_pfp, n_rec, rec_cap)
                        out_rec[n_out] = n_rec
                        n_out += 1
                if best < pm:
                    pm = best
        elif mode == 2:
            for k in range(ntouched):
                u = touched[k]
                m = INF
                for j in range(jlo, R):
                    if arr_t[u * R + j] < m:
                        m = arr_t[u * R + j]
                if m < last_rec[u] and (horizon >= INF or m <= L + horizon):
                    last_rec[u] = m
                    out_dep[n_out] = L          # seed runs too: the caller keeps them apart
                    out_stop[n_out] = u
                    out_arr[n_out] = m
                    n_out += 1
        ev += 1
    return ev, n_out, n_rec, 0


def _ride_on(T, ride_conn, ride_board, ride_trip, c_dep, bound, ptrs, t_min, t_board, t_pexit, t_pfp):
    """Trip T was just boarded: board the trip it runs on into in seat (``ride_trip[T]``, -1
    for none: its last hop ``ride_conn[T]``'s only firing, boarding hop ``ride_board[T]``), and
    the one that runs on into in turn, as riding that last hop would (``scan_ea``). The
    boarding hop of each leaves after that last hop does, so nothing is scanned between; what
    is boarded here while the scan stops before it changes no label. (Per trip rather than per
    firing, so that the walk along a block loads one value per trip before the next: ~1800
    trips boarded so in a one-to-all scan of hart.)"""
    b = ride_trip[T]
    while b >= 0:
        cb = ride_board[T]
        if c_dep[cb] > bound or t_min[b] <= cb:
            return              # (boarded already: so were the trips it runs on into)
        t_min[b] = cb
        if ptrs:
            t_board[b] = cb
            t_pexit[b] = ride_conn[T]
            t_pfp[b] = IN_SEAT
        T = b
        b = ride_trip[T]


def scan_ea(c_from, c_to, c_dep, c_arr, c_trip,
            stop_change, fp_start, fp_to, fp_dur, ride_conn, ride_board, ride_trip, n, c_end, origin_arr,
            horizon,
            sources, targets, is_target, L, ptrs,
            arr_t, arr_exit, arr_fp, rarr, rdy_t, rdy_exit, rdy_fp, t_board, t_pexit, t_pfp, t_min,
            watch, last_in):
    """``scan`` for its most common case, one earliest-arrival run without transfer layers or
    governing trip rules (R = K = 1, mode 0, one event; in-seat rules only, as block_id gives),
    spelt out: no layer or ready-list loops, the ready time is the stop's only ready label, and
    one comparison per connection covers both the target bound and a pending group. Same labels as ``scan``, and the same pointers when
    ``ptrs`` (without, only arrival and ready times: a one-to-all answer needs no journeys).
    Only for a view whose firings all fire on boarding (``View.ea_scan``): a trip's last hop
    whose only firing is in seat (``ride_conn``) reads as a plain stop, that firing fired when the trip is
    boarded (``_ride_on``), so the skip loop below does not stop at the last hop of every
    ridden trip of a block, and the scan has no firings of its own to look at. ``c_from`` and
    ``c_to`` are the view's ``ea_from`` and ``ea_to``: unsigned, stop ``n`` where pickup
    (drop-off) is not allowed, whose ready time and ride arrival stay INF (``scan.State``
    gives rdy_t and rarr a slot for it), so that the skip loop reads a label for every
    connection with no test of the stop. (Both keep the skip loop's arrays in registers,
    compiled: ~11% of a one-to-all scan.)

    Given stops to ``watch`` (not empty: the caller's choice for a scan without targets, which
    has no target bound to stop at), every stop a journey from the sources may reach and a
    ride may alight at (the last connection that may alight at each stop: ``last_in``), it
    stops once no label can change any more: once every such stop that a later ride may
    alight at has a ride arrival no later than the next departure (``_settled``, looked at
    every ``SETTLE_EVERY`` connections).

    Returns 1 when it needs connections at or after ``c_end`` (see ``scan``), ``SETTLED`` when
    it stopped once settled, else 0."""
    if TIMES_ONLY:
        ptrs = False            # (a constant: the pointer code is not compiled in)
    for si in range(len(sources)):
        s = sources[si]
        for f in range(fp_start[s] - 1, fp_start[s + 1]):
            u = s if f < fp_start[s] else fp_to[f]
            val = L if f < fp_start[s] else L + fp_dur[f]
            fpf = -1 if f < fp_start[s] else s
            if origin_arr and val < arr_t[u]:
                arr_t[u] = val
                arr_exit[u] = -1
                arr_fp[u] = fpf
            if val < rdy_t[u]:
                rdy_t[u] = val
                rdy_exit[u] = -1
                rdy_fp[u] = fpf
    bound = INF
    for ti in range(len(targets)):
        if arr_t[targets[ti]] < bound:
            bound = arr_t[targets[ti]]
    limit = _limit(bound, L, horizon)
    i = _lower_bound(c_dep, L)  # the next connection to look at
    pend = -1
    pend_dep = 0
    brk = limit                 # min(limit, pend_dep): past it, stop or look at the group again
    p = 0                       # the stops watch[:p] are settled
    hi = _upto(c_dep, brk, c_end, i, watch)  # connections before hi leave no later than brk
    while True:
        restart = -1
        while True:
            # Skip the connections that change no label (nearly all of them) in a loop of their
            # own: compiled, its few values stay in registers, where the loop below spills them
            # (~20% of a one-to-all scan). What stops it is looked at again below. (i is never
            # negative, but saying so lets numba drop its negative-index fix-ups.) Where the
            # departure time stops it is the index ``hi``, so a hop of a trip ridden already
            # reads no departure (~7% of a one-to-all scan).
            if i < 0:
                i = 0
            while i < hi:
                if t_min[c_trip[i]] > i:
                    s = c_from[i]
                    if rdy_t[s] <= c_dep[i]:
                        break           # boards here
                elif c_arr[i] < rarr[c_to[i]]:
                    break               # an earlier arrival, or no drop-off or rules fire (stop n)
                i += 1
            if i & (SETTLE_EVERY - 1) == 0 and i < c_end and len(watch) > 0:
                if pend < 0:            # (a group to look at again: not settled)
                    p = _settled(watch, p, last_in, rarr, i, c_dep[i])
                    if p >= len(watch):
                        return SETTLED
                hi = _upto(c_dep, brk, c_end, i + 1, watch)   # (then connection i as below)
            if i >= c_end:
                restart = _scan_end(c_dep, c_end, pend, pend_dep, limit)
                if restart == MORE:
                    return 1
                break
            c = i
            i += 1
            d = c_dep[c]
            if d > brk:
                if pend >= 0 and d > pend_dep:
                    restart = pend
                break
            T = c_trip[c]
            v = c_to[c]
            a = c_arr[c]
            s = c_from[c]
            if t_min[T] > c:
                if rdy_t[s] > d:
                    continue            # not there in time, or no pickup here (stop n: never ready)
                t_min[T] = c
                if ptrs:
                    t_board[T] = c
                    t_pexit[T] = rdy_exit[s]
                    t_pfp[T] = rdy_fp[s]
                if ride_trip[T] >= 0:
                    _ride_on(T, ride_conn, ride_board, ride_trip, c_dep, bound, ptrs, t_min, t_board, t_pexit, t_pfp)
            if v == n:
                continue                # no drop-off here
            if a >= rarr[v]:
                continue                # an earlier ride already got here
            rarr[v] = a
            if a < arr_t[v]:
                arr_t[v] = a
                if ptrs:
                    arr_exit[v] = c
                    arr_fp[v] = -1
                if is_target[v] and a < bound:
                    bound = a
                    if a < limit:
                        limit = a
                        brk = limit if pend < 0 or limit < pend_dep else pend_dep
                        hi = _upto(c_dep, brk, c_end, i, watch)
            ch = stop_change[v]
            if ch >= 0:
                w = a + ch
                if w < rdy_t[v]:
                    rdy_t[v] = w
                    if ptrs:
                        rdy_exit[v] = c
                        rdy_fp[v] = -1
                    if w <= d and pend < 0:
                        pend = _group_start(c_dep, c)
                        pend_dep = d
                        brk = limit if limit < pend_dep else pend_dep
                        hi = _upto(c_dep, brk, c_end, i, watch)
            for f in range(fp_start[v], fp_start[v + 1]):
                u = fp_to[f]
                w = a + fp_dur[f]
                if w < arr_t[u]:
                    arr_t[u] = w
                    if ptrs:
                        arr_exit[u] = c
                        arr_fp[u] = v
                    if is_target[u] and w < bound:
                        bound = w
                        if w < limit:
                            limit = w
                            brk = limit if pend < 0 or limit < pend_dep else pend_dep
                            hi = _upto(c_dep, brk, c_end, i, watch)
                if w < rdy_t[u]:
                    rdy_t[u] = w
                    if ptrs:
                        rdy_exit[u] = c
                        rdy_fp[u] = v
                    if w <= d and pend < 0:
                        pend = _group_start(c_dep, c)
                        pend_dep = d
                        brk = limit if limit < pend_dep else pend_dep
                        hi = _upto(c_dep, brk, c_end, i, watch)
        if restart < 0:
            return 0
        i = restart
        pend = -1
        brk = limit
        hi = _upto(c_dep, brk, c_end, i, watch)
