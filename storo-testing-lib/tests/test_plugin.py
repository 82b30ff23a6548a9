from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]


def test_the_fixtures_reach_a_suite_through_the_entry_point(
    pytester: pytest.Pytester,
) -> None:
    """A separate pytest process gets the fixtures from the installed entry point.

    The suite writes into its service database and checks the AWS fixture; the
    outer test then checks the plugin dropped the database and stopped moto.
    """
    pytester.makepyfile(
        test_inner="""
        import sqlalchemy as sa

        def test_database(service_database_factory):
            db = service_database_factory("svc_inner")
            engine = sa.create_engine(db.url)
            with engine.begin() as conn:
                conn.execute(sa.text("CREATE TABLE t (id int)"))
            engine.dispose()
            print("DATABASE", db.database)

        def test_aws(aws):
            aws.client("sqs").create_queue(QueueName="storo-inner-inbox")
            print("ENDPOINT", aws.endpoint_url)
        """
    )
    result = pytester.runpytest_subprocess("-s", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)
    lines = result.outlines
    database = next(line for line in lines if "DATABASE" in line).split()[-1]
    endpoint = next(line for line in lines if "ENDPOINT" in line).split()[-1]

    from storo_testing.aws import _answers
    from storo_testing.postgres import find_or_start

    server = find_or_start()
    with server.connect() as conn:
        left = conn.execute(
            "SELECT count(*) FROM pg_database WHERE datname = %s", (database,)
        ).fetchone()
    server.stop()
    assert left == (0,)
    assert not _answers(f"{endpoint}/moto-api/")
