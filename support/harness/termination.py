"""SIGTERM unwinds like Ctrl-C, so that a run's clean-up (its database, its servers) still runs."""
from __future__ import annotations

import contextlib


@contextlib.contextmanager
def cleanup_on_termination():
    """SIGTERM (CI cancelling a job, `kill`) unwinds like Ctrl-C, so the run's clean-up still runs;
    during the clean-up itself further SIGTERMs are ignored, so it is not cut short."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    def interrupt(signum, frame):
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # the clean-up that follows must finish
        raise KeyboardInterrupt(f"stopped by signal {signum}")

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
