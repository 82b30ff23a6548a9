"""`storo-algod-sim`: run the algod simulator in the foreground until SIGTERM."""

from __future__ import annotations

import argparse
import logging
import signal
from types import FrameType

import structlog

from storo_gw_usdc.sim.server import Simulator


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="storo-algod-sim", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8710)
    parser.add_argument(
        "--confirm-rounds",
        type=int,
        default=1,
        help="rounds after submission in which a transaction confirms",
    )
    parser.add_argument(
        "--round-seconds",
        type=float,
        default=2.8,
        help="advance a round this often; 0 disables the timer",
    )
    parser.add_argument(
        "--no-advance-on-wait",
        action="store_true",
        help="wait-for-block-after waits for the timer instead of "
        "closing the next round at once",
    )
    parser.add_argument(
        "--token", default=None, help="require this X-Algo-API-Token on algod routes"
    )
    args = parser.parse_args(argv)
    # One debug line per request is too much for a long-running devstack process.
    structlog.configure(
        wrapper_class=structlog.make_filtering_bound_logger(logging.INFO)
    )
    sim = Simulator(
        host=args.host,
        port=args.port,
        confirm_rounds=args.confirm_rounds,
        round_seconds=args.round_seconds,
        advance_on_wait=not args.no_advance_on_wait,
        token=args.token,
    )

    def _stop(signum: int, frame: FrameType | None) -> None:
        sim._stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    print(f"storo-algod-sim listening on {sim.url}", flush=True)
    sim.serve_forever()
    sim.stop()
