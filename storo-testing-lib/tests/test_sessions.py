from __future__ import annotations

import sqlalchemy as sa

from storo_testing import MakeServiceDatabase, rollback_session


def test_commits_inside_are_rolled_back_at_the_end(
    service_database_factory: MakeServiceDatabase,
) -> None:
    db = service_database_factory("svc_alpha")
    engine = sa.create_engine(db.url)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE IF NOT EXISTS svc_alpha.notes (n int)"))
    with rollback_session(engine) as session:
        session.execute(sa.text("INSERT INTO svc_alpha.notes VALUES (1)"))
        session.commit()  # what a request handler does
        count = session.execute(sa.text("SELECT count(*) FROM svc_alpha.notes"))
        assert count.scalar() == 1
    with engine.connect() as conn:
        left = conn.execute(sa.text("SELECT count(*) FROM svc_alpha.notes"))
        assert left.scalar() == 0
    engine.dispose()
