"""Child processes that end with the process that started them: export workers, the app's tagger.

A worker or tagger left running after its parent died (even by ``kill -9``) would
hold the database and a core for nothing.
"""
from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1  # linux/prctl.h


def die_with_parent(parent: int) -> None:
    """Run first in a child (an export worker's initializer, ``tandai tag --child-of``): end this
    process when ``parent`` dies.

    On Linux the kernel sends SIGKILL (``prctl(PR_SET_PDEATHSIG)``) when the parent's thread that
    started the child ends, so the parent waits for the child in that same thread; elsewhere a
    thread watches the parent id. A parent that died before this ran is caught by the id check. Ctrl-C reaches the
    whole process group: workers leave it to the parent, which stops them (no traceback per worker).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # a parent may fork with it held
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    else:  # pragma: no cover - the project's machines are Linux
        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(0.5)
            os._exit(1)

        threading.Thread(target=watch, daemon=True).start()
    if os.getppid() != parent:
        os._exit(1)
