"""Opaque cursors: the last key of a page, base64url-encoded JSON."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from storo_platform.problems import BadRequest, FieldError


def encode(key: Any) -> str:
    raw = json.dumps({"k": key}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str | None, kind: type) -> Any:
    if cursor is None:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key = json.loads(base64.urlsafe_b64decode(padded.encode()))["k"]
        if not isinstance(key, kind):
            raise TypeError(key)
        return key
    except (ValueError, KeyError, TypeError, binascii.Error):
        raise BadRequest(
            "the cursor is not one this API returned",
            errors=[FieldError("cursor", "invalid_cursor", "unknown cursor")],
        ) from None
