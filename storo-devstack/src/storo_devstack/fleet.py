"""The fleet's catalogue: which services exist, where they listen, how they start.

This is the one place the devstack learns about a service. A service that has not
landed yet simply has no wheel in the package index; `up` says it skipped it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

DEMO_DEBTOR_ACCOUNT = "ZA-DEMO-0001"
DEMO_FUNDING = {"USDC": "1000000.000000", "ZAR": "1000000.00", "USD": "1000000.00"}


@dataclass(frozen=True)
class Service:
    """One service of the fleet as the devstack runs it."""

    name: str  # short name: "cts", "gw-usdc"
    port: int
    has_inbox: bool = True
    # Seed commands run after migrations, each a list of CLI arguments.
    seeds: tuple[tuple[str, ...], ...] = ()
    # Where the last line a seed prints is kept (the demo wallet the README uses).
    seed_output: str | None = None
    # Extra settings, "{port:NAME}" is replaced with that service's port.
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def package(self) -> str:
        return f"storo-{self.name}"

    @property
    def command(self) -> str:
        return f"storo-{self.name}"

    @property
    def schema(self) -> str:
        return self.name.replace("-", "_")

    @property
    def env_prefix(self) -> str:
        return f"STORO_{self.schema.upper()}_"

    @property
    def topic(self) -> str:
        return f"storo-{self.name}-events"

    @property
    def queue(self) -> str:
        return f"storo-{self.name}-inbox"


@dataclass(frozen=True)
class Simulator:
    """A rail simulator shipped inside its gateway's package."""

    name: str
    package: str
    command: str
    port: int


# Order matters: a service starts after the ones it calls (CTS calls compliance and
# directory), so their /ready answers first.
SERVICES: tuple[Service, ...] = (
    Service("directory", 8400, has_inbox=False, seeds=(("load-samples",),)),
    Service("compliance", 8300, has_inbox=False, seeds=(("load-samples",),)),
    Service(
        "ledger",
        8200,
        # The worker serves its posting metrics beside the API's port.
        extra_env={"WORKER_METRICS_PORT": "{port:ledger-worker}"},
        seeds=tuple(
            (
                "fund",
                *("--account", DEMO_DEBTOR_ACCOUNT),
                *("--amount", amount, "--currency", currency),
            )
            for currency, amount in DEMO_FUNDING.items()
        ),
    ),
    Service(
        "gw-usdc",
        8610,
        seeds=(("seed-dev", "--algod-url", "http://127.0.0.1:{port:algod-sim}"),),
        seed_output="demo-usdc-wallet",
        extra_env={
            "ALGOD_URL": "http://127.0.0.1:{port:algod-sim}",
            "WORKER_METRICS_PORT": "{port:gw-usdc-worker}",
        },
    ),
    Service(
        "cts",
        8100,
        extra_env={
            "COMPLIANCE_URL": "http://127.0.0.1:{port:compliance}",
            "DIRECTORY_URL": "http://127.0.0.1:{port:directory}",
        },
    ),
)

SIMULATORS: tuple[Simulator, ...] = (
    Simulator("algod-sim", "storo-gw-usdc", "storo-algod-sim", 8710),
)

AWS_PORT = 4566
PRIVATE_POSTGRES_PORT = 5499


def service(name: str) -> Service:
    for candidate in SERVICES:
        if candidate.name == name:
            return candidate
    known = ", ".join(s.name for s in SERVICES)
    raise KeyError(f"no service named {name!r}; the fleet has {known}")
