from typing import Annotated

import pytest
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient

from storo_platform.problems import install_problem_handlers
from storo_platform.rbac import (
    PERMISSIONS,
    ROLES,
    Operator,
    permissions_for,
    require,
)


@pytest.fixture(scope="module")
def client() -> TestClient:
    app = FastAPI()
    install_problem_handlers(app)

    @app.post("/v1/funding")
    def fund(
        operator: Annotated[Operator, Depends(require("ledger:fund"))],
    ) -> dict[str, object]:
        return {"operator": operator.id, "roles": sorted(operator.roles)}

    return TestClient(app)


class TestRequire:
    def test_operator_with_the_permission_passes(self, client: TestClient) -> None:
        response = client.post(
            "/v1/funding",
            headers={"X-Storo-Operator": "op-7", "X-Storo-Roles": "viewer, finance"},
        )
        assert response.status_code == 200
        assert response.json() == {"operator": "op-7", "roles": ["finance", "viewer"]}

    def test_admin_has_every_permission(self, client: TestClient) -> None:
        headers = {"X-Storo-Operator": "root", "X-Storo-Roles": "admin"}
        assert client.post("/v1/funding", headers=headers).status_code == 200

    def test_missing_operator_is_unauthorized(self, client: TestClient) -> None:
        response = client.post("/v1/funding", headers={"X-Storo-Roles": "admin"})
        assert response.status_code == 401
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["type"] == "https://storo.dev/problems/unauthorized"

    def test_blank_operator_is_unauthorized(self, client: TestClient) -> None:
        headers = {"X-Storo-Operator": "  ", "X-Storo-Roles": "admin"}
        assert client.post("/v1/funding", headers=headers).status_code == 401

    @pytest.mark.parametrize("roles", [None, "", "viewer", "support", "Finance"])
    def test_operator_without_the_permission_is_forbidden(
        self, client: TestClient, roles: str | None
    ) -> None:
        headers = {"X-Storo-Operator": "op-7"}
        if roles is not None:
            headers["X-Storo-Roles"] = roles
        response = client.post("/v1/funding", headers=headers)
        assert response.status_code == 403
        body = response.json()
        assert body["type"] == "https://storo.dev/problems/forbidden"
        assert body["permission"] == "ledger:fund"
        assert "op-7" in body["detail"]


class TestRoles:
    def test_admin_holds_every_permission_some_role_grants(self) -> None:
        assert ROLES["admin"] == PERMISSIONS
        assert all(perms <= PERMISSIONS for perms in ROLES.values())

    def test_viewer_only_reads(self) -> None:
        assert all(p.endswith(":read") for p in ROLES["viewer"])

    def test_permissions_of_several_roles_are_united(self) -> None:
        granted = permissions_for(["finance", "directory_admin", "nonexistent"])
        assert {"ledger:fund", "directory:publish", "transfers:read"} <= granted
        assert "compliance:review" not in granted

    def test_operator_checks_its_permissions(self) -> None:
        op = Operator("op-1", frozenset({"compliance_officer"}))
        assert op.can("compliance:review")
        assert not op.can("ledger:fund")

    def test_roles_cannot_be_changed_at_run_time(self) -> None:
        with pytest.raises(TypeError):
            ROLES["viewer"] = frozenset({"ledger:fund"})  # type: ignore[index]
