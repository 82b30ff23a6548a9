"""The gateway's settings: the fleet's common fields plus the rail's own."""

from __future__ import annotations

from pydantic import Field
from storo_platform.settings import ServiceSettings, SettingsConfigDict


class GatewaySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="STORO_GW_USDC_")

    algod_url: str = "http://127.0.0.1:8710"
    algod_token: str = ""
    # mainnet USDC (Circle's ASA); the devstack's simulator creates the same id
    asset_id: int = 31566704
    # rounds from algod's last round to the transaction's last valid round
    # (protocol maximum 1000; 100 rounds is roughly five minutes)
    validity_rounds: int = Field(default=100, ge=1, le=1000)
    hot_wallet_secret_id: str = "storo/gw-usdc/hot-wallet"  # noqa: S105 - a name
    payload_bucket: str = "storo-gw-usdc-raw-payloads"
    payload_kms_key_id: str = "alias/storo-gw-usdc-payloads"
    payload_ttl_days: int = Field(default=30, ge=1)
    # how long the worker sleeps when it has nothing to submit or follow
    poll_seconds: float = Field(default=1.0, gt=0)
    # the worker's own Prometheus endpoint (0: none); `serve` has /metrics
    worker_metrics_port: int = 0
