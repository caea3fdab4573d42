"""A re-entrant lock that serves its waiters in the order they came: first come, first served.

The local stack lets one request at a time reach the handlers (``local.stack``).
Under load tens of requests wait for it; ``threading.RLock`` wakes them in no
particular order, so a request could wait for many others that came after it
and the slowest answers grow without bound. Here each waiter gets a private
lock of its own and the holder hands the lock over to the oldest waiter
(``acquire(first=True)`` goes to the head of the queue instead: the state's
write-behind, which holds the lock only for a moment).
"""

from __future__ import annotations

import threading
from collections import deque
from types import TracebackType


class FifoLock:
    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._waiters: deque[tuple[int, threading.Lock]] = deque()
        self._owner: int | None = None
        self._depth = 0

    def acquire(self, *, first: bool = False) -> None:
        me = threading.get_ident()
        with self._mutex:
            if self._owner == me:
                self._depth += 1
                return
            if self._owner is None:
                self._owner, self._depth = me, 1
                return
            baton = threading.Lock()
            baton.acquire()
            (self._waiters.appendleft if first else self._waiters.append)((me, baton))
        baton.acquire()  # released by the holder once it has made this thread the owner

    def release(self) -> None:
        with self._mutex:
            if self._owner != threading.get_ident():
                raise RuntimeError("release of a FifoLock this thread does not hold")
            self._depth -= 1
            if self._depth:
                return
            if self._waiters:
                self._owner, baton = self._waiters.popleft()
                self._depth = 1
                baton.release()
            else:
                self._owner = None

    def __enter__(self) -> FifoLock:
        self.acquire()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.release()
