"""CTS settings: the fleet's common fields plus CTS's own, from ``STORO_CTS_*``."""

from __future__ import annotations

from functools import cache

from pydantic import Field
from pydantic_settings import SettingsConfigDict
from storo_platform.settings import ServiceSettings

SCHEMA = "cts"
SERVICE = "storo-cts"


class CtsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="STORO_CTS_", extra="ignore")

    compliance_url: str = "http://127.0.0.1:8300"
    directory_url: str = "http://127.0.0.1:8400"
    # Each party's screening and the quote run concurrently, so the intake waits for
    # the slower of the two timeouts, not their sum.
    compliance_timeout_seconds: float = Field(default=2.0, gt=0)
    directory_timeout_seconds: float = Field(default=2.0, gt=0)
    # The largest amount one transfer may carry, in major units of its currency;
    # ``amount_limits`` overrides it per currency (JSON: {"ZAR": "5000000"}).
    amount_limit: str = "1000000"
    amount_limits: dict[str, str] = Field(default_factory=dict)
    # Connections kept alive to each of compliance and directory.
    http_max_connections: int = Field(default=64, ge=1)
    db_pool_size: int = Field(default=10, ge=1)
    db_max_overflow: int = Field(default=10, ge=0)
    worker_batch_size: int = Field(default=10, ge=1, le=10)
    # SQS long-poll wait; also bounds how long the worker takes to stop on SIGTERM.
    inbox_wait_seconds: int = Field(default=5, ge=0, le=20)


@cache
def get_settings() -> CtsSettings:
    return CtsSettings()
