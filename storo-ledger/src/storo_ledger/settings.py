"""Settings of the ledger service (environment prefix ``STORO_LEDGER_``)."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict
from storo_platform.settings import ServiceSettings


class LedgerSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="STORO_LEDGER_")

    # A hold nobody settles or voids is released this long after its window's cut-off.
    hold_ttl_hours: int = 120
    # How long an event may wait for its transfer's submission before it is refused.
    park_ttl_seconds: int = 3600
    # How often the worker releases expired holds and refuses stale parked events.
    sweep_interval_seconds: float = 30.0
    # The worker's own Prometheus endpoint on 127.0.0.1 (postings happen in the
    # worker, so posting latency is observed there); 0 turns it off.
    worker_metrics_port: int = 8201
    # Loopback on a developer's machine; a container sets 0.0.0.0 for its scraper.
    worker_metrics_host: str = "127.0.0.1"
    relay_batch_size: int = 10
    # SQS long polling: also how long the worker may take to notice SIGTERM
    inbox_wait_seconds: int = 20


def load() -> LedgerSettings:
    return LedgerSettings()
