"""Algorand accounts from 32-byte ed25519 seeds, in py-algorand-sdk's formats."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from algosdk import account, mnemonic
from nacl.signing import SigningKey


@dataclass(frozen=True)
class Wallet:
    """An account: its address and its private key in algosdk's base64 form."""

    address: str
    private_key: str

    @classmethod
    def from_seed(cls, seed: bytes) -> Wallet:
        if len(seed) != 32:
            raise ValueError("an ed25519 seed is 32 bytes")
        signing = SigningKey(seed)
        # algosdk keeps a private key as base64(seed || public key).
        private_key = base64.b64encode(seed + bytes(signing.verify_key)).decode()
        return cls(account.address_from_private_key(private_key), private_key)

    @classmethod
    def from_mnemonic(cls, words: str) -> Wallet:
        private_key = mnemonic.to_private_key(words)
        return cls(account.address_from_private_key(private_key), private_key)

    @classmethod
    def from_label(cls, label: str) -> Wallet:
        """A fixed development wallet: its seed is the SHA-256 of `label`."""
        return cls.from_seed(hashlib.sha256(label.encode()).digest())

    @property
    def mnemonic(self) -> str:
        return str(mnemonic.from_private_key(self.private_key))
