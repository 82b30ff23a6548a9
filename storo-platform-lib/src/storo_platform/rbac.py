"""Roles and permissions for operator actions.

The authenticating ingress sets ``X-Storo-Operator`` (the operator's id) and
``X-Storo-Roles`` (comma-separated role names) after it has verified who is calling;
services trust those headers only behind it. A route states the permission it needs
with ``Depends(require("ledger:fund"))`` and receives the `Operator`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Annotated, Final

from fastapi import Header

from storo_platform.problems import Forbidden, Unauthorized

__all__ = [
    "OPERATOR_HEADER",
    "PERMISSIONS",
    "ROLES",
    "ROLES_HEADER",
    "Operator",
    "permissions_for",
    "require",
]

OPERATOR_HEADER: Final = "X-Storo-Operator"
ROLES_HEADER: Final = "X-Storo-Roles"

_READ: Final = frozenset(
    {
        "transfers:read",
        "ledger:read",
        "compliance:read",
        "directory:read",
        "recon:read",
    }
)

_GRANTED: Final[Mapping[str, frozenset[str]]] = MappingProxyType(
    {
        "viewer": _READ,
        "support": _READ | {"transfers:hold", "transfers:release"},
        "compliance_officer": _READ
        | {
            "compliance:review",
            "compliance:lists:load",
            "transfers:hold",
            "transfers:release",
        },
        "finance": _READ
        | {"ledger:fund", "ledger:reverse", "recon:resolve", "recon:close_day"},
        "directory_admin": _READ | {"directory:publish"},
    }
)
# every permission some role grants; "admin" has them all
PERMISSIONS: Final[frozenset[str]] = frozenset().union(*_GRANTED.values())
ROLES: Final[Mapping[str, frozenset[str]]] = MappingProxyType(
    {**_GRANTED, "admin": PERMISSIONS}
)


@dataclass(frozen=True, slots=True)
class Operator:
    """A person acting through an operator tool, and the roles the ingress gave."""

    id: str
    roles: frozenset[str]

    @property
    def permissions(self) -> frozenset[str]:
        return permissions_for(self.roles)

    def can(self, permission: str) -> bool:
        return permission in self.permissions


def permissions_for(roles: Iterable[str]) -> frozenset[str]:
    """The union of the permissions of ``roles``; unknown roles grant nothing."""
    return frozenset().union(*(ROLES.get(role, frozenset()) for role in roles))


def _parse_roles(header: str | None) -> frozenset[str]:
    if not header:
        return frozenset()
    return frozenset(part.strip() for part in header.split(",") if part.strip())


def require(permission: str) -> Callable[..., Operator]:
    """A FastAPI dependency: the calling `Operator`, if it holds ``permission``.

    No operator header answers 401; an operator without the permission, 403.
    """

    def dependency(
        operator: Annotated[str | None, Header(alias=OPERATOR_HEADER)] = None,
        roles: Annotated[str | None, Header(alias=ROLES_HEADER)] = None,
    ) -> Operator:
        if operator is None or not operator.strip():
            raise Unauthorized(f"the {OPERATOR_HEADER} header is missing")
        who = Operator(operator.strip(), _parse_roles(roles))
        if not who.can(permission):
            raise Forbidden(
                f"operator {who.id!r} lacks the permission {permission!r}",
                permission=permission,
            )
        return who

    dependency.__name__ = f"require_{permission.replace(':', '_')}"
    return dependency
