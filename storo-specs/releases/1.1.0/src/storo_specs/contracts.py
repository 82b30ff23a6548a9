"""Finding and loading the contract files this package carries.

In a wheel the contracts sit inside the package (`storo_specs/_contracts`); in a
source checkout (or a frozen release bundle) they sit two levels above the package,
beside `src/`. Either way the layout below that root is the same.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from storo_specs.errors import UnknownDocument, UnknownEventType, UnknownEventVersion
from storo_specs.inlining import bundle_document

BASE_URI = "https://storo.dev/schemas"


def contracts_root() -> Path:
    here = Path(__file__).resolve().parent
    packaged = here / "_contracts"
    if (packaged / "events").is_dir():
        return packaged
    checkout = here.parents[1]
    if (checkout / "events").is_dir():
        return checkout
    raise RuntimeError(f"storo_specs: no contracts found near {here}")


def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def _events() -> dict[tuple[str, int], dict[str, Any]]:
    found: dict[tuple[str, int], dict[str, Any]] = {}
    for path in sorted((contracts_root() / "events").glob("*/v*.json")):
        found[(path.parent.name, int(path.stem[1:]))] = _load(path)
    return found


@cache
def _documents() -> dict[str, dict[str, Any]]:
    root = contracts_root() / "api"
    return {
        p.stem: _load(p) for p in sorted(root.glob("*.json")) if p.stem != "problem"
    }


@cache
def registry() -> Registry[Any]:
    """Every schema and API document, under the URI its relative refs resolve from."""
    root = contracts_root()
    resources: list[tuple[str, Resource[Any]]] = []
    for path in sorted(root.glob("events/**/*.json")) + sorted(root.glob("api/*.json")):
        uri = f"{BASE_URI}/{path.relative_to(root).as_posix()}"
        resources.append((uri, DRAFT202012.create_resource(_load(path))))
    return Registry().with_resources(resources).crawl()


def event_uri(type_: str, v: int) -> str:
    return f"{BASE_URI}/events/{type_}/v{v}.json"


def document_uri(name: str) -> str:
    return f"{BASE_URI}/api/{name}.json"


def event_types() -> list[tuple[str, int]]:
    """Every (type, version) this release defines, sorted."""
    return sorted(_events())


def known_versions(type_: str) -> list[int]:
    return sorted(v for t, v in _events() if t == type_)


def raw_event_schema(type_: str, v: int) -> dict[str, Any]:
    """The stored schema itself (shared, do not mutate)."""
    try:
        return _events()[(type_, v)]
    except KeyError:
        versions = known_versions(type_)
        if not versions:
            raise UnknownEventType(type_) from None
        raise UnknownEventVersion(type_, v, versions) from None


def event_schema(type: str, v: int) -> dict[str, Any]:  # noqa: A002 (brief's name)
    """A copy of the JSON Schema of one event type and version."""
    return copy.deepcopy(raw_event_schema(type, v))


def raw_openapi(name: str) -> dict[str, Any]:
    try:
        return _documents()[name]
    except KeyError:
        raise UnknownDocument(name, sorted(_documents())) from None


def openapi(name: str, *, bundled: bool = False) -> dict[str, Any]:
    """A copy of one OpenAPI 3.1 document: cts, ledger, compliance, directory, ...

    As stored, the document refers to the shared definitions by relative URI
    (`../events/defs.json#/$defs/Money`). With `bundled=True` those schemas are
    copied into `components/schemas` and every ref is local, for tools that take one
    self-contained document.
    """
    if bundled:
        return bundle_document(raw_openapi(name), document_uri(name), registry())
    return copy.deepcopy(raw_openapi(name))


def documents() -> list[str]:
    return sorted(_documents())


@cache
def _topology() -> dict[str, Any]:
    loaded: dict[str, Any] = _load(contracts_root() / "topology.json")
    return loaded


def topology() -> dict[str, Any]:
    """The messaging topology: topics, inboxes, dead-letter queues, subscriptions."""
    return copy.deepcopy(_topology())
