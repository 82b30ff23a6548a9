"""`make compat`: classify every contract change between a release and the tree.

Each change gets a severity:

- patch: no effect on what validates (descriptions, titles, rule names);
- minor: additive (a new event, version, path, operation or optional field; an enum
  or type widened; a bound loosened; a deprecation mark);
- major: the removal of something deprecated long enough (see below);
- breaking: anything that makes a previously valid instance invalid or takes away
  what a consumer relies on. Never allowed in place: it must come as a new event
  version (`events/<type>/v2.json`) or a new `/vN` path beside the old one.

A schema, operation or path is deprecated with `"deprecated": true` and
`"x-storo-removable-after": "<x.y.z>"`. Removing it is allowed once the latest release
is at least that number and at least two releases carried the mark.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin

from bundles import RELEASES, ROOT, latest, parse_version, released_versions

BASE = "https://storo.dev/schemas/"
SEVERITIES = ["none", "patch", "minor", "major", "breaking"]
ANNOTATIONS = {"title", "description", "$comment", "examples", "default", "$schema"}
ANNOTATIONS |= {"$id", "x-storo-rules", "x-storo-event", "x-storo-checks"}
ANNOTATIONS |= {"x-storo-currency-exponents", "summary", "operationId", "servers"}
LOWER_BOUNDS = {"minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties"}
UPPER_BOUNDS = {"maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties"}
NESTED = {"items", "propertyNames", "contains", "if", "then", "else", "not"}
METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
REMOVABLE = "x-storo-removable-after"


@dataclass(frozen=True)
class Change:
    severity: str
    kind: str
    where: str
    detail: str = ""

    def __str__(self) -> str:
        tail = f" ({self.detail})" if self.detail else ""
        return f"{self.severity:8} {self.kind:28} {self.where}{tail}"


@dataclass
class Report:
    changes: list[Change] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        levels = [SEVERITIES.index(c.severity) for c in self.changes]
        return SEVERITIES[max(levels, default=0)]

    def kinds(self) -> set[str]:
        return {c.kind for c in self.changes}

    def render(self) -> str:
        lines = [str(c) for c in sorted(self.changes, key=lambda c: c.where)]
        lines.append(f"verdict: {self.verdict}")
        return "\n".join(lines)


# ------------------------------------------------------------------ loading


class Contracts:
    """One tree of contracts (a release bundle or the working tree), refs resolved."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.docs: dict[str, Any] = {}
        # resolved targets, shared (comparison only reads them)
        self._resolved: dict[str, Any] = {}
        for path in sorted(root.glob("events/**/*.json")) + sorted(
            root.glob("api/*.json")
        ):
            uri = BASE + path.relative_to(root).as_posix()
            self.docs[uri] = json.loads(path.read_text())

    @cached_property
    def events(self) -> dict[tuple[str, int], Any]:
        found = {}
        for path in sorted(self.root.glob("events/*/v*.json")):
            uri = BASE + path.relative_to(self.root).as_posix()
            found[(path.parent.name, int(path.stem[1:]))] = self.resolve(
                self.docs[uri], uri
            )
        return found

    @cached_property
    def apis(self) -> dict[str, Any]:
        return {
            path.stem: self.resolve(
                self.docs[BASE + f"api/{path.name}"], BASE + f"api/{path.name}"
            )
            for path in sorted(self.root.glob("api/*.json"))
            if path.stem != "problem"
        }

    def resolve(self, node: Any, base: str, seen: tuple[str, ...] = ()) -> Any:
        if isinstance(node, list):
            return [self.resolve(item, base, seen) for item in node]
        if not isinstance(node, dict):
            return node
        if isinstance(node.get("$ref"), str):
            target = urljoin(base, node["$ref"])
            if target in seen:
                return node
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            if target in self._resolved and not siblings:
                return self._resolved[target]
            uri, fragment = urldefrag(target)
            try:
                found: Any = self.docs[uri]
                for token in [t for t in fragment.split("/") if t]:
                    found = found[token.replace("~1", "/").replace("~0", "~")]
            except (KeyError, IndexError, TypeError):
                return {"$unresolved": target}
            resolved = self.resolve(found, uri, (*seen, target))
            self._resolved[target] = resolved
            return {**resolved, **self.resolve(siblings, base, seen)}
        return {k: self.resolve(v, base, seen) for k, v in node.items()}


# ------------------------------------------------------------------ schemas


def _types(schema: dict[str, Any]) -> set[str] | None:
    value = schema.get("type")
    if value is None:
        return None
    return {value} if isinstance(value, str) else set(value)


def compare_schema(old: Any, new: Any, where: str) -> list[Change]:
    if not isinstance(old, dict) or not isinstance(new, dict):
        if old == new:
            return []
        return [Change("breaking", "schema_replaced", where)]
    out: list[Change] = []
    keys = set(old) | set(new)
    for key in sorted(keys):
        a, b = old.get(key), new.get(key)
        if a == b:
            continue
        at = f"{where}/{key}"
        if key == "$unresolved":
            out.append(Change("breaking", "unresolvable_ref", where, str(b)))
        elif key in ANNOTATIONS:
            out.append(Change("patch", "annotation_changed", at))
        elif key == "deprecated":
            out.append(Change("minor", "deprecated", where))
        elif key == REMOVABLE:
            if a is not None:  # a fresh mark is reported as "deprecated"
                out.append(Change("patch", "removal_date_changed", where))
        elif key == "properties":
            out += _compare_properties(old, new, where)
        elif key == "required":
            out += _compare_required(old, new, where)
        elif key == "type":
            out += _compare_sets(_types(old), _types(new), at, "type")
        elif key == "enum":
            out += _compare_sets(
                None if a is None else {json.dumps(x) for x in a},
                None if b is None else {json.dumps(x) for x in b},
                at,
                "enum",
            )
        elif key in LOWER_BOUNDS | UPPER_BOUNDS:
            out.append(_compare_bound(key, a, b, at))
        elif key == "additionalProperties":
            out += _compare_additional(a, b, at)
        elif key in NESTED or key in {"patternProperties", "$defs"}:
            out += _compare_nested(key, a, b, at)
        elif key in {"allOf", "anyOf", "oneOf"}:
            out += _compare_list(key, a or [], b or [], at)
        elif b is None:
            # pattern, format, const, uniqueItems...: dropping a constraint widens
            out.append(Change("minor", f"{key}_removed", at))
        else:
            out.append(Change("breaking", f"{key}_changed", at, f"{a!r} -> {b!r}"))
    return out


def _compare_properties(
    old: dict[str, Any], new: dict[str, Any], where: str
) -> list[Change]:
    a, b = old.get("properties", {}), new.get("properties", {})
    required = set(new.get("required", []))
    out: list[Change] = []
    for name in sorted(set(a) | set(b)):
        at = f"{where}/properties/{name}"
        if name not in b:
            out.append(Change("breaking", "property_removed", at))
        elif name not in a:
            if name in required:
                out.append(Change("breaking", "required_property_added", at))
            else:
                out.append(Change("minor", "property_added", at))
        else:
            out += compare_schema(a[name], b[name], at)
    return out


def _compare_required(
    old: dict[str, Any], new: dict[str, Any], where: str
) -> list[Change]:
    before, after = set(old.get("required", [])), set(new.get("required", []))
    known = set(old.get("properties", {}))
    out = []
    for name in sorted(after - before):
        if name in known or not new.get("properties", {}).get(name):
            out.append(Change("breaking", "made_required", f"{where}/{name}"))
    for name in sorted(before - after):
        out.append(Change("minor", "made_optional", f"{where}/{name}"))
    return out


def _compare_sets(
    a: set[str] | None, b: set[str] | None, at: str, what: str
) -> list[Change]:
    if a is None:  # a constraint added where there was none
        return [Change("breaking", f"{what}_narrowed", at, f"now {sorted(b or [])}")]
    if b is None:
        return [Change("minor", f"{what}_widened", at, "constraint removed")]
    out = []
    if a - b:
        out.append(Change("breaking", f"{what}_narrowed", at, f"lost {sorted(a - b)}"))
    if b - a:
        out.append(Change("minor", f"{what}_widened", at, f"gained {sorted(b - a)}"))
    return out


def _compare_bound(key: str, a: Any, b: Any, at: str) -> Change:
    lower = key in LOWER_BOUNDS
    if a is None:
        return Change("breaking", "bound_tightened", at, f"{key} {b} added")
    if b is None:
        return Change("minor", "bound_loosened", at, f"{key} removed")
    tighter = b > a if lower else b < a
    if tighter:
        return Change("breaking", "bound_tightened", at, f"{key} {a} -> {b}")
    return Change("minor", "bound_loosened", at, f"{key} {a} -> {b}")


def _compare_additional(a: Any, b: Any, at: str) -> list[Change]:
    a = True if a is None else a
    b = True if b is None else b
    if a is True:
        return [Change("breaking", "closed_to_extra_fields", at)]
    if b is True:
        return [Change("minor", "opened_to_extra_fields", at)]
    if a is False or b is False:
        kind = "closed_to_extra_fields" if b is False else "opened_to_extra_fields"
        return [Change("breaking" if b is False else "minor", kind, at)]
    return compare_schema(a, b, at)


def _compare_nested(key: str, a: Any, b: Any, at: str) -> list[Change]:
    if a is None:
        return [Change("breaking", f"{key}_added", at)]
    if b is None:
        return [Change("minor", f"{key}_removed", at)]
    if key in {"patternProperties", "$defs"}:
        out = []
        for name in sorted(set(a) | set(b)):
            out += _compare_nested("schema", a.get(name), b.get(name), f"{at}/{name}")
        return out
    return compare_schema(a, b, at)


def _compare_list(key: str, a: list[Any], b: list[Any], at: str) -> list[Change]:
    out: list[Change] = []
    for index in range(max(len(a), len(b))):
        here = f"{at}/{index}"
        if index >= len(a):
            widening = key != "allOf"
            out.append(
                Change("minor" if widening else "breaking", f"{key}_added", here)
            )
        elif index >= len(b):
            widening = key == "allOf"
            out.append(
                Change("minor" if widening else "breaking", f"{key}_removed", here)
            )
        else:
            out += compare_schema(a[index], b[index], here)
    return out


# ------------------------------------------------------------------ removal rules


def _removal(
    what: str, where: str, old: dict[str, Any], history: list[str], latest_release: str
) -> Change:
    """A removal is major when deprecated for two releases and past its date."""
    after = old.get(REMOVABLE)
    if not old.get("deprecated") or not isinstance(after, str):
        return Change("breaking", f"{what}_removed", where, "never deprecated")
    carried = len(history)
    if carried < 2:
        return Change(
            "breaking",
            f"{what}_removed_too_early",
            where,
            f"deprecated in {carried} release(s), needs 2",
        )
    if parse_version(latest_release) < parse_version(after):
        return Change(
            "breaking",
            f"{what}_removed_too_early",
            where,
            f"removable after {after}, latest release is {latest_release}",
        )
    return Change("major", f"{what}_removed_after_deprecation", where)


def _check_mark(
    where: str, schema: dict[str, Any], latest_release: str | None
) -> list[Change]:
    if not schema.get("deprecated"):
        return []
    after = schema.get(REMOVABLE)
    try:
        ok = isinstance(after, str) and (
            latest_release is None
            or parse_version(after) > parse_version(latest_release)
        )
    except Exception:
        ok = False
    if isinstance(after, str) and ok:
        return []
    # only a fresh mark must point past the latest release; older ones are history
    return [
        Change(
            "breaking",
            "deprecation_mark_invalid",
            where,
            f"{REMOVABLE} must name a release after the current one: {after!r}",
        )
    ]


# ------------------------------------------------------------------ documents


def _operations(doc: dict[str, Any]) -> dict[tuple[str, str], Any]:
    return {
        (path, method): op
        for path, item in doc.get("paths", {}).items()
        for method, op in item.items()
        if method in METHODS
    }


def _compare_operation(
    old: dict[str, Any], new: dict[str, Any], where: str
) -> list[Change]:
    out: list[Change] = []
    params_a = {(p["in"], p["name"]): p for p in old.get("parameters", [])}
    params_b = {(p["in"], p["name"]): p for p in new.get("parameters", [])}
    for key in sorted(set(params_a) | set(params_b)):
        at = f"{where} parameter {key[0]}:{key[1]}"
        a, b = params_a.get(key), params_b.get(key)
        if b is None:
            out.append(Change("breaking", "parameter_removed", at))
        elif a is None:
            required = bool(b.get("required"))
            out.append(
                Change(
                    "breaking" if required else "minor",
                    "required_parameter_added" if required else "parameter_added",
                    at,
                )
            )
        else:
            if b.get("required") and not a.get("required"):
                out.append(Change("breaking", "parameter_made_required", at))
            out += compare_schema(a.get("schema", {}), b.get("schema", {}), at)
    body_a, body_b = old.get("requestBody"), new.get("requestBody")
    if body_a or body_b:
        body_a, body_b = body_a or {}, body_b or {}
        if body_b.get("required") and not body_a.get("required"):
            out.append(Change("breaking", "request_body_required", where))
        out += _compare_content(
            body_a.get("content", {}),
            body_b.get("content", {}),
            f"{where} request",
            removed="breaking",
        )
    resp_a, resp_b = old.get("responses", {}), new.get("responses", {})
    for status in sorted(set(resp_a) | set(resp_b)):
        at = f"{where} response {status}"
        if status not in resp_b:
            out.append(Change("breaking", "response_removed", at))
        elif status not in resp_a:
            out.append(Change("minor", "response_added", at))
        else:
            out += _compare_content(
                resp_a[status].get("content", {}),
                resp_b[status].get("content", {}),
                at,
                removed="breaking",
            )
    if new.get("deprecated") and not old.get("deprecated"):
        out.append(Change("minor", "deprecated", where))
    return out


def _compare_content(
    a: dict[str, Any], b: dict[str, Any], where: str, removed: str
) -> list[Change]:
    out: list[Change] = []
    for media in sorted(set(a) | set(b)):
        at = f"{where} {media}"
        if media not in b:
            out.append(Change(removed, "media_type_removed", at))
        elif media not in a:
            out.append(Change("minor", "media_type_added", at))
        else:
            out += compare_schema(
                a[media].get("schema", {}), b[media].get("schema", {}), at
            )
    return out


# ------------------------------------------------------------------ the whole tree


def compare(
    old_root: Path | Contracts,
    new_root: Path | Contracts,
    *,
    history: dict[str, list[str]] | None = None,
    latest_release: str = "0.0.0",
) -> Report:
    """Classify every change from `old_root` to `new_root`.

    `history` maps a deprecated thing's key (`event:<type>/v<n>`,
    `operation:<doc> <METHOD> <path>`) to the releases that carried its mark.
    """
    history = history or {}
    old = old_root if isinstance(old_root, Contracts) else Contracts(old_root)
    new = new_root if isinstance(new_root, Contracts) else Contracts(new_root)
    report = Report()
    ev_a, ev_b = old.events, new.events
    for key in sorted(set(ev_a) | set(ev_b)):
        name = f"event:{key[0]}/v{key[1]}"
        if key not in ev_b:
            report.changes.append(
                _removal(
                    "event", name, ev_a[key], history.get(name, []), latest_release
                )
            )
        elif key not in ev_a:
            report.changes.append(Change("minor", "event_added", name))
        else:
            report.changes += compare_schema(ev_a[key], ev_b[key], name)
        if key in ev_b and not ev_a.get(key, {}).get("deprecated"):
            report.changes += _check_mark(name, ev_b[key], latest_release)
    api_a, api_b = old.apis, new.apis
    for doc in sorted(set(api_a) | set(api_b)):
        if doc not in api_b:
            report.changes.append(Change("breaking", "document_removed", f"api:{doc}"))
            continue
        if doc not in api_a:
            report.changes.append(Change("minor", "document_added", f"api:{doc}"))
            continue
        report.changes += _compare_document(
            doc, api_a[doc], api_b[doc], history, latest_release
        )
    return report


def _compare_document(
    doc: str,
    a: dict[str, Any],
    b: dict[str, Any],
    history: dict[str, list[str]],
    latest_release: str,
) -> list[Change]:
    out: list[Change] = []
    ops_a, ops_b = _operations(a), _operations(b)
    paths_b = set(b.get("paths", {}))
    for key in sorted(set(ops_a) | set(ops_b)):
        name = f"operation:{doc} {key[1].upper()} {key[0]}"
        if key not in ops_b:
            kind = "operation" if key[0] in paths_b else "path"
            out.append(
                _removal(kind, name, ops_a[key], history.get(name, []), latest_release)
            )
        elif key not in ops_a:
            out.append(Change("minor", "operation_added", name))
        else:
            out += _compare_operation(ops_a[key], ops_b[key], name)
        if key in ops_b and not ops_a.get(key, {}).get("deprecated"):
            out += _check_mark(name, ops_b[key], latest_release)
    comp_a = a.get("components", {}).get("schemas", {})
    comp_b = b.get("components", {}).get("schemas", {})
    for name in sorted(set(comp_a) | set(comp_b)):
        where = f"api:{doc}#/components/schemas/{name}"
        if name not in comp_b:
            out.append(Change("breaking", "component_removed", where))
        elif name not in comp_a:
            out.append(Change("minor", "component_added", where))
        else:
            out += compare_schema(comp_a[name], comp_b[name], where)
    return out


def deprecation_history(releases: Path = RELEASES) -> dict[str, list[str]]:
    """For each deprecated event or operation: the releases that carried the mark."""
    carried: dict[str, list[str]] = {}
    for version in released_versions(releases):
        tree = Contracts(releases / version)
        for (type_, v), schema in tree.events.items():
            if schema.get("deprecated"):
                carried.setdefault(f"event:{type_}/v{v}", []).append(version)
        for doc, body in tree.apis.items():
            for (path, method), op in _operations(body).items():
                if op.get("deprecated"):
                    key = f"operation:{doc} {method.upper()} {path}"
                    carried.setdefault(key, []).append(version)
    return carried


def compare_release(version: str, tree: Path = ROOT) -> Report:
    newest = latest() or version
    return compare(
        RELEASES / version, tree, history=deprecation_history(), latest_release=newest
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="compare the tree with a release")
    parser.add_argument("--against", help="release to compare with (default: latest)")
    args = parser.parse_args(argv)
    against = args.against or latest()
    if against is None:
        print("no release yet: nothing to compare")
        return 0
    report = compare_release(against)
    print(f"working tree against release {against}")
    print(report.render())
    return 1 if report.verdict == "breaking" else 0


if __name__ == "__main__":
    sys.exit(main())
