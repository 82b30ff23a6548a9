"""storo-specs' CTS document as one self-contained OpenAPI dict.

The document refers to the shared definitions by relative URI
(``../events/defs.json#/$defs/Money``); schemathesis needs every reference inside
one document, so the shared ones are inlined here.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urldefrag, urljoin

import storo_specs
from storo_specs import contracts


def bundled(name: str) -> dict[str, Any]:
    document = storo_specs.openapi(name)
    base = contracts.document_uri(name)
    resolver = contracts.registry().resolver(base_uri=base)

    def inline(node: Any, where: str) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                target = urljoin(where, ref)
                if urldefrag(target).url == base:
                    # An internal reference stays one; its siblings are kept.
                    return {k: inline(v, where) for k, v in node.items()}
                resolved = resolver.lookup(target)
                siblings = {k: v for k, v in node.items() if k != "$ref"}
                contents = inline(resolved.contents, urldefrag(target).url)
                if siblings:
                    return {"allOf": [contents], **inline(siblings, where)}
                return contents
            return {k: inline(v, where) for k, v in node.items()}
        if isinstance(node, list):
            return [inline(item, where) for item in node]
        return node

    result: dict[str, Any] = inline(document, base)
    return result
