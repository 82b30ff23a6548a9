from __future__ import annotations

import secrets
import threading

import psycopg
import pytest
import sqlalchemy as sa
from psycopg import sql

from storo_testing import MakeServiceDatabase, PostgresServer
from storo_testing.databases import ensure_role


class TestServiceDatabase:
    def test_the_role_owns_its_schema_and_can_build_in_it(
        self, service_database_factory: MakeServiceDatabase
    ) -> None:
        db = service_database_factory("svc_alpha")
        engine = sa.create_engine(db.url)
        with engine.begin() as conn:
            assert conn.execute(sa.text("SELECT current_user")).scalar() == "svc_alpha"
            conn.execute(sa.text("CREATE TABLE svc_alpha.t (id int)"))
            conn.execute(sa.text("INSERT INTO t VALUES (1)"))  # search_path is set
            owner = conn.execute(
                sa.text(
                    "SELECT nspowner::regrole::text FROM pg_namespace"
                    " WHERE nspname = 'svc_alpha'"
                )
            ).scalar()
        engine.dispose()
        assert owner == "svc_alpha"

    def test_the_role_cannot_use_the_public_schema(
        self, service_database_factory: MakeServiceDatabase
    ) -> None:
        db = service_database_factory("svc_alpha")
        engine = sa.create_engine(db.url)
        with (
            pytest.raises(sa.exc.ProgrammingError, match="permission denied"),
            engine.begin() as conn,
        ):
            conn.execute(sa.text("CREATE TABLE public.t (id int)"))
        engine.dispose()

    def test_a_role_cannot_reach_another_service_database(
        self, service_database_factory: MakeServiceDatabase
    ) -> None:
        alpha = service_database_factory("svc_alpha")
        beta = service_database_factory("svc_beta")
        intruder = sa.make_url(beta.url).set(database=alpha.database)
        engine = sa.create_engine(intruder)
        with pytest.raises(sa.exc.OperationalError, match="permission denied"):
            engine.connect()
        engine.dispose()

    def test_asking_twice_in_a_session_gives_the_same_database(
        self, service_database_factory: MakeServiceDatabase
    ) -> None:
        assert service_database_factory("svc_alpha") == service_database_factory(
            "svc_alpha"
        )

    def test_the_role_is_not_privileged(
        self, service_database_factory: MakeServiceDatabase, postgres: PostgresServer
    ) -> None:
        service_database_factory("svc_alpha")
        with postgres.connect() as conn:
            row = conn.execute(
                "SELECT rolsuper, rolcreatedb, rolcreaterole, rolcanlogin"
                " FROM pg_roles WHERE rolname = 'svc_alpha'"
            ).fetchone()
        assert row == (False, False, False, True)

    def test_a_name_that_is_not_an_identifier_is_refused(
        self, service_database_factory: MakeServiceDatabase
    ) -> None:
        with pytest.raises(ValueError, match="identifier"):
            service_database_factory('cts"; DROP ROLE postgres; --')


class TestEnsureRole:
    def test_concurrent_creation_of_one_role_succeeds_everywhere(
        self, postgres: PostgresServer
    ) -> None:
        role = f"storo_race_{secrets.token_hex(4)}"
        errors: list[BaseException] = []
        barrier = threading.Barrier(6)

        def create() -> None:
            with postgres.connect() as conn:
                barrier.wait()
                try:
                    ensure_role(conn, role)
                except BaseException as error:  # noqa: BLE001 - collected for the test
                    errors.append(error)

        threads = [threading.Thread(target=create) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        try:
            assert errors == []
            with postgres.connect() as conn:
                count = conn.execute(
                    "SELECT count(*) FROM pg_roles WHERE rolname = %s", (role,)
                ).fetchone()
            assert count == (1,)
        finally:
            with postgres.connect() as conn:
                conn.execute(
                    sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role))
                )


def test_the_admin_url_is_a_superuser(postgres: PostgresServer) -> None:
    with psycopg.connect(postgres.admin_conninfo) as conn:
        row = conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        assert row.fetchone() == (True,)
