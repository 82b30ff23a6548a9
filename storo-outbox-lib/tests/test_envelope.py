from __future__ import annotations

import re
import uuid

import pytest
import sqlalchemy as sa
from opentelemetry import trace
from opentelemetry.trace import NonRecordingSpan, SpanContext, TraceFlags
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from storo_outbox import emit, make_envelope
from support import SCHEMA, scalar

TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")


class TestMakeEnvelope:
    def test_has_the_cloudevents_attributes(self) -> None:
        envelope = make_envelope(
            type="outboxtest.happened", source="storo-test", subject="s-1", data={}
        )
        assert envelope["specversion"] == "1.0"
        assert uuid.UUID(envelope["id"]).version == 4
        assert TIME.match(envelope["time"])
        assert envelope["datacontenttype"] == "application/json"
        assert envelope["v"] == 1
        assert envelope["subject"] == "s-1"

    def test_without_a_trace_has_no_traceparent(self) -> None:
        envelope = make_envelope(type="t", source="s", subject="x", data={})
        assert "traceparent" not in envelope

    def test_carries_the_current_span_as_traceparent(self) -> None:
        context = SpanContext(
            trace_id=0x0AF7651916CD43DD8448EB211C80319C,
            span_id=0xB7AD6B7169203331,
            is_remote=False,
            trace_flags=TraceFlags(TraceFlags.SAMPLED),
        )
        with trace.use_span(NonRecordingSpan(context)):
            envelope = make_envelope(type="t", source="s", subject="x", data={})
        assert envelope["traceparent"] == (
            "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
        )


class TestEmit:
    def test_a_rolled_back_transaction_leaves_no_event(self, engine: Engine) -> None:
        with Session(engine) as session, session.begin():
            emit(session, schema=SCHEMA, type="t", source="s", subject="x", data={})
            session.rollback()
        assert scalar(engine, f"SELECT count(*) FROM {SCHEMA}.outbox") == 0

    def test_a_committed_event_is_pending_with_its_envelope(
        self, engine: Engine
    ) -> None:
        with Session(engine) as session, session.begin():
            envelope = emit(
                session,
                schema=SCHEMA,
                type="outboxtest.happened",
                source="storo-test",
                subject="s-1",
                data={"amount": {"amount": "125.50", "currency": "ZAR"}},
            )
        with engine.connect() as conn:
            row = conn.execute(sa.text(f"SELECT * FROM {SCHEMA}.outbox")).one()
        assert str(row.event_id) == envelope["id"]
        assert row.envelope == envelope
        assert row.type == "outboxtest.happened"
        assert row.subject == "s-1"
        assert row.published_at is None

    def test_the_same_event_id_twice_is_refused(self, engine: Engine) -> None:
        from storo_outbox import emit_envelope

        envelope = make_envelope(type="t", source="s", subject="x", data={})
        with Session(engine) as session, session.begin():
            emit_envelope(session, schema=SCHEMA, envelope=envelope)
        with (
            pytest.raises(sa.exc.IntegrityError),
            Session(engine) as session,
            session.begin(),
        ):
            emit_envelope(session, schema=SCHEMA, envelope=envelope)
