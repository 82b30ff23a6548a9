"""Reading a list's files from a local path or from S3.

A single-file list (UN, EU, FIC) is one file: `path/to/file.xml` or
`s3://bucket/key.xml`. OFAC's SDN set is several files: a directory or an S3
prefix (`s3://bucket/ofac/`) holding sdn.csv, add.csv, alt.csv and optionally
sdn_comments.csv.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from storo_compliance.lists.model import ListFileInvalid, ListName
from storo_compliance.lists.parsers.ofac import FILES as OFAC_FILES

S3Factory = Callable[[], Any]
_MAX_BYTES = 200 * 1024 * 1024  # the EU file is the largest real list, ~25 MB


class SourceUnreadable(ValueError):
    """The source does not exist or cannot be read (distinct from a bad file)."""


def _split_s3(url: str) -> tuple[str, str]:
    rest = url.removeprefix("s3://")
    bucket, _, key = rest.partition("/")
    if not bucket:
        raise SourceUnreadable(f"{url!r} names no bucket")
    return bucket, key


def read_source(list_name: ListName, source: str, s3: S3Factory) -> dict[str, bytes]:
    if source.startswith("s3://"):
        return _read_s3(list_name, source, s3())
    return _read_path(list_name, Path(source))


def _read_path(list_name: ListName, path: Path) -> dict[str, bytes]:
    if list_name == "ofac_sdn":
        if not path.is_dir():
            raise SourceUnreadable(f"{path} is not a directory of the SDN CSV set")
        files = {
            p.name.lower(): p.read_bytes()
            for p in sorted(path.iterdir())
            if p.is_file() and p.name.lower() in OFAC_FILES
        }
        if not files:
            raise SourceUnreadable(f"{path} holds no file of the SDN CSV set")
        return files
    if not path.is_file():
        raise SourceUnreadable(f"{path} is not a file")
    if path.stat().st_size > _MAX_BYTES:
        raise ListFileInvalid(path.name, None, "file larger than 200 MB")
    return {path.name: path.read_bytes()}


def _read_s3(list_name: ListName, url: str, client: Any) -> dict[str, bytes]:
    bucket, key = _split_s3(url)
    try:
        if list_name == "ofac_sdn":
            prefix = key if key.endswith("/") or not key else key + "/"
            listing = client.list_objects_v2(Bucket=bucket, Prefix=prefix)
            files: dict[str, bytes] = {}
            for item in listing.get("Contents", []):
                name = item["Key"][len(prefix) :].lower()
                if name in OFAC_FILES:
                    body = client.get_object(Bucket=bucket, Key=item["Key"])["Body"]
                    files[name] = body.read()
            if not files:
                raise SourceUnreadable(f"{url} holds no file of the SDN CSV set")
            return files
        body = client.get_object(Bucket=bucket, Key=key)["Body"].read()
    except client.exceptions.NoSuchKey as exc:
        raise SourceUnreadable(f"{url} does not exist") from exc
    except client.exceptions.NoSuchBucket as exc:
        raise SourceUnreadable(f"bucket {bucket!r} does not exist") from exc
    return {key.rsplit("/", 1)[-1]: body}
