"""Service settings from the environment, one prefix per service.

Every service subclasses `ServiceSettings` and sets its own prefix, so the devstack
can set the common fields the same way everywhere::

    class CtsSettings(ServiceSettings):
        model_config = SettingsConfigDict(env_prefix="STORO_CTS_")
        compliance_url: str = "http://127.0.0.1:8300"

pydantic merges ``model_config`` with this base, so the base's choices (unknown
variables ignored, values validated) hold in every subclass.
"""

from __future__ import annotations

from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["ServiceSettings", "SettingsConfigDict"]


class ServiceSettings(BaseSettings):
    """The fields every Storo service has (``STORO_<NAME>_<FIELD>``)."""

    model_config = SettingsConfigDict(
        env_prefix="STORO_",
        extra="ignore",
        case_sensitive=False,
        validate_default=True,
    )

    # e.g. postgresql+psycopg://cts@127.0.0.1:5432/storo; the service's own role
    database_url: str | None = None
    aws_endpoint_url: str | None = None
    aws_region: str = "af-south-1"
    events_topic_arn: str | None = None
    inbox_queue_url: str | None = None
    # base URL of an OTLP/HTTP collector; unset means no trace export at all
    otlp_endpoint: str | None = None
    log_format: Literal["json", "console"] = "json"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # the image build sets it; /version reports it
    git_revision: str = "unknown"
