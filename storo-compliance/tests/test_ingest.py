"""Ingest against the real database and the emulator's S3."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker
from storo_outbox import Relay
from storo_specs import validate_event
from storo_testing.drain import drain

from storo_compliance.cli import SAMPLE_SOURCES
from storo_compliance.lists import repository
from storo_compliance.lists.service import ingest
from tests.conftest import no_s3, sample_files


def outbox(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT envelope FROM compliance.outbox ORDER BY id")
        ).scalars()
        return list(rows)


def live(sessions: sessionmaker[Session]) -> dict[str, dict[str, Any]]:
    with sessions() as session:
        return {r["list"]: r for r in repository.active_versions(session)}


class TestIngest:
    def test_each_sample_loads_with_its_metadata(
        self, engine: Engine, sessions: sessionmaker[Session], loaded: Any
    ) -> None:
        assert {r.status for r in loaded.values()} == {"loaded"}
        versions = live(sessions)
        assert set(versions) == set(SAMPLE_SOURCES)
        un = versions["un_consolidated"]
        assert un["published_at"].isoformat() == "2026-12-01"
        assert un["version"].startswith("20261201-")
        assert un["entry_count"] == 4
        assert len(un["sha256"]) == 64
        assert versions["ofac_sdn"]["entry_count"] == 8

    def test_every_version_loaded_emits_refreshed(
        self, engine: Engine, loaded: Any
    ) -> None:
        events = outbox(engine)
        assert [e["type"] for e in events] == ["compliance.lists.refreshed"] * 4
        eu = next(e for e in events if e["data"]["list"] == "eu_consolidated")
        assert eu["source"] == "storo-compliance"
        assert eu["data"]["published_at"] == "2026-12-02"
        assert eu["data"]["entry_count"] == 3
        assert eu["time"].endswith("Z") and eu["data"]["loaded_at"].endswith("Z")
        for event in events:
            validate_event(event)

    def test_identical_file_confirms_without_new_version(
        self, engine: Engine, sessions: sessionmaker[Session], loaded: Any
    ) -> None:
        before = live(sessions)["za_fic"]
        again = ingest(
            engine, sessions, "za_fic", str(SAMPLE_SOURCES["za_fic"]), s3=no_s3
        )
        after = live(sessions)["za_fic"]
        assert again.status == "unchanged"
        assert after["id"] == before["id"]
        assert after["confirmed_at"] > before["confirmed_at"]
        assert len(outbox(engine)) == 4

    def test_bad_file_is_refused_whole_and_old_version_stays(
        self,
        engine: Engine,
        sessions: sessionmaker[Session],
        loaded: Any,
        tmp_path: Any,
    ) -> None:
        body = sample_files("un_consolidated")["un_consolidated.xml"]
        # a good first entry, then a broken one: nothing of it may be loaded
        bad = tmp_path / "un.xml"
        bad.write_bytes(body.replace(b"<DATAID>6908003</DATAID>", b""))
        result = ingest(engine, sessions, "un_consolidated", str(bad), s3=no_s3)
        assert result.status == "failed"
        with sessions() as session:
            job = repository.get_job(session, result.job_id)
            history = repository.versions(session, "un_consolidated")
        assert job is not None
        assert (job["status"], job["error_file"], job["error_line"]) == (
            "failed",
            "un.xml",
            49,  # the <INDIVIDUAL> that opens the broken row
        )
        assert "no DATAID" in job["error_reason"]
        assert len(history) == 1 and history[0]["active"]
        assert live(sessions)["un_consolidated"]["id"] == history[0]["id"]

    def test_new_version_replaces_the_old_one(
        self,
        engine: Engine,
        sessions: sessionmaker[Session],
        loaded: Any,
        tmp_path: Any,
    ) -> None:
        body = sample_files("za_fic")["za_fic.xml"]
        newer = tmp_path / "za.xml"
        newer.write_bytes(body.replace(b"Tendai Blessing", b"Tendai B."))
        result = ingest(engine, sessions, "za_fic", str(newer), s3=no_s3)
        assert result.status == "loaded"
        with sessions() as session:
            history = repository.versions(session, "za_fic")
        assert [v["active"] for v in history] == [True, False]
        assert history[0]["version"] == result.version
        with engine.connect() as conn:
            names = conn.execute(
                sa.text(
                    "SELECT primary_name FROM compliance.list_entries "
                    "WHERE version_id = :v ORDER BY id"
                ),
                {"v": history[0]["id"]},
            ).scalars()
            assert "Tendai B. Chikwanha" in list(names)

    def test_progress_is_reported_per_batch(
        self, engine: Engine, sessions: sessionmaker[Session]
    ) -> None:
        lines: list[str] = []
        result = ingest(
            engine,
            sessions,
            "ofac_sdn",
            str(SAMPLE_SOURCES["ofac_sdn"]),
            s3=no_s3,
            batch_size=3,
            progress=lines.append,
        )
        assert result.status == "loaded"
        stored = [line for line in lines if "stored" in line]
        assert stored == [
            "ofac_sdn: stored 3/8",
            "ofac_sdn: stored 6/8",
            "ofac_sdn: stored 8/8",
        ]
        with sessions() as session:
            job = repository.get_job(session, result.job_id)
        assert job is not None and (job["processed"], job["total"]) == (8, 8)


class TestS3Source:
    def test_single_file_and_ofac_prefix_from_s3(
        self, engine: Engine, sessions: sessionmaker[Session], aws: Any
    ) -> None:
        s3 = aws.client("s3")
        s3.create_bucket(
            Bucket="lists",
            CreateBucketConfiguration={"LocationConstraint": "af-south-1"},
        )
        s3.put_object(
            Bucket="lists",
            Key="eu/2026-12-02.xml",
            Body=sample_files("eu_consolidated")["eu_consolidated.xml"],
        )
        for name, body in sample_files("ofac_sdn").items():
            s3.put_object(Bucket="lists", Key=f"ofac/{name}", Body=body)

        def factory() -> Any:
            return aws.client("s3")

        eu = ingest(
            engine,
            sessions,
            "eu_consolidated",
            "s3://lists/eu/2026-12-02.xml",
            s3=factory,
        )
        ofac = ingest(engine, sessions, "ofac_sdn", "s3://lists/ofac/", s3=factory)
        missing = ingest(
            engine, sessions, "za_fic", "s3://lists/za/none.xml", s3=factory
        )
        assert (eu.status, ofac.status, missing.status) == (
            "loaded",
            "loaded",
            "failed",
        )
        assert missing.error is not None and "does not exist" in missing.error
        versions = live(sessions)
        # same bytes as the sample on disk: same hash
        assert versions["ofac_sdn"]["entry_count"] == 8
        assert versions["eu_consolidated"]["source"] == "s3://lists/eu/2026-12-02.xml"


class TestRelay:
    def test_refreshed_events_reach_the_compliance_topic(
        self, engine: Engine, loaded: Any, aws: Any, topology: dict[str, str]
    ) -> None:
        sns, sqs = aws.client("sns"), aws.client("sqs")
        topic = next(v for k, v in topology.items() if "compliance-events" in k)
        # compliance has no subscriber in the fleet: a test queue listens in.
        queue_url = sqs.create_queue(QueueName="compliance-events-probe")["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])[
            "Attributes"
        ]["QueueArn"]
        sns.subscribe(
            TopicArn=topic,
            Protocol="sqs",
            Endpoint=arn,
            Attributes={"RawMessageDelivery": "true"},
        )
        relay = Relay(engine, schema="compliance", sns=sns, topic_arn=topic)
        assert relay.run_once() == 4
        received = drain(sqs, queue_url, timeout=10, count=4)
        assert sorted(e["data"]["list"] for e in received) == sorted(SAMPLE_SOURCES)
        for envelope in received:
            validate_event(envelope)
