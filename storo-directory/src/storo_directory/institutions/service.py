"""Finding institutions in one version of the institutions dataset."""

import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from storo_platform.problems import BadRequest, FieldError, NotFound

from storo_directory.catalog.cache import LoadedVersion
from storo_directory.institutions.schemas import Institution, InstitutionPage

Record = Mapping[str, Any]


class InstitutionNotFound(NotFound):
    slug = "institution-not-found"
    title = "No such institution"


@dataclass(frozen=True)
class InstitutionIndex:
    items: tuple[Record, ...]
    by_id: Mapping[str, Record]
    by_bic: Mapping[str, Record]


def build_index(version: LoadedVersion) -> InstitutionIndex:
    items = version.records
    return InstitutionIndex(
        items=items,
        by_id={r["institution_id"]: r for r in items},
        by_bic={r["bic"]: r for r in items if r.get("bic")},
    )


@dataclass(frozen=True)
class InstitutionFilter:
    country: str | None = None
    kind: str | None = None
    rail: str | None = None
    status: str | None = None
    bic: str | None = None
    national_code: str | None = None
    q: str | None = None

    def matches(self, record: Record) -> bool:
        if self.country and record["country"] != self.country.upper():
            return False
        if self.kind and record["kind"] != self.kind:
            return False
        if self.rail and self.rail not in record["rails"]:
            return False
        if self.status and record["status"] != self.status:
            return False
        if self.bic and record.get("bic") != _bic8(self.bic.upper()):
            return False
        if self.national_code and record.get("national_code") != self.national_code:
            return False
        if self.q:
            # A name fragment, or the start of a BIC.
            needle = self.q.casefold()
            names = (record["name"].casefold(), record["short_name"].casefold())
            bic = (record.get("bic") or "").casefold()
            return any(needle in name for name in names) or bic.startswith(needle)
        return True


def _bic8(bic: str) -> str:
    return bic[:8] if len(bic) == 11 and bic.endswith("XXX") else bic


def _out(record: Record, version: str) -> Institution:
    return Institution(**record, dataset_version=version)


class BadCursor(BadRequest):
    slug = "bad-cursor"
    title = "The cursor is not one this service gave out"


@dataclass(frozen=True)
class Cursor:
    version: str
    offset: int

    def encode(self) -> str:
        raw = json.dumps({"v": self.version, "o": self.offset}).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> "Cursor":
        try:
            padded = text + "=" * (-len(text) % 4)
            fields = json.loads(base64.urlsafe_b64decode(padded))
            version, offset = fields["v"], fields["o"]
        except (ValueError, KeyError, TypeError):
            raise BadCursor(
                "the cursor is malformed",
                errors=[FieldError(field="/cursor", rule="bad_cursor", message="?")],
            ) from None
        if not isinstance(version, str) or not isinstance(offset, int) or offset < 0:
            raise BadCursor("the cursor is malformed")
        return cls(version, offset)


def search(
    version: LoadedVersion, where: InstitutionFilter, *, limit: int, offset: int
) -> InstitutionPage:
    found = [r for r in version.derived(build_index).items if where.matches(r)]
    end = offset + limit
    following = Cursor(version.version, end).encode() if end < len(found) else None
    return InstitutionPage(
        items=[_out(r, version.version) for r in found[offset:end]],
        next_cursor=following,
        dataset_version=version.version,
        total=len(found),
    )


def get(version: LoadedVersion, ident: str) -> Institution:
    """By directory id, or by BIC (a branch BIC11 finds its institution's BIC8)."""
    index = version.derived(build_index)
    key = ident.upper()
    record = (
        index.by_id.get(ident)
        or index.by_bic.get(_bic8(key))
        or (index.by_bic.get(key[:8]) if len(key) == 11 else None)
    )
    if record is None:
        raise InstitutionNotFound(
            f"no institution {ident!r} in institutions {version.version}",
            institution=ident,
            dataset_version=version.version,
        )
    return _out(record, version.version)
