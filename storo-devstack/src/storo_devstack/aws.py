"""The AWS endpoint of the devstack: moto's server, and the fleet's messaging topology.

The topology (topics, queues, dead-letter queues, subscriptions) comes from the one
source of truth in storo-specs and is created by storo-outbox-lib's provisioner, the
same code the tests use, so the devstack cannot drift from Terraform or the tests.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import boto3
import storo_specs
from storo_outbox import topology as messaging

from storo_devstack import processes
from storo_devstack.layout import Layout
from storo_devstack.report import detail, step

CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "devstack",
    "AWS_SECRET_ACCESS_KEY": "devstack",
    "AWS_DEFAULT_REGION": "af-south-1",
}


def start(layout: Layout) -> None:
    port = layout.port("aws")
    if processes.pid_of(layout, "aws") is not None:
        detail(f"the AWS endpoint already runs on {port}")
        return
    processes.ensure_port_free(port, "the AWS endpoint (moto)")
    step(f"AWS endpoint: starting moto's server on {port}")
    # The devstack's own moto (the version it pins) before any other on the PATH.
    own = Path(sys.executable).parent / "moto_server"
    moto = str(own) if own.exists() else shutil.which("moto_server") or "moto_server"
    processes.start(layout, "aws", [moto, "-H", "127.0.0.1", "-p", str(port)], {})
    processes.wait_for_port(port, 30, "aws", layout)


def client(layout: Layout, name: str):  # type: ignore[no-untyped-def]
    return boto3.client(
        name,
        endpoint_url=layout.aws_endpoint,
        region_name=CREDENTIALS["AWS_DEFAULT_REGION"],
        aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )


def provision(layout: Layout) -> dict[str, dict[str, str]]:
    """Create the topology (idempotent); return each service's topic and queue."""
    step("AWS endpoint: creating topics, queues, dead-letter queues, subscriptions")
    os.environ.update({k: v for k, v in CREDENTIALS.items() if k not in os.environ})
    sns, sqs = client(layout, "sns"), client(layout, "sqs")
    messaging.provision(sns, sqs, storo_specs.topology())

    endpoints: dict[str, dict[str, str]] = {}
    for topic in sns.list_topics()["Topics"]:
        arn = topic["TopicArn"]
        service = arn.rsplit(":", 1)[1].removeprefix("storo-").removesuffix("-events")
        endpoints.setdefault(service, {})["topic_arn"] = arn
    for url in sqs.list_queues().get("QueueUrls", []):
        name = url.rsplit("/", 1)[1]
        if name.endswith("-inbox"):
            service = name.removeprefix("storo-").removesuffix("-inbox")
            endpoints.setdefault(service, {})["queue_url"] = url
    return endpoints
