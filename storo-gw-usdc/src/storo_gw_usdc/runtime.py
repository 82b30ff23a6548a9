"""Builds the gateway's parts from settings (clients, engine, gateway)."""

from __future__ import annotations

from typing import Any

import boto3
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from storo_gw_usdc.algorand.client import Algod
from storo_gw_usdc.algorand.wallet import load_hot_wallet
from storo_gw_usdc.payloads.vault import PayloadVault
from storo_gw_usdc.settings import GatewaySettings
from storo_gw_usdc.transfers.service import Gateway


class NotConfigured(RuntimeError):  # noqa: N818 - named as the fact it reports
    pass


def aws(settings: GatewaySettings, name: str) -> Any:
    return boto3.client(
        name,  # type: ignore[call-overload]
        region_name=settings.aws_region,
        endpoint_url=settings.aws_endpoint_url,
    )


def engine(settings: GatewaySettings) -> Engine:
    if not settings.database_url:
        raise NotConfigured("STORO_GW_USDC_DATABASE_URL is not set")
    return sa.create_engine(settings.database_url, pool_pre_ping=True)


def vault(settings: GatewaySettings) -> PayloadVault:
    return PayloadVault(
        s3=aws(settings, "s3"),
        kms=aws(settings, "kms"),
        bucket=settings.payload_bucket,
        kms_key_id=settings.payload_kms_key_id,
        ttl_days=settings.payload_ttl_days,
    )


def gateway(settings: GatewaySettings) -> Gateway:
    wallet = load_hot_wallet(
        aws(settings, "secretsmanager"), settings.hot_wallet_secret_id
    )
    return Gateway(
        algod=Algod(settings.algod_url, settings.algod_token),
        vault=vault(settings),
        wallet=wallet,
        asset_id=settings.asset_id,
        validity_rounds=settings.validity_rounds,
    )
