"""Resolving `$ref`s ahead of time.

Validation walks an inlined copy of each schema: following refs through the registry
on every validation costs more than the validation itself. `bundle_document` gives an
OpenAPI document whose external refs became local components, for tools that want
one self-contained file.
"""

from __future__ import annotations

import copy
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urldefrag, urljoin

from referencing import Registry

# A subschema's own $id or $schema would change how the inlined copy resolves.
_ROOT_ONLY = {"$id", "$schema"}


def inline(
    node: Any, base: str, registry: Registry[Any], seen: tuple[str, ...] = ()
) -> Any:
    """`node` with every `$ref` replaced by the schema it names, recursively."""
    if isinstance(node, list):
        return [inline(item, base, registry, seen) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    rest = {k: v for k, v in node.items() if k != "$ref" and k not in _ROOT_ONLY}
    if not isinstance(ref, str):
        return {k: inline(v, base, registry, seen) for k, v in rest.items()}
    target = urljoin(base, ref)
    if target in seen:
        raise ValueError(f"recursive reference {target}: cannot inline")
    found = registry.resolver(base_uri=base).lookup(ref)
    where = urldefrag(target).url
    contents = inline(found.contents, where, registry, (*seen, target))
    siblings = {k: inline(v, base, registry, seen) for k, v in rest.items()}
    if not siblings:
        return contents
    return {"allOf": [contents], **siblings}


def bundle_document(
    document: dict[str, Any], base: str, registry: Registry[Any]
) -> dict[str, Any]:
    """A copy of an OpenAPI document with external refs moved into its components."""
    schemas: dict[str, Any] = document.get("components", {}).get("schemas", {})
    names: dict[str, str] = {}
    pending: list[str] = []

    def allocate(target: str) -> str:
        if target in names:
            return names[target]
        uri, fragment = urldefrag(target)
        stem = fragment.rsplit("/", 1)[-1] if fragment else PurePosixPath(uri).stem
        stem = stem[:1].upper() + stem[1:]
        name, n = stem, 2
        while name in schemas or name in names.values():
            name, n = f"{stem}{n}", n + 1
        names[target] = name
        pending.append(target)
        return name

    # A component that only points outside takes the outside schema's place.
    for name, schema in schemas.items():
        ref = schema.get("$ref") if isinstance(schema, dict) else None
        if isinstance(ref, str) and set(schema) == {"$ref"} and not ref.startswith("#"):
            target = urljoin(base, ref)
            if target not in names:
                names[target] = name
                pending.append(target)

    def rewrite(node: Any, where: str) -> Any:
        if isinstance(node, list):
            return [rewrite(item, where) for item in node]
        if not isinstance(node, dict):
            return node
        out = {k: rewrite(v, where) for k, v in node.items() if k not in _ROOT_ONLY}
        ref = node.get("$ref")
        if isinstance(ref, str):
            target = urljoin(where, ref)
            if urldefrag(target).url == base:
                out["$ref"] = ref
            else:
                out["$ref"] = f"#/components/schemas/{allocate(target)}"
        return out

    bundled: dict[str, Any] = rewrite(copy.deepcopy(document), base)
    bundled.setdefault("components", {}).setdefault("schemas", {})
    done: set[str] = set()
    while pending:
        target = pending.pop()
        if target in done:
            continue
        done.add(target)
        found = registry.resolver(base_uri=base).lookup(target)
        content = rewrite(found.contents, urldefrag(target).url)
        bundled["components"]["schemas"][names[target]] = content
    return bundled
