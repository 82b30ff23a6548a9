"""The parsed shape every list format is reduced to."""

from __future__ import annotations

import builtins
import hashlib
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Literal

ListName = Literal["ofac_sdn", "un_consolidated", "eu_consolidated", "za_fic"]
LIST_NAMES: tuple[ListName, ...] = (
    "ofac_sdn",
    "un_consolidated",
    "eu_consolidated",
    "za_fic",
)
Subject = Literal["individual", "organisation", "vessel", "aircraft"]
NameKind = Literal["primary", "alias"]


@dataclass(frozen=True)
class ListedName:
    name: str
    kind: NameKind
    # The publisher's own grading of an alias ("Good"/"Low", OFAC "aka"/"fka",
    # EU strong="false"); weak aliases still match but say so in the reasons.
    quality: str | None = None


@dataclass(frozen=True)
class ListEntry:
    entry_id: str
    subject: Subject
    names: tuple[ListedName, ...]
    dates_of_birth: tuple[str, ...] = ()  # "YYYY-MM-DD" or "YYYY"
    countries: tuple[str, ...] = ()  # ISO 3166 alpha-2
    programs: tuple[str, ...] = ()
    remarks: str | None = None

    @property
    def primary_name(self) -> str:
        return self.names[0].name

    def to_json(self) -> dict[str, object]:
        return asdict(self)

    def fingerprint(self) -> str:
        """A hash of everything screening relies on, so a rule-out can tell
        whether the entry it was made against has changed since."""
        body = json.dumps(self.to_json(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(body.encode()).hexdigest()

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> ListEntry:
        """The entry back from what :meth:`to_json` stored."""
        return cls(
            entry_id=str(obj["entry_id"]),
            subject=obj["subject"],
            names=tuple(ListedName(**name) for name in obj["names"]),
            dates_of_birth=tuple(obj.get("dates_of_birth") or ()),
            countries=tuple(obj.get("countries") or ()),
            programs=tuple(obj.get("programs") or ()),
            remarks=obj.get("remarks"),
        )


@dataclass
class ParsedList:
    list: ListName
    sha256: str
    entries: builtins.list[ListEntry]
    published_at: date | None = None
    # The publisher's own identifier of this release where the format has one.
    publisher_version: str | None = None
    files: dict[str, str] = field(default_factory=dict)  # file name -> sha256

    def version(self, loaded_on: date) -> str:
        """`YYYYMMDD-<sha256 prefix>`: the date is the publication date where the
        file states one, else the load date; the hash makes it unique."""
        day = self.published_at or loaded_on
        return f"{day:%Y%m%d}-{self.sha256[:10]}"


class ListFileInvalid(ValueError):
    """A list file that cannot be loaded; the whole file is refused."""

    def __init__(self, file: str, line: int | None, reason: str) -> None:
        self.file = file
        self.line = line
        self.reason = reason
        where = f"{file}:{line}" if line is not None else file
        super().__init__(f"{where}: {reason}")
