"""The errors storo_specs raises. All subclass ContractError."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Issue:
    """One failed rule: where (a JSON pointer into the instance), which rule, why."""

    pointer: str
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.pointer or '/'}: {self.rule}: {self.message}"


class ContractError(Exception):
    """Base of every storo_specs error."""


class EventInvalid(ContractError):
    """The instance breaks its contract; `.issues` lists every failed rule."""

    def __init__(self, issues: list[Issue], *, what: str = "event") -> None:
        self.issues = sorted(set(issues))
        lines = "; ".join(str(i) for i in self.issues)
        super().__init__(f"{what} invalid: {lines}")


class ApiInvalid(EventInvalid):
    """An API instance breaks its component schema.

    It subclasses EventInvalid so that callers catching the one error class the
    fleet's brief names for both functions keep working.
    """

    def __init__(self, issues: list[Issue]) -> None:
        super().__init__(issues, what="api instance")


class UnknownEventType(ContractError):
    def __init__(self, type_: str) -> None:
        self.type = type_
        super().__init__(f"unknown event type {type_!r}")


class UnknownEventVersion(ContractError):
    def __init__(self, type_: str, v: object, known: list[int]) -> None:
        self.type = type_
        self.v = v
        self.known = known
        super().__init__(
            f"unknown version {v!r} of event type {type_!r} (known: {known})"
        )


class UnknownDocument(ContractError):
    def __init__(self, name: str, known: list[str]) -> None:
        self.name = name
        super().__init__(f"unknown API document {name!r} (known: {known})")


class UnknownComponent(ContractError):
    def __init__(self, document: str, component: str) -> None:
        self.document = document
        self.component = component
        super().__init__(
            f"API document {document!r} has no component schema {component!r}"
        )
