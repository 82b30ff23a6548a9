"""run_loops: named threads, one dead loop stops the worker, signals stop it cleanly."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import threading

import pytest
from structlog.testing import capture_logs

from storo_outbox import run_loops


class TestRunLoops:
    def test_a_clean_stop_returns_zero_after_every_loop_returned(self) -> None:
        seen: list[str] = []
        finished: list[str] = []
        stop = threading.Event()

        def relay(stop: threading.Event) -> None:
            seen.append(threading.current_thread().name)
            stop.wait()
            finished.append("relay")

        def consumer(stop: threading.Event) -> None:
            seen.append(threading.current_thread().name)
            stop.set()  # as a signal would, from elsewhere
            finished.append("consumer")

        assert run_loops({"relay": relay, "consumer": consumer}, stop=stop) == 0
        assert sorted(seen) == ["consumer", "relay"]
        assert sorted(finished) == ["consumer", "relay"]

    def test_a_loop_that_dies_stops_the_others_and_fails_the_worker(self) -> None:
        others: list[str] = []

        def relay(stop: threading.Event) -> None:
            stop.wait()
            others.append("relay stopped")

        def consumer(stop: threading.Event) -> None:
            raise RuntimeError("queue deleted")

        with capture_logs() as logs:
            assert run_loops({"relay": relay, "consumer": consumer}) == 1
        assert others == ["relay stopped"]
        (failure,) = [e for e in logs if e["event"] == "worker.loop.failed"]
        assert failure["loop"] == "consumer"
        assert failure["log_level"] == "error"
        assert failure["exc_info"] is True
        (stopped,) = [e for e in logs if e["event"] == "worker.stopped"]
        assert stopped["failed"] == ["consumer"]

    def test_a_loop_that_returns_before_the_stop_fails_the_worker(self) -> None:
        def rail(stop: threading.Event) -> None:
            return

        def relay(stop: threading.Event) -> None:
            stop.wait()

        with capture_logs() as logs:
            assert run_loops({"rail": rail, "relay": relay}) == 1
        assert [e["loop"] for e in logs if e["event"] == "worker.loop.exited"] == [
            "rail"
        ]

    def test_the_previous_signal_handlers_are_restored(self) -> None:
        before = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
        stop = threading.Event()
        stop.set()
        assert run_loops({"relay": lambda stop: None}, stop=stop) == 0
        assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)) == (
            before
        )

    def test_outside_the_main_thread_the_callers_event_stops_it(self) -> None:
        stop = threading.Event()
        result: list[int] = []
        worker = threading.Thread(
            target=lambda: result.append(run_loops({"relay": wait}, stop=stop))
        )
        worker.start()
        stop.set()
        worker.join()
        assert result == [0]

    def test_no_loops_is_refused(self) -> None:
        with pytest.raises(ValueError, match="at least one loop"):
            run_loops({})


def wait(stop: threading.Event) -> None:
    stop.wait()


WORKER = textwrap.dedent(
    """
    import sys, threading
    from storo_outbox import run_loops

    # The loops' marks go to stderr in single writes; the worker's log lines go to
    # stdout. Two threads printing to one stream can interleave inside a line.
    def mark(text: str) -> None:
        sys.stderr.write(text + "\\n")
        sys.stderr.flush()

    def relay(stop: threading.Event) -> None:
        mark("ready")
        stop.wait()
        mark("relay stopped")

    def consumer(stop: threading.Event) -> None:
        stop.wait()
        mark("consumer stopped")

    sys.exit(run_loops({"relay": relay, "consumer": consumer}))
    """
)


class TestSignals:
    @pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
    def test_a_signal_stops_every_loop_and_the_worker_exits_zero(
        self, signum: signal.Signals
    ) -> None:
        process = subprocess.Popen(
            [sys.executable, "-c", WORKER],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert process.stderr is not None
        try:
            assert process.stderr.readline() == "ready\n"
            process.send_signal(signum)
            out, err = process.communicate(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate()
        assert process.returncode == 0, err
        assert {"relay stopped", "consumer stopped"} <= set(err.splitlines())
        # structlog's default output: one line per event, on stdout
        (stopping,) = [line for line in out.splitlines() if "worker.stopping" in line]
        assert signum.name in stopping
