import pytest
from pydantic import ValidationError

from storo_platform.settings import ServiceSettings, SettingsConfigDict


class CtsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="STORO_CTS_")

    compliance_url: str = "http://127.0.0.1:8300"


class LedgerSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="STORO_LEDGER_")


class TestServiceSettings:
    def test_common_fields_come_from_the_service_prefix(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        url = "postgresql+psycopg://cts@127.0.0.1:5432/storo"
        monkeypatch.setenv("STORO_CTS_DATABASE_URL", url)
        monkeypatch.setenv("STORO_CTS_AWS_ENDPOINT_URL", "http://127.0.0.1:4566")
        monkeypatch.setenv("STORO_CTS_EVENTS_TOPIC_ARN", "arn:aws:sns:x:1:t")
        monkeypatch.setenv("STORO_CTS_INBOX_QUEUE_URL", "http://q")
        monkeypatch.setenv("STORO_CTS_OTLP_ENDPOINT", "http://127.0.0.1:4318")
        monkeypatch.setenv("STORO_CTS_LOG_FORMAT", "console")
        monkeypatch.setenv("STORO_CTS_COMPLIANCE_URL", "http://compliance:8300")
        settings = CtsSettings()
        assert settings.database_url == url
        assert settings.aws_endpoint_url == "http://127.0.0.1:4566"
        assert settings.events_topic_arn == "arn:aws:sns:x:1:t"
        assert settings.inbox_queue_url == "http://q"
        assert settings.otlp_endpoint == "http://127.0.0.1:4318"
        assert settings.log_format == "console"
        assert settings.compliance_url == "http://compliance:8300"

    def test_defaults_hold_without_environment(self) -> None:
        settings = LedgerSettings()
        assert settings.aws_region == "af-south-1"
        assert settings.log_format == "json"
        assert settings.database_url is None
        assert settings.otlp_endpoint is None

    def test_another_services_prefix_is_not_read(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("STORO_CTS_AWS_REGION", "eu-west-1")
        assert LedgerSettings().aws_region == "af-south-1"
        assert CtsSettings().aws_region == "eu-west-1"

    def test_invalid_log_format_is_refused(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("STORO_LEDGER_LOG_FORMAT", "xml")
        with pytest.raises(ValidationError):
            LedgerSettings()

    def test_unknown_variables_under_the_prefix_are_ignored(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("STORO_LEDGER_SOMETHING_ELSE", "1")
        assert not hasattr(LedgerSettings(), "something_else")

    def test_values_can_be_passed_directly(self) -> None:
        assert LedgerSettings(aws_region="af-south-1").aws_region == "af-south-1"
