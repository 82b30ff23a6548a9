"""`devstack`: run the Storo fleet on one machine.

devstack up [--swap NAME=PATH ...]   start (or keep) the fleet; print what runs where
devstack status                      what runs, where, and whether it is ready
devstack logs NAME [-f]              a process's log (NAME as `status` lists it)
devstack down                        stop what the devstack started, nothing else
devstack reset                       down, then remove the fleet's data
devstack provision                   roles, schemas and topology only (Compose)
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from storo_devstack import postgres, stack
from storo_devstack.layout import Layout
from storo_devstack.report import DevstackError, step


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="devstack", description=__doc__.splitlines()[0]
    )
    commands = parser.add_subparsers(dest="command", required=True)
    up = commands.add_parser("up", help="start the fleet, or keep it running")
    up.add_argument(
        "--swap",
        action="append",
        default=[],
        metavar="NAME=PATH",
        help="run service NAME from the source at PATH with hot reload",
    )
    commands.add_parser("status", help="what runs where")
    logs = commands.add_parser("logs", help="show one process's log")
    logs.add_argument("name")
    logs.add_argument("-f", "--follow", action="store_true")
    commands.add_parser("down", help="stop what the devstack started")
    commands.add_parser("reset", help="stop and remove all data")
    commands.add_parser(
        "provision", help="create roles, schemas, topics and queues, start nothing"
    )
    args = parser.parse_args(argv)

    layout = Layout.from_environment()
    try:
        return _dispatch(args, layout)
    except DevstackError as error:
        print(f"devstack: {error}", file=sys.stderr)
        return 1


def _dispatch(args: argparse.Namespace, layout: Layout) -> int:
    if args.command == "up":
        swaps = dict(_parse_swap(text) for text in args.swap)
        rows = stack.up(layout, swaps)
        print()
        print(stack.summary_table(rows))
        return 0
    if args.command == "status":
        print(stack.status(layout))
        return 0
    if args.command == "logs":
        return _logs(layout, args.name, args.follow)
    if args.command == "down":
        stopped = stack.down(layout)
        step("stopped " + (", ".join(stopped) if stopped else "nothing (nothing ran)"))
        return 0
    if args.command == "provision":
        stack.provision(layout)
        return 0
    stack.reset(layout)
    return 0


def _parse_swap(text: str) -> tuple[str, Path]:
    name, sep, path = text.partition("=")
    if not sep or not path:
        raise DevstackError(f"--swap wants NAME=PATH, got {text!r}")
    return name, Path(path).expanduser().resolve()


def _logs(layout: Layout, name: str, follow: bool) -> int:
    path = (
        postgres.log_file(layout) if name == "postgres" else layout.logs / f"{name}.log"
    )
    if not path.exists():
        known = sorted(p.stem for p in layout.logs.glob("*.log"))
        raise DevstackError(
            f"no log for {name!r}; there are logs for {', '.join(known)}"
        )
    with path.open() as log:
        sys.stdout.write(log.read())
        while follow:
            line = log.readline()
            if line:
                sys.stdout.write(line)
                sys.stdout.flush()
            else:
                time.sleep(0.3)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
