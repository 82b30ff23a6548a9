"""Raw payloads are stored encrypted, with a time to live, under their reference."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.exceptions import InvalidTag

from storo_gw_usdc.payloads.vault import PayloadExpired, PayloadVault

SECRET = b'{"message": "the creditor is Tendai Moyo"}'


class TestPayloadVault:
    def test_round_trip(self, vault: PayloadVault) -> None:
        stored = vault.put(transfer_id=uuid.uuid4(), kind="signed-txn", body=SECRET)
        assert vault.get(stored.object_key) == SECRET

    def test_the_object_in_s3_is_ciphertext_with_a_wrapped_key(
        self, vault: PayloadVault
    ) -> None:
        stored = vault.put(transfer_id=uuid.uuid4(), kind="signed-txn", body=SECRET)
        obj = vault.s3.get_object(Bucket=vault.bucket, Key=stored.object_key)
        blob = obj["Body"].read()
        assert b"Tendai" not in blob
        assert len(blob) == 12 + len(SECRET) + 16  # nonce, ciphertext, GCM tag
        meta = obj["Metadata"]
        assert meta["storo-cipher"] == "AES-256-GCM"
        assert datetime.fromisoformat(meta["storo-expires-at"]) == stored.expires_at

    def test_expiry_is_the_ttl_and_the_bucket_sweeps_it(
        self, vault: PayloadVault
    ) -> None:
        stored = vault.put(transfer_id=uuid.uuid4(), kind="confirmation", body=SECRET)
        expected = datetime.now(UTC) + timedelta(days=30)
        assert abs((stored.expires_at - expected).total_seconds()) < 60
        rules = vault.s3.get_bucket_lifecycle_configuration(Bucket=vault.bucket)
        assert rules["Rules"][0]["Expiration"] == {"Days": 30}
        assert rules["Rules"][0]["Filter"] == {"Prefix": "raw/"}

    def test_an_expired_payload_is_refused(self, vault: PayloadVault) -> None:
        short = PayloadVault(
            s3=vault.s3,
            kms=vault.kms,
            bucket=vault.bucket,
            kms_key_id=vault.kms_key_id,
            ttl_days=1,
        )
        short.ttl = timedelta(seconds=-1)
        stored = short.put(transfer_id=uuid.uuid4(), kind="signed-txn", body=SECRET)
        with pytest.raises(PayloadExpired):
            vault.get(stored.object_key)

    def test_ciphertext_moved_to_another_key_does_not_decrypt(
        self, vault: PayloadVault
    ) -> None:
        stored = vault.put(transfer_id=uuid.uuid4(), kind="signed-txn", body=SECRET)
        moved = stored.object_key + "-copy"
        vault.s3.copy_object(
            Bucket=vault.bucket,
            Key=moved,
            CopySource={"Bucket": vault.bucket, "Key": stored.object_key},
        )
        with pytest.raises(InvalidTag):
            vault.get(moved)
