"""The limits a template runs within: sizes checked before they are built, and a time budget."""

from __future__ import annotations

import threading

#: Seconds one templated string may run (a paragraph takes well under a millisecond).
TIME_LIMIT = 1.0
#: Characters one templated string may produce.
MAX_OUTPUT = 20_000
#: Longest ``range()`` a template may build.
MAX_RANGE = 10_000
#: Largest integer (in bits) that ``*`` and ``**`` may produce.
MAX_BITS = 4_096


class Limit(Exception):
    """A template went past a limit (time, output, range, size)."""

    def __init__(self, message: str, needle: str | None = None):
        super().__init__(message)
        self.message, self.needle = message, needle


class Timeout(Exception):
    pass


# --- the time budget ---------------------------------------------------------------------------------

class budget:
    """Stop a template after *seconds*: SIGALRM in the main thread (the CLI, a process-pool worker),
    else a watchdog thread that raises in this one (``PyThreadState_SetAsyncExc``)."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.active = False

    def __enter__(self):
        import signal

        self.active = True
        self.signal = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
        if self.signal:
            self.old_handler = signal.signal(signal.SIGALRM, self._fire)
            self.old_timer = signal.setitimer(signal.ITIMER_REAL, self.seconds)
            import time

            self.started = time.monotonic()
        else:
            self.lock = threading.Lock()
            self.tid = threading.get_ident()
            self.timer = threading.Timer(self.seconds, self._inject)
            self.timer.daemon = True
            self.timer.start()
        return self

    def _fire(self, signum, frame):
        if self.active:
            self.active = False
            raise Timeout()

    def _inject(self):
        import ctypes

        with self.lock:
            if self.active:
                self.active = False
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self.tid), ctypes.py_object(Timeout))

    def __exit__(self, *exc):
        import signal

        if self.signal:
            self.active = False
            try:
                signal.setitimer(signal.ITIMER_REAL, 0)
            finally:
                signal.signal(signal.SIGALRM, self.old_handler if self.old_handler is not None else signal.SIG_DFL)
                delay, interval = self.old_timer
                if delay > 0:  # someone else's timer was running: give it back what is left
                    import time

                    left = max(0.001, delay - (time.monotonic() - self.started))
                    signal.setitimer(signal.ITIMER_REAL, left, interval)
        else:
            import ctypes

            with self.lock:
                fired = not self.active
                self.active = False
                self.timer.cancel()
                if fired:  # the exception may still be pending: clear it
                    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self.tid), ctypes.py_object())
        return False
