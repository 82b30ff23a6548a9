"""A service's ``worker`` command: its loops in named threads until SIGTERM.

Every worker runs the same shape (the relay, the inbox consumer, a service's own
loops), each a callable that returns once the shared stop event is set. What used to
be repeated in each service lives here: the signal handlers, the threads, and the
rule that one dead loop stops the whole worker, so a half-working worker never keeps
running unnoticed (its supervisor sees the non-zero exit and restarts it).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Mapping
from types import FrameType
from typing import Any

import structlog

__all__ = ["Loop", "run_loops"]

Loop = Callable[[threading.Event], None]

log = structlog.get_logger("storo_outbox.worker")

# How often the main thread looks at a signal received; it sleeps in between.
_SIGNAL_POLL_SECONDS = 0.1


def run_loops(loops: Mapping[str, Loop], *, stop: threading.Event | None = None) -> int:
    """Run each loop in a thread named for it until ``stop`` is set; the exit code.

    SIGTERM and SIGINT set ``stop`` (when called from the main thread; the previous
    handlers are restored on return). A loop that raises, or returns while ``stop``
    is not set, is logged, stops the others, and makes the result 1; a clean stop
    returns 0. Returns only once every loop has returned.
    """
    if not loops:
        raise ValueError("run_loops needs at least one loop")
    stop = stop if stop is not None else threading.Event()
    failed: list[str] = []
    signals: list[int] = []
    restore = _install_signal_handlers(signals)
    threads = [
        threading.Thread(target=_guarded, args=(name, loop, stop, failed), name=name)
        for name, loop in loops.items()
    ]
    try:
        for thread in threads:
            thread.start()
        log.info("worker.started", loops=list(loops))
        _wait(stop, signals)
        for thread in threads:
            thread.join()
    finally:
        restore()
    log.info("worker.stopped", failed=failed)
    return 1 if failed else 0


def _guarded(name: str, loop: Loop, stop: threading.Event, failed: list[str]) -> None:
    try:
        loop(stop)
    except BaseException:  # even SystemExit: whatever ends a loop is reported
        log.exception("worker.loop.failed", loop=name)
    else:
        if stop.is_set():
            return
        log.error("worker.loop.exited", loop=name)
    failed.append(name)
    stop.set()


def _wait(stop: threading.Event, signals: list[int]) -> None:
    # The handler only records the signal: setting the event from inside a handler
    # could deadlock on the event's own lock if the signal lands while this thread
    # holds it, so the event is set here, outside the handler.
    while not stop.wait(_SIGNAL_POLL_SECONDS):
        if signals:
            log.info("worker.stopping", signal=signal.Signals(signals[0]).name)
            stop.set()


def _install_signal_handlers(signals: list[int]) -> Callable[[], None]:
    if threading.current_thread() is not threading.main_thread():
        # Only the main thread may set handlers; the caller owns ``stop`` then.
        return lambda: None

    def record(signum: int, frame: FrameType | None) -> None:
        signals.append(signum)

    previous: dict[signal.Signals, Any] = {}
    for signum in (signal.SIGTERM, signal.SIGINT):
        previous[signum] = signal.signal(signum, record)

    def restore() -> None:
        for signum, handler in previous.items():
            signal.signal(signum, handler)

    return restore
