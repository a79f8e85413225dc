"""One connection's engine calls, run on a thread of their own.

The engine is blocking. If the connection's own thread ran a call, nobody would read the
socket until it finished, and a client's break (``conn.cancel()``, or its ``call_timeout``
expiring) would go unanswered: the driver then gives up on the connection (DPY-4011)
instead of reporting the timeout (DPY-4024). So calls run here, and the connection thread
waits on both the socket and this worker's wake-up socket.
"""

from __future__ import annotations

import contextlib
import queue
import select
import socket
import threading
from collections.abc import Callable

Outcome = tuple[bytes | None, BaseException | None]


class CallWorker:
    """A thread that runs submitted calls one at a time and signals each completion."""

    def __init__(self, name: str) -> None:
        self._tasks: queue.SimpleQueue[Callable[[], bytes] | None] = queue.SimpleQueue()
        self.wake, self._signal = socket.socketpair()
        self._outcome: Outcome = (None, None)
        self._busy = False
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)
        self._thread.start()

    @property
    def busy(self) -> bool:
        return self._busy

    def submit(self, call: Callable[[], bytes]) -> None:
        self._busy = True
        self._tasks.put(call)

    def result(self) -> Outcome:
        """Wait for the submitted call to finish and return its reply or exception."""
        self.wake.recv(1)
        self._busy = False
        return self._outcome

    def finished(self, timeout: float) -> bool:
        """Whether the submitted call finishes within ``timeout`` seconds (its outcome is then
        ready for :meth:`result`). Lets the connection thread notice that the server stops."""
        readable, _, _ = select.select([self.wake], [], [], timeout)
        return bool(readable)

    def close(self, timeout: float = 5.0) -> None:
        """Let a running call finish (for ``timeout`` seconds at most), then stop the thread.

        A call still running after that is left to end on its own (the thread is a daemon):
        a stopping server must not wait without bound on an engine call."""
        if self._busy and self.finished(timeout):
            self.result()
        self._tasks.put(None)
        self._thread.join(timeout=0 if self._busy else timeout)
        self.wake.close()
        self._signal.close()

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def _loop(self) -> None:
        while True:
            call = self._tasks.get()
            if call is None:
                return
            try:
                self._outcome = (call(), None)
            except BaseException as exc:
                self._outcome = (None, exc)
            with contextlib.suppress(OSError):  # closed: the connection gave up waiting
                self._signal.send(b"\x01")
