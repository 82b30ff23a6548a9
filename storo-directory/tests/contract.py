"""Validating what the service says against the pinned storo-specs release."""

from typing import Any

import storo_specs


def assert_api(component: str, instance: Any) -> None:
    storo_specs.validate_api("directory", component, instance)


def assert_event(envelope: dict[str, Any]) -> None:
    storo_specs.validate_event(envelope)
