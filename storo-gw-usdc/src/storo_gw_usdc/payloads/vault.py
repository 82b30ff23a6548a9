"""Envelope encryption of raw payloads: AES-256-GCM under a fresh KMS data key.

Each object is `nonce (12 bytes) || ciphertext+tag`; the data key travels with it
only in its KMS-encrypted form (object metadata), and the object key is the
associated data, so a ciphertext copied to another key no longer decrypts. S3
deletes objects through a lifecycle rule on the prefix; `expires-at` in the
metadata (and in the database) lets readers refuse an object past its time
before the lifecycle sweep has run.
"""

from __future__ import annotations

import base64
import os
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import structlog
from botocore.exceptions import ClientError
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

log = structlog.get_logger("storo_gw_usdc.payloads")

PREFIX = "raw/"
CIPHER = "AES-256-GCM"


class PayloadExpired(LookupError):  # noqa: N818 - named as the fact it reports
    """The payload's time to live has passed."""


@dataclass(frozen=True)
class StoredPayload:
    object_key: str
    expires_at: datetime


class PayloadVault:
    def __init__(
        self, *, s3: Any, kms: Any, bucket: str, kms_key_id: str, ttl_days: int
    ) -> None:
        self.s3 = s3
        self.kms = kms
        self.bucket = bucket
        self.kms_key_id = kms_key_id
        self.ttl = timedelta(days=ttl_days)

    def put(self, *, transfer_id: uuid.UUID, kind: str, body: bytes) -> StoredPayload:
        now = datetime.now(UTC)
        expires_at = now + self.ttl
        object_key = f"{PREFIX}{transfer_id}/{now:%Y%m%dT%H%M%S%f}-{kind}"
        data_key = self.kms.generate_data_key(KeyId=self.kms_key_id, KeySpec="AES_256")
        nonce = os.urandom(12)
        sealed = AESGCM(data_key["Plaintext"]).encrypt(nonce, body, object_key.encode())
        self.s3.put_object(
            Bucket=self.bucket,
            Key=object_key,
            Body=nonce + sealed,
            ContentType="application/octet-stream",
            Expires=expires_at,
            Metadata={
                "storo-cipher": CIPHER,
                "storo-data-key": base64.b64encode(data_key["CiphertextBlob"]).decode(),
                "storo-expires-at": expires_at.isoformat(),
                "storo-kind": kind,
            },
        )
        log.debug("payload.stored", object_key=object_key, kind=kind)
        return StoredPayload(object_key, expires_at)

    def get(self, object_key: str) -> bytes:
        obj = self.s3.get_object(Bucket=self.bucket, Key=object_key)
        meta = obj["Metadata"]
        if datetime.fromisoformat(meta["storo-expires-at"]) <= datetime.now(UTC):
            raise PayloadExpired(object_key)
        plain_key = self.kms.decrypt(
            CiphertextBlob=base64.b64decode(meta["storo-data-key"])
        )["Plaintext"]
        blob = obj["Body"].read()
        return AESGCM(plain_key).decrypt(blob[:12], blob[12:], object_key.encode())

    def ensure_storage(self, region: str) -> str:
        """Create bucket, lifecycle rule and KMS alias when absent (development).

        In deployed environments Terraform owns these; this exists for seed-dev
        and the tests. Returns the KMS key id.
        """
        try:
            self.s3.head_bucket(Bucket=self.bucket)
        except ClientError:
            extra = {}
            if region != "us-east-1":
                extra["CreateBucketConfiguration"] = {"LocationConstraint": region}
            self.s3.create_bucket(Bucket=self.bucket, **extra)
        self.s3.put_bucket_lifecycle_configuration(
            Bucket=self.bucket,
            LifecycleConfiguration={
                "Rules": [
                    {
                        "ID": "raw-payload-ttl",
                        "Filter": {"Prefix": PREFIX},
                        "Status": "Enabled",
                        "Expiration": {"Days": self.ttl.days},
                    }
                ]
            },
        )
        try:
            return str(
                self.kms.describe_key(KeyId=self.kms_key_id)["KeyMetadata"]["KeyId"]
            )
        except ClientError:
            key_id = self.kms.create_key(Description="storo-gw-usdc raw payloads")[
                "KeyMetadata"
            ]["KeyId"]
            if self.kms_key_id.startswith("alias/"):
                self.kms.create_alias(AliasName=self.kms_key_id, TargetKeyId=key_id)
            return str(key_id)
