"""The `hbeu` command line: parse options, call the library, print with rich. No logic here."""

import os

# No command does linear algebra, and OpenBLAS starting a thread per core when numpy is first
# imported costs every command ~30-40 ms of CPU (more on a busy machine): one thread unless the
# user says otherwise. Set before any command module imports numpy.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
